import type { Middleware, TurnContext } from 'botbuilder';

/** Counts turns in progress so that a shutdown can wait for them to finish. */
export class InFlightTurns implements Middleware {
  private count = 0;
  private idle: Array<() => void> = [];

  get active(): number {
    return this.count;
  }

  async onTurn(_context: TurnContext, next: () => Promise<void>): Promise<void> {
    this.count++;
    try {
      await next();
    } finally {
      this.count--;
      if (this.count === 0) this.idle.splice(0).forEach((resolve) => resolve());
    }
  }

  /** Resolves when no turn is running, or after `timeoutMs`; true if drained. */
  drain(timeoutMs: number): Promise<boolean> {
    if (this.count === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      timer.unref();
      this.idle.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }
}
