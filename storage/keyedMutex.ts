/**
 * Per-key FIFO mutex built from promise chains. Callers for one key run one at a time in
 * the order they called `enqueue`; different keys do not wait for each other. A key's
 * entry is dropped as soon as its queue is empty, so idle keys cost no memory.
 */
export interface MutexTicket {
  /** Resolves when every earlier ticket for the key has been released. */
  ready: Promise<void>;
  /** Lets the next ticket run. Idempotent. */
  release: () => void;
  /** Whether an earlier ticket for the key was still held or waiting at enqueue time. */
  contended: boolean;
}

export class KeyedMutex {
  private readonly tails = new Map<string, Promise<void>>();

  /** Number of keys with a holder or waiters (for leak checks). */
  get size(): number {
    return this.tails.size;
  }

  enqueue(key: string): MutexTicket {
    const existing = this.tails.get(key);
    const prev = existing ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = prev.then(() => mine);
    this.tails.set(key, tail);
    let released = false;
    return {
      ready: prev,
      contended: existing !== undefined,
      release: () => {
        if (released) return;
        released = true;
        release();
        if (this.tails.get(key) === tail) this.tails.delete(key);
      },
    };
  }

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const ticket = this.enqueue(key);
    try {
      await ticket.ready;
      return await fn();
    } finally {
      ticket.release();
    }
  }

  /** Holds several keys at once; acquired in sorted order so two callers cannot deadlock. */
  async runAll<T>(keys: string[], fn: () => Promise<T>): Promise<T> {
    const sorted = [...new Set(keys)].sort();
    const held: MutexTicket[] = [];
    try {
      for (const key of sorted) {
        const ticket = this.enqueue(key);
        held.push(ticket);
        await ticket.ready;
      }
      return await fn();
    } finally {
      for (const ticket of held.reverse()) ticket.release();
    }
  }
}
