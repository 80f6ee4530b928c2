/**
 * Identical reads that overlap share one call: the first caller's promise is handed to every caller that asks
 * for the same key before it settles, and forgotten as soon as it does (nothing is cached, nothing goes stale).
 * Dashboards polling the same fleet page then cost ClickHouse one query per round trip, not one per client.
 *
 * @example
 *   const flights = new SingleFlight<Page>();
 *   const page = await flights.run(sql, () => query(sql));
 */
export class SingleFlight<T> {
  private readonly inFlight = new Map<string, Promise<T>>();

  get size(): number {
    return this.inFlight.size;
  }

  run(key: string, call: () => Promise<T>): Promise<T> {
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const started = call().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, started);
    return started;
  }
}
