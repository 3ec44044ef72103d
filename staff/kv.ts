/**
 * The staff console's one storage contract: small JSON values by namespace and id (accounts,
 * sessions, lockouts, reviews), and append-only logs read by time (the audit log). Disk
 * (the embedded default, files under DATA_DIR/staff) and Redis implement it alike.
 */
export interface StaffKv {
  get<T>(ns: string, id: string): Promise<T | undefined>;
  /** `ttlMs`: the value is gone after that long (sessions, lockout counters). */
  set<T>(ns: string, id: string, value: T, ttlMs?: number): Promise<void>;
  delete(ns: string, id: string): Promise<void>;
  /** Every value of a namespace written without a ttl (accounts, reviews), in no set order. */
  list<T>(ns: string): Promise<T[]>;
  /** Adds 1 to a counter and returns it; the counter expires `ttlMs` after its first increment. */
  incr(ns: string, id: string, ttlMs: number): Promise<number>;
  /** Appends to a log; `entry.timestamp` (ISO 8601) orders and prunes it. */
  append(log: string, entry: LogEntry): Promise<void>;
  /** Entries with from <= timestamp < to, oldest first. */
  readLog<T extends LogEntry>(log: string, from: Date, to: Date): Promise<T[]>;
  /** Removes entries older than `before`; returns how many (or how many files, on disk). */
  pruneLog(log: string, before: Date): Promise<number>;
  /** Removes values whose ttl has passed (Redis does that itself; files need a sweep). */
  sweep(): Promise<number>;
  close(): Promise<void>;
}

export interface LogEntry {
  timestamp: string;
}

/** Namespaces and ids become file names and Redis keys: keep them tame. */
export function checkName(kind: string, value: string): void {
  if (!/^[a-z][a-z0-9_-]{0,40}$/.test(value)) throw new TypeError(`bad ${kind} name: ${value}`);
}
