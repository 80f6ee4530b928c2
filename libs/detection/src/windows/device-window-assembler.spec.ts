import { describe, expect, it } from 'vitest';
import { DeviceWindowAssembler, offsetBefore, staggeredPhaseMs } from './device-window-assembler';
import type { StreamModality, TimedEvent, WindowConfig } from './types';

let offset = 0;
const ev = (t: number, topic = 'sensor', partition = 0): TimedEvent<number> => ({
  eventTimeMs: t,
  value: t,
  source: { topic, partition, offset: String(offset++) },
});
const cfg = { lengthMs: 3000, hopMs: 1000, allowedLatenessMs: 500, expected: ['SENSOR'] as StreamModality[] };
const twoModalities = { ...cfg, expected: ['SENSOR', 'AUDIO'] as StreamModality[] };
const times = (events: TimedEvent<unknown>[]): number[] => events.map((e) => e.eventTimeMs);

describe('DeviceWindowAssembler', () => {
  it('cuts epoch-aligned overlapping windows once the watermark passes their end', () => {
    const a = new DeviceWindowAssembler('d', cfg);
    for (let t = 1000; t <= 4400; t += 100) a.add('SENSOR', ev(t));
    // watermark = 4400 - 500 = 3900: only [1000, 4000) is not yet closable; nothing ends ≤ 3900 except none.
    expect(a.closeReady()).toEqual([]);
    a.add('SENSOR', ev(4500));
    const [w] = a.closeReady();
    expect([w!.startMs, w!.endMs]).toEqual([1000, 4000]);
    expect(times(w!.sensor)).toHaveLength(30);
    expect(w!.sensor[0]!.eventTimeMs).toBe(1000);
    expect(w!.sensor.at(-1)!.eventTimeMs).toBe(3900);
    a.add('SENSOR', ev(5600));
    expect(a.closeReady().map((x) => x.startMs)).toEqual([2000]);
  });

  it('tells each window where each modality’s stream began (its first event), so a lead-in is no dropout', () => {
    const a = new DeviceWindowAssembler('d', twoModalities);
    a.add('AUDIO', ev(1000, 'audio')); // the grid starts at the sound; the sensor stream starts 1.2 s later
    for (let t = 2200; t <= 6000; t += 100) a.add('SENSOR', ev(t));
    for (let t = 2000; t <= 6000; t += 1000) a.add('AUDIO', ev(t, 'audio'));
    const [first, second] = a.closeReady(Number.MAX_SAFE_INTEGER);
    expect(first!.startMs).toBe(1000);
    expect(first!.firstEventMs).toEqual({ AUDIO: 1000, SENSOR: 2200 });
    expect(second!.firstEventMs).toEqual({ AUDIO: 1000, SENSOR: 2200 });
  });

  it('re-orders out-of-order events inside a window', () => {
    const a = new DeviceWindowAssembler('d', cfg);
    for (const t of [1000, 1300, 1100, 2900, 1200, 2000]) a.add('SENSOR', ev(t));
    a.add('SENSOR', ev(4500)); // watermark 4000 closes [1000, 4000)
    const [w] = a.closeReady();
    expect(times(w!.sensor)).toEqual([1000, 1100, 1200, 1300, 2000, 2900]);
  });

  it('reports events older than every open window as late, and accepts those within the lateness', () => {
    const a = new DeviceWindowAssembler('d', cfg);
    a.add('SENSOR', ev(1000));
    a.add('SENSOR', ev(4600)); // watermark 4100: [1000,4000) closes
    expect(a.closeReady()).toHaveLength(1);
    expect(a.add('SENSOR', ev(1500))).toBe('late'); // only in the closed window
    expect(a.add('SENSOR', ev(2500))).toBe('accepted'); // still inside [2000, 5000)
  });

  it('fixes the grid at the earliest event when the first window closes, not by the first arrival', () => {
    const a = new DeviceWindowAssembler('d', cfg);
    a.add('SENSOR', ev(2500));
    expect(a.add('SENSOR', ev(1400))).toBe('accepted'); // arrived second, but earlier
    a.add('SENSOR', ev(5600));
    expect(a.closeReady().map((w) => w.startMs)).toEqual([2000]);
    expect(a.add('SENSOR', ev(1900))).toBe('late');
  });

  it('waits for an expected modality it has not heard from yet (a backlog arriving one topic at a time)', () => {
    const a = new DeviceWindowAssembler('d', { ...twoModalities, modalityIdleMs: 5000 });
    for (let t = 1000; t <= 9000; t += 1000) a.add('AUDIO', ev(t, 'audio'), 0);
    expect(a.closeReady(1000)).toEqual([]); // sensor not seen yet, still within the idle allowance
    for (let t = 1000; t <= 5000; t += 100) a.add('SENSOR', ev(t), 2000);
    expect(a.closeReady(2000).map((w) => [w.startMs, w.sensor.length, w.audio.length])).toEqual([[1000, 30, 3]]);
  });

  it('flags a missing modality and still emits the window', () => {
    const a = new DeviceWindowAssembler('d', twoModalities);
    a.add('SENSOR', ev(1000));
    a.add('AUDIO', ev(5000, 'audio'));
    a.add('SENSOR', ev(5000));
    const windows = a.closeReady();
    expect(windows.map((w) => w.missing)).toEqual([['AUDIO']]);
  });

  it('holds windows open while a modality lags behind (backlog), so they do not close without it', () => {
    const a = new DeviceWindowAssembler('d', twoModalities);
    const now = 1_000_000;
    a.add('AUDIO', ev(1000, 'audio'), now);
    a.add('SENSOR', ev(1000), now);
    for (let t = 1000; t <= 20_000; t += 1000) a.add('AUDIO', ev(t, 'audio'), now); // audio consumed far ahead
    expect(a.closeReady(now)).toEqual([]); // sensor is still at 1000
    for (let t = 1100; t <= 4600; t += 100) a.add('SENSOR', ev(t), now);
    const [w] = a.closeReady(now);
    expect(w!.sensor).toHaveLength(30);
    expect(w!.missing).toEqual([]);
  });

  it('stops waiting for a modality that has been silent for modalityIdleMs (an outage)', () => {
    const a = new DeviceWindowAssembler('d', { ...twoModalities, modalityIdleMs: 5000 });
    a.add('AUDIO', ev(1000, 'audio'), 0);
    for (let t = 1000; t <= 6000; t += 100) a.add('SENSOR', ev(t), 1000);
    expect(a.closeReady(2000)).toEqual([]); // audio silent for 2 s: still waited for (its progress: 1000 + 2000)
    expect(a.closeReady(6000).map((w) => [w.startMs, w.missing])).toEqual([
      [1000, []],
      [2000, ['AUDIO']],
    ]);
  });

  it('lets a sparse live modality progress with the wall clock between its events, up to the device’s newest event', () => {
    const a = new DeviceWindowAssembler('d', { ...cfg, expected: ['SENSOR', 'IMAGE'], modalityIdleMs: 10_000 });
    // Live: event time = wall time. An image at 1000, then sensors every 100 ms up to 5000.
    a.add('IMAGE', ev(1000, 'image'), 1000);
    for (let t = 1000; t <= 5000; t += 100) a.add('SENSOR', ev(t), t);
    // By wall time 5000 the image stream has progressed to 5000 (the next image is due at 6000): the window
    // [1000, 4000) closes now instead of waiting for that image.
    expect(a.closeReady(5000).map((w) => [w.startMs, w.image.length, w.missing])).toEqual([[1000, 1, []]]);
    // Never beyond the device's newest event: an hour of wall clock without data closes nothing more.
    expect(a.closeReady(3_600_000).length).toBe(0);
  });

  it('says when the clock alone will close the next window once its closing event is in (another stream consumed later)', () => {
    const a = new DeviceWindowAssembler('d', twoModalities);
    // Live: sensors consumed 10 ms after their event time, sound 30 ms after (another topic, another batch).
    for (let t = 1000; t <= 4000; t += 1000) a.add('AUDIO', ev(t, 'audio'), t + 30);
    for (let t = 1000; t <= 4400; t += 100) a.add('SENSOR', ev(t), t + 10);
    expect(a.closeReady(4410)).toEqual([]);
    expect(a.nextCloseAtMs(4410)).toBeUndefined(); // [1000, 4000) needs an event at 4500 first
    a.add('SENSOR', ev(4500), 4510);
    // The sound's progress is 4000 + (now − 4030): it reaches 4500 at 4530, not at the closer's 4510.
    expect(a.closeReady(4510)).toEqual([]);
    expect(a.nextCloseAtMs(4510)).toBe(4530);
    expect(a.closeReady(4529)).toEqual([]);
    expect(a.closeReady(4530).map((w) => w.startMs)).toEqual([1000]);
    expect(a.nextCloseAtMs(4530)).toBeUndefined(); // [2000, 5000) waits for 5500
  });

  it('has no clock close time for an expected modality never heard from (start-up waits for it)', () => {
    const a = new DeviceWindowAssembler('d', twoModalities);
    for (let t = 1000; t <= 6000; t += 100) a.add('SENSOR', ev(t), t);
    expect(a.closeReady(6000)).toEqual([]);
    expect(a.nextCloseAtMs(6000)).toBeUndefined();
  });

  it('cuts windows on a grid shifted by the device phase', () => {
    const a = new DeviceWindowAssembler('d', { ...cfg, phaseMs: 250 });
    for (let t = 1000; t <= 6000; t += 100) a.add('SENSOR', ev(t));
    const windows = a.closeReady();
    expect(windows.map((w) => [w.startMs, w.endMs])).toEqual([
      [1250, 4250],
      [2250, 5250],
    ]);
    expect(windows[0]!.sensor[0]!.eventTimeMs).toBe(1300);
    expect(windows[0]!.sensor.at(-1)!.eventTimeMs).toBe(4200);
    expect(() => new DeviceWindowAssembler('d', { ...cfg, phaseMs: 1000 })).toThrow(RangeError);
  });

  it('hands each window the latest event stamped before its start (a sound chunk begun before it covers its first part)', () => {
    const a = new DeviceWindowAssembler('d', { ...twoModalities, phaseMs: 816 });
    for (let t = 1000; t <= 9000; t += 100) a.add('SENSOR', ev(t));
    for (let t = 1000; t <= 9000; t += 1000) a.add('AUDIO', ev(t, 'audio')); // 1 s chunks stamped at their first sample
    const windows = a.closeReady(Number.MAX_SAFE_INTEGER);
    expect([windows[0]!.startMs, windows[1]!.startMs]).toEqual([1816, 2816]);
    expect(times(windows[0]!.audio)).toEqual([2000, 3000, 4000]);
    expect(windows[0]!.leading?.AUDIO?.eventTimeMs).toBe(1000); // buffered
    expect(windows[1]!.leading?.AUDIO?.eventTimeMs).toBe(2000); // already evicted by the first window's close
    expect(windows[1]!.leading?.SENSOR?.eventTimeMs).toBe(2800);
  });

  it('gives each device a stable phase within the hop, spread over it across a fleet', () => {
    expect(staggeredPhaseMs('pump-0001', 1000)).toBe(staggeredPhaseMs('pump-0001', 1000));
    const phases = Array.from({ length: 400 }, (_, i) => staggeredPhaseMs(`pump-${String(i).padStart(4, '0')}`, 1000));
    expect(phases.every((p) => Number.isInteger(p) && p >= 0 && p < 1000)).toBe(true);
    // Roughly uniform: each quarter of the hop holds between 15 % and 35 % of the fleet.
    for (let q = 0; q < 4; q++) {
      const share = phases.filter((p) => p >= q * 250 && p < (q + 1) * 250).length / phases.length;
      expect(share).toBeGreaterThan(0.15);
      expect(share).toBeLessThan(0.35);
    }
  });

  it('skips windows emitted before a restart', () => {
    const a = new DeviceWindowAssembler('d', cfg, 2000);
    for (let t = 1000; t <= 7000; t += 100) a.add('SENSOR', ev(t));
    expect(a.closeReady().map((w) => w.startMs)).toEqual([3000]);
  });

  it('reports the smallest buffered offset per topic-partition and releases it after use', () => {
    offset = 100;
    const a = new DeviceWindowAssembler('d', cfg);
    a.add('SENSOR', ev(1000)); // offset 100
    a.add('AUDIO', ev(1200, 'audio', 3)); // offset 101
    a.add('SENSOR', ev(2100)); // offset 102
    const held = new Map<string, string>();
    a.retainedOffsets(held);
    expect(held).toEqual(
      new Map([
        ['sensor#0', '100'],
        ['audio#3', '101'],
      ]),
    );
    a.add('IMAGE', ev(4600, 'image', 1)); // offset 103: a partition first seen after the last answer
    const withImage = new Map<string, string>();
    a.retainedOffsets(withImage);
    expect(withImage).toEqual(
      new Map([
        ['sensor#0', '100'],
        ['audio#3', '101'],
        ['image#1', '103'],
      ]),
    );
    a.add('SENSOR', ev(4600)); // offset 104
    a.add('AUDIO', ev(4600, 'audio', 3)); // offset 105
    a.closeReady(); // [1000, 4000) closed: events before 2000 are released
    const after = new Map<string, string>();
    a.retainedOffsets(after);
    expect(after).toEqual(
      new Map([
        ['sensor#0', '102'],
        ['audio#3', '105'],
        ['image#1', '103'],
      ]),
    );
  });

  it('hands each closed window the offsets a commit must not pass until it is durable', () => {
    offset = 98;
    const a = new DeviceWindowAssembler('d', cfg);
    for (let t = 1000; t <= 5600; t += 100) a.add('SENSOR', ev(t)); // offsets 98..144
    const windows = a.closeReady();
    expect(windows.map((w) => w.startMs)).toEqual([1000, 2000]);
    // Both windows' events start at offset 98 or later: the hold is the earliest event buffered before closing.
    for (const w of windows) expect(w.heldOffsets).toEqual(new Map([['sensor#0', '98']]));
    a.add('SENSOR', ev(6600));
    const [next] = a.closeReady();
    expect(next!.startMs).toBe(3000);
    expect(next!.heldOffsets.get('sensor#0')).toBe('118'); // the first event at or after 3000 (t = 3000)
  });

  it('orders offsets numerically without parsing them', () => {
    expect(offsetBefore('99', '100')).toBe(true);
    expect(offsetBefore('100', '99')).toBe(false);
    expect(offsetBefore('123', '124')).toBe(true);
    expect(offsetBefore('124', '124')).toBe(false);
    expect(offsetBefore('9007199254740993', '9007199254740994')).toBe(true); // beyond 2^53: still exact
  });

  it('flushes every window holding a buffered event when asked (idle device)', () => {
    const a = new DeviceWindowAssembler('d', cfg);
    for (const t of [1000, 2000, 3000, 3500]) a.add('SENSOR', ev(t));
    const flushed = a.flushAll();
    expect(flushed.map((w) => w.startMs)).toEqual([1000, 2000, 3000]);
    // Each says where the device's stream ended, so its tail is not judged a dropout.
    expect(flushed.map((w) => w.streamEndMs)).toEqual([3500, 3500, 3500]);
    // The last lies mostly past that end: models leave its sensor frame out, so it says the sensor is missing there.
    expect(flushed.map((w) => w.missing)).toEqual([[], [], ['SENSOR']]);
    expect(a.bufferedEvents).toBe(0);
    expect(new DeviceWindowAssembler('e', cfg).flushAll()).toEqual([]);
  });

  it('rejects a length that is not a multiple of the hop', () => {
    expect(() => new DeviceWindowAssembler('d', { ...cfg, lengthMs: 2500 })).toThrow(/multiple of hop/);
  });
});

