import type { StaffKv } from './kv';

export const AUDIT_ACTIONS = [
  'signin', 'signin_failed', 'signout', 'password_changed', 'view_conversation', 'review', 'export', 'erase',
  'account_created', 'account_reset', 'account_disabled', 'account_enabled', 'role_changed', 'view_audit', 'export_audit',
  'totp_enrolled', 'totp_removed', 'totp_failed',
  // notices and facts changed in the console (staff/liveKnowledge.ts)
  'notice_created', 'notice_edited', 'notice_ended', 'notice_reverted', 'fact_edited', 'fact_outdated', 'fact_draft', 'fact_reverted',
  // teaching from the queue of unanswered questions (staff/teach.ts)
  'teach_applied', 'teach_refused', 'teach_reverted', 'queue_status',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  timestamp: string;
  /** The account (for a failed sign-in: the name typed, which may not exist). */
  actor: string;
  action: AuditAction;
  /** A conversation id, an account name… */
  target?: string;
  /** The client's address. */
  ip: string;
  /** E.g. an export's reason and size, a role change. */
  detail?: string;
}

export interface AuditFilter {
  from: Date;
  to: Date;
  actor?: string;
  action?: AuditAction;
  target?: string;
}

export const AUDIT_RETENTION_DAYS = 366;
const LOG = 'audit';

/** Who did what, when, from where: append-only, kept for a year, read by admins. */
export class AuditLog {
  constructor(private readonly kv: StaffKv, private readonly now: () => Date = () => new Date()) {}

  record(entry: Omit<AuditEntry, 'timestamp'>): Promise<void> {
    return this.kv.append(LOG, { timestamp: this.now().toISOString(), ...entry });
  }

  /** Newest first. */
  async query(filter: AuditFilter): Promise<AuditEntry[]> {
    const all = await this.kv.readLog<AuditEntry>(LOG, filter.from, filter.to);
    return all
      .filter((e) => (filter.actor ? e.actor === filter.actor : true))
      .filter((e) => (filter.action ? e.action === filter.action : true))
      .filter((e) => (filter.target ? e.target === filter.target : true))
      .reverse();
  }

  prune(): Promise<number> {
    return this.kv.pruneLog(LOG, new Date(this.now().getTime() - AUDIT_RETENTION_DAYS * 86_400_000));
  }
}
