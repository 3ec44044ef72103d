import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Storage } from '../../storage/types';

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
 * The key comes from the configuration or the store (see TokenKeys), so that a token outlives a
 * restart and works on every instance; random (this process only) when none is given.
 */
export class TokenSigner {
  private key: Buffer;

  constructor(key?: string | Buffer, private readonly now: () => number = Date.now) {
    this.key = key === undefined || key.length === 0 ? randomBytes(32) : Buffer.from(key);
  }

  /** Another key from now on (the store's, once read). */
  useKey(key: string | Buffer): void {
    this.key = Buffer.from(key);
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

const TOKEN_KEY_ITEM = 'directline/tokenKey';
const RELOAD_EVERY_MS = 2000;

/**
 * The token key: DIRECT_LINE_TOKEN_KEY when set, else one kept in the store (created by the first
 * instance that finds none). A token that fails its signature makes the key be read again (at
 * most every 2 s), so instances that started together agree on the stored one.
 */
export class TokenKeys {
  private loaded?: Promise<void>;
  private lastLoad = 0;

  constructor(
    private readonly signer: TokenSigner,
    private readonly storage: Storage,
    private readonly configured?: string,
  ) {
    if (configured) signer.useKey(configured);
  }

  /** Resolves once the key is known. */
  ready(): Promise<void> {
    if (this.configured) return Promise.resolve();
    this.loaded ??= this.load().catch((err: unknown) => {
      this.loaded = undefined;
      throw err;
    });
    return this.loaded;
  }

  /** Checks a token, reading the stored key again if the signature does not match. */
  async verify(token: string | undefined): Promise<TokenCheck> {
    await this.ready();
    const check = this.signer.verify(token);
    if (check.ok || check.reason !== 'signature' || this.configured || Date.now() - this.lastLoad < RELOAD_EVERY_MS) return check;
    await this.load();
    return this.signer.verify(token);
  }

  private async load(): Promise<void> {
    this.lastLoad = Date.now();
    const read = async () => ((await this.storage.read([TOKEN_KEY_ITEM]))[TOKEN_KEY_ITEM] as { key?: string } | undefined)?.key;
    let key = await read();
    if (!key) {
      await this.storage.write({ [TOKEN_KEY_ITEM]: { key: randomBytes(32).toString('base64url') } });
      // Two instances starting together both write; both then use whichever write came last.
      key = await read();
    }
    if (!key) throw new Error('the Direct Line token key could not be stored');
    this.signer.useKey(key);
  }
}
