/**
 * Exponential back-off for one replication: after each failure in a row the
 * next attempt waits longer (1 s, 2 s, 4 s ... up to a minute, with jitter so
 * that a shop's phones do not retry in step after an outage). RxDB retries a
 * failed handler after a fixed `retryTime`; waiting here, before the handler
 * gives up, stretches that. `wake()` ends every wait at once: the network
 * came back, the user tapped "Sync now", or replication is stopping.
 */
export class Backoff {
  private failures = 0;
  private readonly waiting = new Set<() => void>();

  constructor(
    private readonly baseMs = 1_000,
    private readonly maxMs = 60_000,
    private readonly random: () => number = Math.random,
  ) {}

  /** The wait after the `failures`-th failure in a row: half fixed, half random. */
  delayFor(failures: number): number {
    const ceiling = Math.min(this.maxMs, this.baseMs * 2 ** Math.max(0, failures - 1));
    return Math.round(ceiling / 2 + (ceiling / 2) * this.random());
  }

  succeeded(): void {
    this.failures = 0;
  }

  /** Counts a failure and resolves when its wait is over or `wake()` is called. */
  failed(): Promise<void> {
    this.failures += 1;
    const ms = this.delayFor(this.failures);
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiting.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiting.add(done);
    });
  }

  wake(): void {
    for (const done of [...this.waiting]) done();
  }
}
