/**
 * One log line per outage, not per failed write: while ClickHouse is down every pending batch's flush fails, and
 * a line each buries the one that matters. The first failure opens an outage (log it), the next successful
 * write closes it (log that, with how many failures it hid); failures in between only count.
 *
 * @example
 *   if (outages.failed()) logger.error('writing results failed …');
 *   const ended = outages.succeeded(); if (ended) logger.log(`recovered after ${ended.failures} failed writes`);
 */
export class OutageTracker {
  private failures = 0;
  private sinceMs = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** Records a failed write; true when it starts an outage (the one to log). */
  failed(): boolean {
    this.failures++;
    if (this.failures > 1) return false;
    this.sinceMs = this.now();
    return true;
  }

  /** Records a successful write; the outage it ends, if one was open. */
  succeeded(): { failures: number; durationMs: number } | undefined {
    if (this.failures === 0) return undefined;
    const ended = { failures: this.failures, durationMs: this.now() - this.sinceMs };
    this.failures = 0;
    return ended;
  }

  get inOutage(): boolean {
    return this.failures > 0;
  }
}