describe('DeviceWindowAssembler: silences and sparse modalities', () => {
  const base: WindowConfig = { lengthMs: 3000, hopMs: 1000, allowedLatenessMs: 500, expected: ['SENSOR'] };

  it('a device silent for 5 minutes leaves a handful of windows for that span, not one per hop, and one silence', () => {
    const a = new DeviceWindowAssembler('d', base);
    for (let t = 1000; t < 10_000; t += 100) a.add('SENSOR', ev(t), t);
    const before = a.closeReady(10_000);
    const back = 10_000 + 5 * 60_000;
    for (let t = back; t < back + 10_000; t += 100) a.add('SENSOR', ev(t), t);
    const after = a.closeReady(back + 10_000);
    const inSilence = after.filter((w) => w.endMs > 10_000 && w.startMs < back);
    expect(inSilence.length).toBeLessThanOrEqual(4); // the partial windows at each edge of the silence
    expect(inSilence.every((w) => w.sensor.length > 0)).toBe(true); // the partial windows around the edges hold data
    expect(a.takeSilences()).toEqual([{ deviceId: 'd', lastEventMs: 9900, resumedAtMs: back }]);
    expect(a.takeSilences()).toEqual([]);
    // Resumes on the grid, from its next data: the first window after the silence contains the first new event.
    const first = after.find((w) => w.startMs >= 10_000)!;
    expect(first.startMs).toBeGreaterThan(back - 3000);
    expect(first.startMs).toBeLessThanOrEqual(back);
    expect((first.startMs - 1000) % 1000).toBe(0);
    expect(before.length + after.length).toBeLessThan(30);
  });

  it('still reports a short dropout as missing windows (shorter than silenceAfterMs)', () => {
    const a = new DeviceWindowAssembler('d', { ...base, expected: ['SENSOR', 'AUDIO'] });
    for (let t = 1000; t < 20_000; t += 100) a.add('SENSOR', ev(t), t);
    for (let t = 1000; t < 20_000; t += 1000) if (t < 6000 || t > 12_000) a.add('AUDIO', ev(t, 'audio'), t);
    const windows = a.closeReady(20_000);
    expect(windows.filter((w) => w.missing.includes('AUDIO')).length).toBeGreaterThan(0);
    expect(a.takeSilences()).toEqual([]);
  });

  it('an image every 5 s is not missing from the 3 s windows between its frames: it is carried, with its age', () => {
    const a = new DeviceWindowAssembler('d', { ...base, expected: ['SENSOR', 'IMAGE'], modalityIdleMs: 10_000 });
    for (let t = 1000; t <= 40_000; t += 100) {
      a.add('SENSOR', ev(t), t);
      if (t % 5000 === 0) a.add('IMAGE', ev(t, 'image'), t);
    }
    const windows = a.closeReady(40_000).filter((w) => w.startMs >= 6000);
    expect(windows.length).toBeGreaterThan(20);
    expect(windows.filter((w) => w.missing.includes('IMAGE'))).toEqual([]);
    const carried = windows.filter((w) => w.image.length === 0);
    expect(carried.length).toBeGreaterThan(5); // ~40 % of windows hold no frame of their own
    for (const w of carried) {
      const c = w.carried.IMAGE!;
      expect(c.ageMs).toBe(w.endMs - c.event.eventTimeMs);
      expect(c.ageMs).toBeLessThanOrEqual(8000);
    }
  });

  it('at start-up, an image every 5 s is not missing before its first frame or between its first two', () => {
    // The camera's phase starts it 3.5 s after the sensor; its period is unknown until its second frame.
    const a = new DeviceWindowAssembler('d', { ...base, expected: ['SENSOR', 'IMAGE'] });
    for (let t = 1000; t <= 20_000; t += 100) {
      a.add('SENSOR', ev(t), t);
      if ((t - 4500) % 5000 === 0) a.add('IMAGE', ev(t, 'image'), t);
    }
    const windows = a.closeReady(20_000);
    expect(windows[0]!.startMs).toBe(1000);
    expect(windows.filter((w) => w.missing.includes('IMAGE')).map((w) => w.startMs)).toEqual([]);
    // [2000, 5000) ends 500 ms after the first frame, [5000, 8000) holds none: carried from 4500 although no period is known yet.
    expect(windows.find((w) => w.startMs === 5000)!.carried.IMAGE?.ageMs).toBe(3500);
    expect(windows.find((w) => w.startMs === 1000)!.carried.IMAGE).toBeUndefined();
  });

  it('calls a camera missing that never sends, once the idle time after the first event of the device has passed', () => {
    const a = new DeviceWindowAssembler('d', { ...base, expected: ['SENSOR', 'IMAGE'] });
    for (let t = 1000; t <= 20_000; t += 100) a.add('SENSOR', ev(t), t);
    const windows = a.closeReady(20_000 + 60_000);
    const missing = windows.filter((w) => w.missing.includes('IMAGE')).map((w) => w.startMs);
    // Windows ending by 1000 + 5000 + lateness are start-up grace; every later one calls the camera missing.
    const grace = 1000 + 5000 + base.allowedLatenessMs;
    expect(missing).toEqual(windows.filter((w) => w.endMs > grace).map((w) => w.startMs));
    expect(missing.length).toBeGreaterThan(10);
  });

  it('calls a camera missing whose only frame is older than the idle time', () => {
    const b = new DeviceWindowAssembler('d', { ...base, expected: ['SENSOR', 'IMAGE'], modalityIdleMs: 4000 });
    for (let t = 1000; t <= 30_000; t += 100) {
      b.add('SENSOR', ev(t), t);
      if (t === 2000) b.add('IMAGE', ev(t, 'image'), t);
    }
    const after = b.closeReady(30_000).filter((w) => w.startMs >= 2000 && w.image.length === 0);
    for (const w of after) expect(w.missing.includes('IMAGE')).toBe(w.endMs - 2000 > 4000 + base.allowedLatenessMs);
    expect(after.filter((w) => !w.missing.includes('IMAGE')).length).toBeGreaterThan(0);
    expect(after.filter((w) => w.missing.includes('IMAGE')).length).toBeGreaterThan(10);
  });

  it('calls an overdue image missing (the camera stopped)', () => {
    const a = new DeviceWindowAssembler('d', { ...base, expected: ['SENSOR', 'IMAGE'], modalityIdleMs: 60_000 });
    for (let t = 1000; t <= 40_000; t += 100) {
      a.add('SENSOR', ev(t), t);
      if (t % 5000 === 0 && t <= 20_000) a.add('IMAGE', ev(t, 'image'), t);
    }
    const windows = a.closeReady(40_000);
    const late = windows.filter((w) => w.startMs >= 30_000);
    expect(late.length).toBeGreaterThan(0);
    expect(late.every((w) => w.missing.includes('IMAGE'))).toBe(true);
  });
});
