/**
 * Serializes the turns of one conversation, so two instances (or two quick messages) never
 * run the same conversation's turn at once: botbuilder saves state with eTag '*', and
 * interleaved turns would silently overwrite each other.
 */
export interface TurnLock {
  run<T>(conversationId: string, fn: () => Promise<T>): Promise<T>;
  /** Counters since start (both built-in locks keep them); logged at shutdown. */
  readonly metrics?: TurnLockMetrics;
}

export interface TurnLockMetrics {
  /** Turns that got the lock. */
  acquired: number;
  /** Of those, turns that had to wait for another turn first. */
  waited: number;
  /** Longest wait before acquiring (ms). */
  maxWaitMs: number;
  /** Turns that gave up with LockTimeoutError. */
  timeouts: number;
  /** Extra acquire attempts (polls) made while waiting; 0 for LocalTurnLock. */
  retries: number;
  /** Turns whose lock had expired before they finished (ran longer than the lock TTL). */
  lost: number;
}

export function emptyMetrics(): TurnLockMetrics {
  return { acquired: 0, waited: 0, maxWaitMs: 0, timeouts: 0, retries: 0, lost: 0 };
}

export { LocalTurnLock } from './localTurnLock';
export { RedisTurnLock } from './redisTurnLock';
