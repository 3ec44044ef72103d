/** At most `limit` hits per key in each fixed window; a small in-memory guard, not a shared quota. */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; hits: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 10_000,
  ) {}

  /** Counts a hit; returns 0 if allowed, else the seconds until the key may try again. */
  hit(key: string): number {
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || now - window.start >= this.windowMs) {
      if (!window && this.windows.size >= this.maxKeys) this.sweep();
      // Still full of live windows: forget the oldest rather than grow without bound.
      if (!window && this.windows.size >= this.maxKeys) this.windows.delete(this.windows.keys().next().value as string);
      window = { start: now, hits: 0 };
      this.windows.delete(key);
      this.windows.set(key, window);
    }
    window.hits += 1;
    if (window.hits <= this.limit) return 0;
    return Math.max(1, Math.ceil((window.start + this.windowMs - now) / 1000));
  }

  sweep(): void {
    const now = this.now();
    for (const [key, window] of this.windows) {
      if (now - window.start >= this.windowMs) this.windows.delete(key);
    }
  }
}
