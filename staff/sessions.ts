import { createHash, randomBytes } from 'node:crypto';
import type { Role } from './accounts';
import type { StaffKv } from './kv';

export interface Session {
  account: string;
  role: Role;
  /** The CSRF token of every form of this session. */
  csrf: string;
  /** ms since the epoch. */
  createdAt: number;
  lastSeenAt: number;
  mustChangePassword: boolean;
  /** 'totp': the password was right, the second factor is still to come; nothing else is open. */
  stage?: 'totp';
  /** Signed in through the organisation's provider (its own second factor applies). */
  sso?: boolean;
  /** A TOTP key shown for enrolment, kept until the owner confirms it with a code. */
  totpCandidate?: string;
}

export const IDLE_TIMEOUT_MS = 30 * 60 * 1000;
export const ABSOLUTE_TIMEOUT_MS = 10 * 3600 * 1000;
/** A session seen again within this long is not rewritten (one write per minute, not per request). */
const TOUCH_EVERY_MS = 60 * 1000;
const NS = 'session';

/**
 * Server-side sessions. The cookie holds a random id; the store keys the session by the id's
 * SHA-256, so a copy of the store holds no usable cookie.
 */
export class Sessions {
  constructor(
    private readonly kv: StaffKv,
    private readonly now: () => number = Date.now,
    readonly idleMs = IDLE_TIMEOUT_MS,
    readonly absoluteMs = ABSOLUTE_TIMEOUT_MS,
  ) {}

  /** A new session with a fresh id (sign-in rotates the id: the old one, if any, is destroyed by the caller). */
  async create(account: string, role: Role, mustChangePassword: boolean, stage?: 'totp'): Promise<{ id: string; session: Session }> {
    const id = randomBytes(32).toString('base64url');
    const t = this.now();
    const session: Session = {
      account, role, csrf: randomBytes(32).toString('base64url'), createdAt: t, lastSeenAt: t, mustChangePassword, ...(stage ? { stage } : {}),
    };
    await this.kv.set(NS, key(id), session, this.idleMs);
    return { id, session };
  }

  /** The live session, its idle time renewed; undefined when unknown, idle too long or too old. */
  async get(id: string): Promise<Session | undefined> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(id)) return undefined;
    const session = await this.kv.get<Session>(NS, key(id));
    if (!session) return undefined;
    const t = this.now();
    if (t - session.lastSeenAt >= this.idleMs || t - session.createdAt >= this.absoluteMs) {
      await this.kv.delete(NS, key(id));
      return undefined;
    }
    if (t - session.lastSeenAt >= TOUCH_EVERY_MS) await this.save(id, { ...session, lastSeenAt: t });
    return session;
  }

  async update(id: string, change: Partial<Session>): Promise<void> {
    const session = await this.kv.get<Session>(NS, key(id));
    if (session) await this.save(id, { ...session, ...change, lastSeenAt: this.now() });
  }

  destroy(id: string): Promise<void> {
    return this.kv.delete(NS, key(id));
  }

  private save(id: string, session: Session): Promise<void> {
    const left = Math.min(this.idleMs, session.createdAt + this.absoluteMs - this.now());
    return left > 0 ? this.kv.set(NS, key(id), session, left) : this.kv.delete(NS, key(id));
  }
}

function key(id: string): string {
  return createHash('sha256').update(id).digest('hex');
}
