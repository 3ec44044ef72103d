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
  /** Reverse proxies in front of the server (for the client address the web chat's rate limit uses). */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  /** Bearer token of the staff API (/api/staff); unset: that API answers 503. */
  STAFF_TOKEN: z.string().min(16, 'must be at least 16 characters (use a long random value)').optional(),
  /** Staff console: admins must sign in with a second factor (TOTP). */
  STAFF_REQUIRE_TOTP: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  /** Staff console single sign-on (OpenID Connect, e.g. Microsoft Entra ID): all three, or none. */
  OIDC_ISSUER: z.string().url().optional(),
  OIDC_CLIENT_ID: z.string().optional(),
  OIDC_CLIENT_SECRET: z.string().optional(),
  /** The callback registered at the provider, https://<host>/staff/oidc/callback (unset: from the request's host). */
  OIDC_REDIRECT_URI: z.string().url().optional(),
  OIDC_SCOPES: z.string().default('openid profile email'),
  /** The claim with the roles or groups: `roles` (Entra app roles) or `groups`. */
  OIDC_ROLE_CLAIM: z.string().default('roles'),
  /** Claim value -> console role, e.g. "IC.Admin=admin,IC.Reviewer=reviewer,IC.Viewer=viewer". */
  OIDC_ROLE_MAP: z.string().default('admin=admin,reviewer=reviewer,viewer=viewer'),
}).superRefine((c, ctx) => {
  if (c.MicrosoftAppId && !c.MicrosoftAppPassword && c.MicrosoftAppType !== 'UserAssignedMSI') {
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['MicrosoftAppPassword'], message: 'is required when MicrosoftAppId is set' });
  }
  const oidc = [c.OIDC_ISSUER, c.OIDC_CLIENT_ID, c.OIDC_CLIENT_SECRET].filter(Boolean).length;
  if (oidc !== 0 && oidc !== 3) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['OIDC_ISSUER'], message: 'OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET go together' });
  }
  if (/^\s*[^=,]+=(admin|reviewer|viewer)\s*(,\s*[^=,]+=(admin|reviewer|viewer)\s*)*$/.test(c.OIDC_ROLE_MAP) === false) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['OIDC_ROLE_MAP'], message: 'must be CLAIM_VALUE=admin|reviewer|viewer, separated by commas' });
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
