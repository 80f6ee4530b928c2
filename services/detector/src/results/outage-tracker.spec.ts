import { describe, expect, it } from 'vitest';
import { OutageTracker } from './outage-tracker';

describe('OutageTracker', () => {
  it('reports only the first failure of an outage, and its end once with the failures it hid', () => {
    let now = 1000;
    const outages = new OutageTracker(() => now);
    expect(outages.succeeded()).toBeUndefined(); // no outage yet
    // Five pending batches fail while the database is down: one line.
    expect([1, 2, 3, 4, 5].map(() => outages.failed())).toEqual([true, false, false, false, false]);
    expect(outages.inOutage).toBe(true);
    now = 4000;
    expect(outages.succeeded()).toEqual({ failures: 5, durationMs: 3000 });
    expect(outages.succeeded()).toBeUndefined();
    // A later outage is logged again.
    expect(outages.failed()).toBe(true);
  });
});
