import { z } from 'zod';

/** Every setting the assistant reads, from the environment, once; documented in .env.example. */
const Schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  NODE_ENV: z.string().default('development'),
  /** With NODE_ENV=production the server refuses to start without MicrosoftAppId unless this is true. */
  ALLOW_ANONYMOUS: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  /** Without MicrosoftAppId, the hosts replies may be POSTed to (the Emulator's); others need deliveryMode expectReplies. */
  ANONYMOUS_SERVICE_HOSTS: z.string().default('localhost,127.0.0.1,::1').transform((v) => v.split(',').map((h) => h.trim().toLowerCase()).filter(Boolean)),
  /** Every outbound call (connector, OpenID metadata, keys) gives up after this. */
  OUTBOUND_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(4000),
  /** Requests to /api/messages per client address (IPv6: per /56) per minute; 0 turns the limit off. */
  MESSAGES_PER_MINUTE: z.coerce.number().int().min(0).default(120),
  /** Origins (space or comma separated) allowed to show the chat page in a frame, e.g. the Centre's website. */
  FRAME_ANCESTORS: z.string().default('').transform((v) => v.split(/[\s,]+/).filter(Boolean))
    .refine((list) => list.every((o) => /^https?:\/\/[^\s/]+$/.test(o)), 'must be origins like https://www.example.lv'),
  /** Bearer token for GET /metrics; unset: /metrics is open (keep it off the public proxy). */
  METRICS_TOKEN: z.string().min(16).refine((t) => !/\s/.test(t), 'must not contain blanks').optional(),
  /** Slow clients: the whole header must arrive within this, the whole request within REQUEST. */
  HTTP_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().min(100).default(5_000),
  /** Bot Framework's own names, for sovereign clouds and the tests' local token issuer. */
  ToBotFromChannelOpenIdMetadataUrl: z.string().url().optional(),
  ToBotFromChannelTokenIssuer: z.string().optional(),
  ToBotFromEmulatorOpenIdMetadataUrl: z.string().url().optional(),
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
  STAFF_TOKEN: z.string().min(16, 'must be at least 16 characters (use a long random value)')
    .refine((t) => !/\s/.test(t), 'must not contain blanks (use a long random value)').optional(),
  /** The staff API key may erase conversations (off: read-only; erasure is an admin's, in the console). */
  STAFF_API_ERASE: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
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
  if (c.NODE_ENV === 'production' && !c.MicrosoftAppId && !c.ALLOW_ANONYMOUS) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['MicrosoftAppId'], message: 'is required with NODE_ENV=production (anyone could post to /api/messages); set ALLOW_ANONYMOUS=true to run without it anyway' });
  }
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
