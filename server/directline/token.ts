import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** What a local Direct Line token grants: one conversation, as one user, until `exp`. */
export interface TokenClaims {
  /** The conversation the token is for. */
  conv: string;
  /** The user id; Web Chat reads it from the token (the `user` claim) and uses it as its user id. */
  user: string;
  /** Issued at and expires at, in seconds since the epoch. */
  iat: number;
  exp: number;
}

export type TokenCheck =
  | { ok: true; claims: TokenClaims }
  | { ok: false; reason: 'missing' | 'malformed' | 'signature' | 'expired' };

const HEADER = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));

function b64url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64url');
}

/** Unguessable ids: 128 bits and more from the CSPRNG. */
export function randomId(bytes = 18): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * Signs and checks tokens shaped as HS256 JWTs, so that Web Chat can read the user id from them.
 * The key is random per process unless one is given: conversations live in this process's memory,
 * so a token is of no use elsewhere anyway.
 */
export class TokenSigner {
  private readonly key: Buffer;

  constructor(key?: string | Buffer, private readonly now: () => number = Date.now) {
    this.key = key === undefined || key.length === 0 ? randomBytes(32) : Buffer.from(key);
  }

  sign(conversationId: string, userId: string, lifetimeSeconds: number): { token: string; claims: TokenClaims } {
    const iat = Math.floor(this.now() / 1000);
    const claims: TokenClaims = { conv: conversationId, user: userId, iat, exp: iat + lifetimeSeconds };
    const body = `${HEADER}.${b64url(JSON.stringify(claims))}`;
    return { token: `${body}.${this.mac(body)}`, claims };
  }

  verify(token: string | undefined): TokenCheck {
    if (!token) return { ok: false, reason: 'missing' };
    const parts = token.split('.');
    if (parts.length !== 3 || parts[0] !== HEADER) return { ok: false, reason: 'malformed' };
    const [header, payload, mac] = parts as [string, string, string];
    const expected = Buffer.from(this.mac(`${header}.${payload}`));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'signature' };
    let claims: unknown;
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      return { ok: false, reason: 'malformed' };
    }
    if (!isClaims(claims)) return { ok: false, reason: 'malformed' };
    if (claims.exp * 1000 <= this.now()) return { ok: false, reason: 'expired' };
    return { ok: true, claims };
  }

  private mac(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}

function isClaims(value: unknown): value is TokenClaims {
  if (!value || typeof value !== 'object') return false;
  const c = value as Record<string, unknown>;
  return typeof c.conv === 'string' && typeof c.user === 'string' && typeof c.iat === 'number' && typeof c.exp === 'number';
}

/** The token from an `Authorization: Bearer <token>` header. */
export function bearer(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}
