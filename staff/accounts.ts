import { randomBytes, randomInt } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { StaffKv } from './kv';

export const ROLES = ['viewer', 'reviewer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** viewer: read; reviewer: + mark, tag, note, verdict, export; admin: + accounts, erasure, audit, retention. */
export function hasRole(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

export interface Account {
  name: string;
  role: Role;
  /** Argon2id PHC string. */
  passwordHash: string;
  /** Set by `add` and `reset` (a one-time password): the next sign-in must choose a new one. */
  mustChangePassword: boolean;
  disabled: boolean;
  /** Base32 TOTP key once the owner has enrolled an authenticator app. */
  totpSecret?: string;
  /** The time step of the last code used (a code works once). */
  totpLastStep?: number;
  /** Made by a single sign-on: no usable password; the role comes from the provider at each sign-in. */
  sso?: boolean;
  createdAt: string;
  updatedAt: string;
}

export type PublicAccount = Omit<Account, 'passwordHash' | 'totpSecret' | 'totpLastStep'> & { totp: boolean };

// OWASP's Argon2id parameters: 19 MiB, 2 passes, 1 lane. algorithm 2 = Argon2id (a const enum in the typings).
const ARGON2 = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;
const NAME = /^[a-z0-9][a-z0-9._@-]{1,63}$/;
export const MIN_PASSWORD_LENGTH = 12;
const NS = 'account';

export class AccountError extends Error {
  constructor(readonly code: 'exists' | 'unknown' | 'bad_name' | 'bad_role' | 'weak_password' | 'same_password') {
    super(code);
  }
}

/** Local staff accounts; passwords only as Argon2id hashes. */
export class Accounts {
  /** Verified against for unknown names, so they cost the same time as a wrong password. */
  private readonly dummyHash: Promise<string>;

  constructor(private readonly kv: StaffKv, private readonly now: () => Date = () => new Date()) {
    this.dummyHash = hash(randomBytes(16).toString('hex'), ARGON2);
  }

  static normalizeName(name: string): string {
    return name.trim().toLowerCase();
  }

  async get(name: string): Promise<Account | undefined> {
    const n = Accounts.normalizeName(name);
    if (!NAME.test(n)) return undefined;
    return this.kv.get<Account>(NS, n);
  }

  async list(): Promise<PublicAccount[]> {
    const all = await this.kv.list<Account>(NS);
    return all
      .map(({ passwordHash: _h, totpSecret, totpLastStep: _s, ...rest }) => ({ ...rest, totp: Boolean(totpSecret) }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Creates an account; returns its one-time password. */
  async add(name: string, role: string): Promise<string> {
    const n = Accounts.normalizeName(name);
    if (!NAME.test(n)) throw new AccountError('bad_name');
    if (!isRole(role)) throw new AccountError('bad_role');
    if (await this.kv.get(NS, n)) throw new AccountError('exists');
    const password = oneTimePassword();
    const at = this.now().toISOString();
    await this.kv.set<Account>(NS, n, {
      name: n, role, passwordHash: await hash(password, ARGON2), mustChangePassword: true, disabled: false, createdAt: at, updatedAt: at,
    });
    return password;
  }

  /** A new one-time password (and the account enabled again). */
  async reset(name: string): Promise<string> {
    const password = oneTimePassword();
    const passwordHash = await hash(password, ARGON2);
    await this.update(name, { passwordHash, mustChangePassword: true, disabled: false });
    return password;
  }

  setDisabled(name: string, disabled: boolean): Promise<Account> {
    return this.update(name, { disabled });
  }

  setRole(name: string, role: string): Promise<Account> {
    if (!isRole(role)) return Promise.reject(new AccountError('bad_role'));
    return this.update(name, { role });
  }

  /**
   * A single sign-on: the account of that name, made if new (without a usable password), with
   * the provider's role. Undefined when the account is disabled.
   */
  async ssoSignIn(name: string, role: Role): Promise<Account | undefined> {
    const n = Accounts.normalizeName(name);
    if (!NAME.test(n)) throw new AccountError('bad_name');
    const existing = await this.get(n);
    if (existing?.disabled) return undefined;
    const at = this.now().toISOString();
    const account: Account = existing
      ? { ...existing, role, sso: true, mustChangePassword: false, updatedAt: at }
      : { name: n, role, passwordHash: await hash(randomBytes(32).toString('hex'), ARGON2), mustChangePassword: false, disabled: false, sso: true, createdAt: at, updatedAt: at };
    await this.kv.set(NS, n, account);
    return account;
  }

  /** Enrols (or, with undefined, removes) the second factor. */
  async setTotp(name: string, secret: string | undefined, step?: number): Promise<void> {
    const account = await this.get(name);
    if (!account) throw new AccountError('unknown');
    const { totpSecret: _t, totpLastStep: _s, ...rest } = account;
    await this.kv.set(NS, account.name, {
      ...rest, ...(secret ? { totpSecret: secret, ...(step !== undefined ? { totpLastStep: step } : {}) } : {}), updatedAt: this.now().toISOString(),
    });
  }

  async useTotpStep(name: string, step: number): Promise<void> {
    await this.update(name, { totpLastStep: step });
  }

  async changePassword(name: string, password: string): Promise<void> {
    const account = await this.get(name);
    if (!account) throw new AccountError('unknown');
    if (password.length < MIN_PASSWORD_LENGTH || password.length > 256) throw new AccountError('weak_password');
    if (await verify(account.passwordHash, password)) throw new AccountError('same_password');
    await this.update(name, { passwordHash: await hash(password, ARGON2), mustChangePassword: false });
  }

  /**
   * The account when the password is right and the account enabled; otherwise undefined,
   * after the same Argon2 work whether or not the name exists.
   */
  async verify(name: string, password: string): Promise<Account | undefined> {
    const account = await this.get(name);
    const ok = await verify(account?.passwordHash ?? (await this.dummyHash), password.slice(0, 256)).catch(() => false);
    return account && ok && !account.disabled ? account : undefined;
  }

  private async update(name: string, change: Partial<Account>): Promise<Account> {
    const account = await this.get(name);
    if (!account) throw new AccountError('unknown');
    const next = { ...account, ...change, updatedAt: this.now().toISOString() };
    await this.kv.set(NS, account.name, next);
    return next;
  }
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** 20 characters from an alphabet without look-alikes (no 0/O, 1/l/I). */
function oneTimePassword(): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  let out = '';
  for (let i = 0; i < 20; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}
