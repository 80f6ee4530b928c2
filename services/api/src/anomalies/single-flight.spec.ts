import { describe, expect, it } from 'vitest';
import { SingleFlight } from './single-flight';

describe('SingleFlight', () => {
  it('shares one call between overlapping callers of a key, and calls again once it settled', async () => {
    const flights = new SingleFlight<number>();
    let calls = 0;
    let release!: (n: number) => void;
    const call = () => {
      calls += 1;
      return new Promise<number>((r) => (release = r));
    };
    const a = flights.run('q', call);
    const b = flights.run('q', call);
    const other = flights.run('other', () => Promise.resolve(7));
    expect(calls).toBe(1);
    release(42);
    expect(await Promise.all([a, b, other])).toEqual([42, 42, 7]);
    expect(flights.size).toBe(0);
    const c = flights.run('q', call);
    expect(calls).toBe(2);
    release(43);
    expect(await c).toBe(43);
  });

  it('forgets a failed call so the next caller tries again', async () => {
    const flights = new SingleFlight<number>();
    await expect(flights.run('q', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await flights.run('q', () => Promise.resolve(1))).toBe(1);
  });
});
