import { seededRandom } from '@vigil/features';
import { describe, expect, it } from 'vitest';
import { EventTimeOrder, type DeviceEvent } from './event-time-order';
import { DriftInputError } from './points';

const device = (deviceId: string, fromS: number, toS: number): DeviceEvent[] =>
  Array.from({ length: toS - fromS }, (_, i) => ({ deviceId, windowStartMs: (fromS + i) * 1_000 }));

const isSorted = (events: DeviceEvent[]) => events.every((e, i) => i === 0 || events[i - 1]!.windowStartMs <= e.windowStartMs);

describe('EventTimeOrder', () => {
  it('merges partitions read at different speeds back into event-time order', () => {
    // Six devices on three "partitions" consumed in random-sized chunks, as concurrent partitions of a backlog are.
    const random = seededRandom(7);
    const partitions = [[...device('a', 0, 200)], [...device('b', 0, 200), ...device('c', 0, 200)], [...device('d', 0, 200), ...device('e', 0, 200)]];
    // Within a partition the devices interleave in time, as the detector publishes them.
    for (const p of partitions) p.sort((x, y) => x.windowStartMs - y.windowStartMs);
    const order = new EventTimeOrder<DeviceEvent>({ maxSkewMs: 600_000 });
    const released: DeviceEvent[] = [];
    const arrived: DeviceEvent[] = [];
    const feed = (chunk: DeviceEvent[]) => {
      arrived.push(...chunk);
      released.push(...order.push(chunk));
    };
    // Live, every device's first window arrives at about the same time; then the partitions race (a backlog).
    for (const p of partitions) feed(p.splice(0, 1));
    while (partitions.some((p) => p.length > 0)) {
      const p = partitions[Math.floor(random.uniform() * partitions.length)]!;
      feed(p.splice(0, 1 + Math.floor(random.uniform() * 40)));
    }
    expect(isSorted(arrived)).toBe(false);
    expect(isSorted(released)).toBe(true);
    // The watermark holds only the newest second (the last window of each device but the slowest).
    expect(released.length).toBeGreaterThanOrEqual(1_000 - 5);
    const rest = order.drain();
    expect(isSorted([...released, ...rest])).toBe(true);
    expect(released.length + rest.length).toBe(1_000);
    expect(order.buffered).toBe(0);
  });

  it('holds a device that runs ahead until the others catch up', () => {
    const order = new EventTimeOrder<DeviceEvent>({ maxSkewMs: 600_000 });
    expect(order.push([...device('a', 0, 1), ...device('b', 0, 1)])).toHaveLength(2);
    expect(order.push(device('a', 1, 100))).toHaveLength(0);
    const released = order.push(device('b', 1, 50));
    expect(released.map((e) => e.windowStartMs)).toEqual(device('x', 1, 50).flatMap((e) => [e.windowStartMs, e.windowStartMs]));
  });

  it('stops waiting for a device more than maxSkewMs behind; its late vectors pass straight through', () => {
    const order = new EventTimeOrder<DeviceEvent>({ maxSkewMs: 30_000 });
    order.push([...device('a', 0, 1), ...device('quiet', 0, 1)]);
    expect(order.push(device('a', 1, 20))).toHaveLength(0); // 19 s ahead: still waited for
    expect(order.push(device('a', 20, 40)).map((e) => e.windowStartMs)).toEqual(device('a', 1, 40).map((e) => e.windowStartMs));
    expect(order.push(device('quiet', 1, 3)).map((e) => e.deviceId)).toEqual(['quiet', 'quiet']);
  });

  it('releases the oldest beyond maxBuffered', () => {
    const order = new EventTimeOrder<DeviceEvent>({ maxSkewMs: 600_000, maxBuffered: 10 });
    order.push([...device('a', 0, 1), ...device('b', 0, 1)]);
    expect(order.push(device('a', 1, 15)).map((e) => e.windowStartMs)).toEqual([1_000, 2_000, 3_000, 4_000]);
    expect(order.buffered).toBe(10);
  });

  it('rejects impossible options', () => {
    expect(() => new EventTimeOrder({ maxSkewMs: -1 })).toThrow(DriftInputError);
    expect(() => new EventTimeOrder({ maxSkewMs: 0, maxBuffered: 0 })).toThrow(DriftInputError);
  });
});
