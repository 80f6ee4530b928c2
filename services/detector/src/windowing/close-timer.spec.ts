import { describe, expect, it } from 'vitest';
import { CloseTimer, type CloseTimerClock } from './close-timer';

/** A hand-driven clock: `advance` fires the armed timer when its time comes. */
function manualClock() {
  let now = 0;
  let armed: { at: number; fn: () => void } | undefined;
  const clock: CloseTimerClock = {
    now: () => now,
    setTimer: (fn, ms) => (armed = { at: now + ms, fn }),
    clearTimer: (h) => {
      if (h === armed) armed = undefined;
    },
  };
  const advance = (ms: number) => {
    now += ms;
    while (armed && armed.at <= now) {
      const { fn } = armed;
      armed = undefined;
      fn();
    }
  };
  return { clock, advance, armedAt: () => armed?.at };
}

describe('CloseTimer', () => {
  it('hands back each device when its time comes, earliest first, with one timer armed', () => {
    const { clock, advance, armedAt } = manualClock();
    const fired: string[][] = [];
    const timer = new CloseTimer((ids) => fired.push(ids), 1000, clock);
    timer.schedule('b', 30);
    timer.schedule('a', 10);
    timer.schedule('c', 10);
    expect(armedAt()).toBe(10);
    advance(9);
    expect(fired).toEqual([]);
    advance(1);
    expect(fired).toEqual([['a', 'c']]);
    expect(armedAt()).toBe(30);
    advance(20);
    expect(fired).toEqual([['a', 'c'], ['b']]);
    expect(timer.pending).toBe(0);
  });

  it('forgets a device rescheduled with nothing to wake for, or further ahead than the horizon', () => {
    const { clock, advance } = manualClock();
    const fired: string[][] = [];
    const timer = new CloseTimer((ids) => fired.push(ids), 1000, clock);
    timer.schedule('a', 10);
    timer.schedule('a', undefined); // its batch closed the window meanwhile
    timer.schedule('b', 1001); // the next traffic comes first
    advance(2000);
    expect(fired).toEqual([]);
  });

  it('fires nothing after stop or clear', () => {
    const { clock, advance } = manualClock();
    const fired: string[][] = [];
    const timer = new CloseTimer((ids) => fired.push(ids), 1000, clock);
    timer.schedule('a', 10);
    timer.clear();
    advance(20);
    timer.schedule('b', 30);
    timer.stop();
    timer.schedule('c', 40);
    advance(100);
    expect(fired).toEqual([]);
  });
});
