import type { AlignedWindow } from '@vigil/detection';
import { describe, expect, it } from 'vitest';
import { type ProcessWindows, WindowsInFlight } from './windows-in-flight';

const P = 'sensor#0';

function window(offsets: Record<string, string>): AlignedWindow {
  return { deviceId: 'd', startMs: 0, endMs: 3000, sensor: [], audio: [], image: [], missing: [], carried: {}, heldOffsets: new Map(Object.entries(offsets)) };
}

function deferred<T = void>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A scoring stand-in whose scoring and durability the test settles by hand. */
function controlledScoring() {
  const scored = deferred<{ durable: Promise<void> }>();
  const durable = deferred();
  const process: ProcessWindows = () => scored.promise;
  return { process, score: () => scored.resolve({ durable: durable.promise }), failScoring: scored.reject, durable };
}

function tracker(limits = { maxScoringWindows: 100, maxPendingOutputs: 100 }) {
  const log: string[] = [];
  const inFlight = new WindowsInFlight(limits, {
    scoringFailed: (e) => log.push(`scoring failed: ${(e as Error).message}`),
    writeFailed: (e) => log.push(`write failed: ${(e as Error).message}`),
    written: () => log.push('written'),
  });
  return { inFlight, log };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('WindowsInFlight', () => {
  it('returns before scoring and holds the windows’ smallest offsets until they are durable', async () => {
    const { inFlight, log } = tracker();
    const s = controlledScoring();
    let returned = false;
    void inFlight.start([window({ [P]: '12', 'audio#0': '3' }), window({ [P]: '9' })], s.process, () => 0).then(() => (returned = true));
    await settle();
    expect(returned).toBe(true); // scoring has not even started to resolve
    expect(inFlight.windowsInScoring).toBe(2);
    expect([inFlight.heldOffset(P), inFlight.heldOffset('audio#0'), inFlight.heldOffset('image#0')]).toEqual(['9', '3', undefined]);
    s.score();
    await settle();
    expect(inFlight.windowsInScoring).toBe(0);
    expect(inFlight.heldOffset(P)).toBe('9'); // scored, not durable yet
    s.durable.resolve();
    await settle();
    expect(inFlight.heldOffset(P)).toBeUndefined();
    expect(log).toEqual(['written']);
  });

  it('keeps the smallest offset over several groups in flight (numeric order of the decimal strings)', async () => {
    const { inFlight } = tracker();
    const a = controlledScoring();
    const b = controlledScoring();
    await inFlight.start([window({ [P]: '100' })], a.process, () => 0);
    await inFlight.start([window({ [P]: '99' })], b.process, () => 0);
    expect(inFlight.heldOffset(P)).toBe('99');
    b.score();
    b.durable.resolve();
    await settle();
    expect(inFlight.heldOffset(P)).toBe('100');
  });

  it('waits for its own windows’ scoring once more windows than maxScoringWindows are in scoring', async () => {
    const { inFlight } = tracker({ maxScoringWindows: 2, maxPendingOutputs: 100 });
    const first = controlledScoring();
    const second = controlledScoring();
    let firstReturned = false;
    let secondReturned = false;
    void inFlight.start([window({}), window({})], first.process, () => 0).then(() => (firstReturned = true));
    void inFlight.start([window({})], second.process, () => 0).then(() => (secondReturned = true));
    await settle();
    expect([firstReturned, secondReturned]).toEqual([true, false]);
    second.score();
    await settle();
    expect(secondReturned).toBe(true);
  });

  it('waits for durability while the sink has more than maxPendingOutputs outputs', async () => {
    const { inFlight } = tracker({ maxScoringWindows: 100, maxPendingOutputs: 10 });
    const s = controlledScoring();
    let returned = false;
    void inFlight.start([window({ [P]: '1' })], s.process, () => 11).then(() => (returned = true));
    s.score();
    await settle();
    expect(returned).toBe(false);
    s.durable.resolve();
    await settle();
    expect(returned).toBe(true);
  });

  it('keeps a scoring failure for the next batch, once, and keeps its offsets held until reset', async () => {
    const { inFlight, log } = tracker();
    const s = controlledScoring();
    await inFlight.start([window({ [P]: '5' })], s.process, () => 0);
    expect(inFlight.takeFailure()).toBeUndefined();
    s.failScoring(new Error('model gone'));
    await settle();
    expect(log).toEqual(['scoring failed: model gone']);
    expect(inFlight.windowsInScoring).toBe(0);
    expect((inFlight.takeFailure()?.error as Error).message).toBe('model gone');
    expect(inFlight.takeFailure()).toBeUndefined();
    expect(inFlight.heldOffset(P)).toBe('5');
    inFlight.reset();
    expect(inFlight.heldOffset(P)).toBeUndefined();
  });

  it('keeps a write failure for the next batch; reset forgets it with the held offsets', async () => {
    const { inFlight, log } = tracker();
    const s = controlledScoring();
    await inFlight.start([window({ [P]: '7' })], s.process, () => 0);
    s.score();
    s.durable.reject(new Error('clickhouse down'));
    await settle();
    expect(log).toEqual(['write failed: clickhouse down']);
    expect(inFlight.heldOffset(P)).toBe('7');
    inFlight.reset();
    expect(inFlight.takeFailure()).toBeUndefined();
    expect(inFlight.heldOffset(P)).toBeUndefined();
  });

  it('drains in order: every scoring, then the flush, then every durability', async () => {
    const { inFlight } = tracker();
    const s = controlledScoring();
    await inFlight.start([window({ [P]: '1' })], s.process, () => 0);
    const steps: string[] = [];
    const drained = inFlight
      .drain(async () => {
        steps.push('flush');
        s.durable.resolve(); // the flush is what writes the buffered outputs
      })
      .then(() => steps.push('drained'));
    await settle();
    expect(steps).toEqual([]); // still scoring: flushing now would miss these windows
    s.score();
    await drained;
    expect(steps).toEqual(['flush', 'drained']);
    expect(inFlight.heldOffset(P)).toBeUndefined();
  });
});
