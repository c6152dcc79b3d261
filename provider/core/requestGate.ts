/**
 * Bounds the requests in flight to Postmark and makes every request wait out a rate-limit pause.
 * The engine runs resource operations in parallel in one provider process, so without this a stack
 * of many servers would open as many connections at once and each would meet 429 on its own.
 */
export class RequestGate {
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];
  private pausedUntil = 0;

  constructor(private readonly maxInFlight: number) {}

  /** After a 429: nobody starts a request before this pause is over. */
  pauseFor(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, Date.now() + ms);
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      // Re-check after every wake-up: another request may have met a 429 meanwhile.
      for (let wait = this.pausedUntil - Date.now(); wait > 0; wait = this.pausedUntil - Date.now()) {
        await sleep(wait);
      }
      return await task();
    } finally {
      this.release();
    }
  }

  private acquire(): Promise<void> {
    if (this.inFlight < this.maxInFlight) {
      this.inFlight++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.inFlight--;
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
