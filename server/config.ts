import { z } from 'zod';

/** Every setting the assistant reads, from the environment, once; documented in .env.example. */
const Schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  MicrosoftAppId: z.string().default(''),
  MicrosoftAppPassword: z.string().default(''),
  MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'),
  MicrosoftAppTenantId: z.string().default(''),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  DATA_DIR: z.string().default('./data'),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://').optional(),
  REDIS_KEY_PREFIX: z.string().default('iemic:'),
  CONVERSATION_TTL_DAYS: z.coerce.number().positive().default(30),
  TRANSCRIPT_RETENTION_DAYS: z.coerce.number().positive().default(90),
  /** Azure Bot Service's Direct Line secret: the web page then gets its tokens from Azure. */
  DIRECT_LINE_SECRET: z.string().optional(),
  /** Azure's Direct Line base URL, e.g. the Europe region's (data residency). */
  DIRECT_LINE_DOMAIN: z.string().regex(/^https:\/\/[a-z0-9.-]+\.botframework\.com\/v3\/directline$/, 'must be https://<region.>directline.botframework.com/v3/directline').optional(),
  /** HMAC key of the local Direct Line's tokens; unset: one is created and kept in the store (DATA_DIR or Redis). */
  DIRECT_LINE_TOKEN_KEY: z.string().min(32, 'must be at least 32 characters (use a long random value)').optional(),
  /** Reverse proxies in front of the server (for the client address the web chat's rate limit uses). */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  /** Bearer token of the staff API (/api/staff); unset: that API answers 503. */
  STAFF_TOKEN: z.string().min(16, 'must be at least 16 characters (use a long random value)').optional(),
}).superRefine((c, ctx) => {
  if (c.MicrosoftAppId && !c.MicrosoftAppPassword && c.MicrosoftAppType !== 'UserAssignedMSI') {
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['MicrosoftAppPassword'], message: 'is required when MicrosoftAppId is set' });
  }
  if (c.MicrosoftAppType === 'SingleTenant' && !c.MicrosoftAppTenantId) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['MicrosoftAppTenantId'], message: 'is required for SingleTenant' });
  }
});

export type Config = Readonly<z.infer<typeof Schema>>;

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // empty strings in a .env file mean "not set"
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = Schema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  return Object.freeze(parsed.data);
}
