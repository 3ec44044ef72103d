import { LockTimeoutError } from './errors';
import { KeyedMutex } from './keyedMutex';
import type { TurnLock, TurnLockMetrics } from './turnLock';

export interface LocalTurnLockOptions {
  /** A turn waiting longer than this throws LockTimeoutError. Default 10 000 ms. */
  maxWaitMs?: number;
}

/** In-process turn lock: a FIFO promise queue per conversation, dropped when idle. */
export class LocalTurnLock implements TurnLock {
  private readonly mutex = new KeyedMutex();
  private readonly maxWaitMs: number;
  private readonly m: TurnLockMetrics = { acquired: 0, waited: 0, maxWaitMs: 0, timeouts: 0, retries: 0, lost: 0 };

  constructor(options: LocalTurnLockOptions = {}) {
    this.maxWaitMs = options.maxWaitMs ?? 10_000;
  }

  get metrics(): TurnLockMetrics {
    return { ...this.m };
  }

  /** Conversations with a running or waiting turn. */
  get activeConversations(): number {
    return this.mutex.size;
  }

  async run<T>(conversationId: string, fn: () => Promise<T>): Promise<T> {
    const ticket = this.mutex.enqueue(conversationId);
    const start = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.maxWaitMs);
    });
    const outcome = await Promise.race([ticket.ready.then(() => 'ready' as const), timedOut]);
    clearTimeout(timer);
    const waitedMs = Date.now() - start;
    if (outcome === 'timeout') {
      this.m.timeouts++;
      // Our place in the queue stays; we hand it on the moment it comes.
      void ticket.ready.then(ticket.release);
      throw new LockTimeoutError(conversationId, waitedMs);
    }
    this.m.acquired++;
    if (ticket.contended) this.m.waited++;
    this.m.maxWaitMs = Math.max(this.m.maxWaitMs, waitedMs);
    try {
      return await fn();
    } finally {
      ticket.release();
    }
  }
}
