/**
 * The backing store (Redis, the disk) cannot serve the request right now. The bot should
 * answer "temporarily unavailable" and keep the user's state untouched; it is not a reason
 * to delete conversation state. For a write, the outcome is unknown (a command that timed
 * out may still have been applied).
 */
export class StorageUnavailableError extends Error {
  readonly code = 'STORAGE_UNAVAILABLE';

  constructor(message: string, cause?: unknown) {
    super(message);
    this.name = 'StorageUnavailableError';
    // Set by hand rather than via `super(message, { cause })` so it compiles for any lib target.
    if (cause !== undefined) (this as { cause?: unknown }).cause = cause;
  }
}

/** True for a StorageUnavailableError, also across duplicate copies of this module. */
export function isStorageUnavailable(err: unknown): err is StorageUnavailableError {
  return (
    err instanceof StorageUnavailableError ||
    (typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'STORAGE_UNAVAILABLE')
  );
}

/** Same message as botbuilder's MemoryStorage, so callers matching on it keep working. */
export class EtagConflictError extends Error {
  constructor(readonly key: string) {
    super(`Storage: error writing "${key}" due to eTag conflict.`);
    this.name = 'EtagConflictError';
  }
}

/** A turn waited longer than the lock's bound for its conversation. */
export class LockTimeoutError extends Error {
  readonly code = 'LOCK_TIMEOUT';

  constructor(
    readonly conversationId: string,
    readonly waitedMs: number,
  ) {
    super(`Turn lock for conversation "${conversationId}" not acquired within ${waitedMs} ms.`);
    this.name = 'LockTimeoutError';
  }
}
