import { describe, expect, it } from 'vitest';
import { MemorySink } from '../sinks/memory-sink';
import { pace, SYSTEM_CLOCK, type Clock } from './pacer';
import type { PlannedSend } from './sim-event';

/** A clock that advances only when slept on, recording each sleep. */
function fakeClock(startMs = 1_000_000): Clock & { sleeps: number[] } {
  let now = startMs;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

const send = (sendTimeMs: number, deviceId = 'dev-0001'): PlannedSend => ({
  stream: 'sensor',
  key: deviceId,
  value: { deviceId, eventTimeMs: sendTimeMs - 5, seq: sendTimeMs, values: { rpm: 1 } },
  eventTimeMs: sendTimeMs - 5,
  sendTimeMs,
});

describe('pace', () => {
  it('publishes each send at its send time and groups sends that fall due together', async () => {
    const clock = fakeClock();
    const sink = new MemorySink();
    const batches: number[][] = [];
    const stats = await pace(
      [
        [send(0), send(5)],
        [send(100), send(1000)],
      ],
      sink,
      {
        speed: 1,
        simStartMs: 0,
        clock,
        batchWindowMs: 20,
        onBatch: (b) => batches.push(b.map((s) => s.sendTimeMs)),
      },
    );
    expect(batches).toEqual([[0, 5], [100], [1000]]);
    expect(clock.now() - 1_000_000).toBe(1000);
    expect(stats).toMatchObject({ sent: 4, batches: 3, maxLagMs: 0, aborted: false });
    expect(sink.sends.map((s) => s.sendTimeMs)).toEqual([0, 5, 100, 1000]);
  });

  it('runs faster with a higher speed and without sleeping at max speed', async () => {
    const tenfold = fakeClock();
    await pace([[send(0), send(1000)]], new MemorySink(), { speed: 10, simStartMs: 0, clock: tenfold });
    expect(tenfold.now() - 1_000_000).toBe(100);
    const max = fakeClock();
    const stats = await pace([[send(0), send(60_000)]], new MemorySink(), { speed: 'max', clock: max, maxBatch: 1 });
    expect(max.sleeps).toEqual([]);
    expect(stats.batches).toBe(2);
  });

  it('stops between sends when aborted', async () => {
    const controller = new AbortController();
    const sink = new MemorySink();
    const stats = await pace([[send(0), send(10), send(20)]], sink, {
      speed: 'max',
      maxBatch: 1,
      signal: controller.signal,
      onBatch: () => controller.abort(),
    });
    expect(stats.aborted).toBe(true);
    expect(sink.sends.length).toBeLessThan(3);
  });
});

describe('SYSTEM_CLOCK', () => {
  it('wakes a sleep early when its signal aborts', async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 20);
    await SYSTEM_CLOCK.sleep(10_000, controller.signal);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
