import type { AudioChunk } from '@vigil/contracts';
import { decodePcm, LogMelFramer, mulberry32 } from '@vigil/features';
import { audioLogMelFrames } from '@vigil/ml';
import { afterAll, describe, expect, it } from 'vitest';
import type { AlignedWindow, TimedEvent } from '../windows/types';
import { LogMelThread } from './log-mel-thread';
import { placeWindowAudio, WindowLogMels } from './window-log-mels';

const SHAPE = { sampleRate: 16_000, frames: 24, mels: 32 };
const SOURCE = { topic: 't', partition: 0, offset: '0' };

/** One second of seeded noise per chunk, on a grid offset from the windows' (as a staggered device's is). */
function chunks(deviceId: string, seed: number, count: number, firstMs = 9_750): TimedEvent<AudioChunk>[] {
  const random = mulberry32(seed);
  return Array.from({ length: count }, (_, s) => {
    const pcm = Buffer.from(new Int16Array(16_000).map(() => Math.round(8000 * (random() - 0.5))).buffer);
    const chunk: AudioChunk = { deviceId, eventTimeMs: firstMs + s * 1000, seq: s, sampleRate: 16_000, channels: 1, encoding: 'PCM_S16LE', pcm };
    return { eventTimeMs: chunk.eventTimeMs, value: chunk, source: SOURCE };
  });
}

/** The window as the assembler hands it over: the chunks stamped inside it, and the one begun before it as `leading`. */
function windowOf(deviceId: string, startMs: number, stream: TimedEvent<AudioChunk>[]): AlignedWindow {
  const [leading, ...own] = stream.filter((c) => c.eventTimeMs < startMs + 3000 && c.eventTimeMs + 1000 > startMs);
  return {
    deviceId,
    startMs,
    endMs: startMs + 3000,
    sensor: [],
    audio: own,
    image: [],
    missing: [],
    carried: {},
    heldOffsets: new Map(),
    leading: { AUDIO: leading! },
  };
}

/** The training path: the window's samples laid out from scratch, then audioLogMelFrames over all of them. */
function reference(w: AlignedWindow): Float32Array {
  const samples = new Float32Array(48_000);
  for (const { value } of [w.leading!.AUDIO!, ...w.audio] as TimedEvent<AudioChunk>[]) {
    const offset = Math.round(((value.eventTimeMs - w.startMs) / 1000) * 16_000);
    decodePcm(value.pcm, value.encoding).forEach((v, i) => {
      if (offset + i >= 0 && offset + i < samples.length) samples[offset + i] = v;
    });
  }
  return audioLogMelFrames(samples, 16_000, SHAPE);
}

/** Bit for bit (toEqual would let −0 equal 0). */
const bytes = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** Two devices' consecutive windows, interleaved, then a replay of one window with other samples in a chunk. */
function stream(): AlignedWindow[] {
  const a = chunks('a', 1, 9);
  const b = chunks('b', 2, 9, 9_400);
  const windows: AlignedWindow[] = [];
  for (const startMs of [10_000, 11_000, 12_000, 13_000, 14_000]) windows.push(windowOf('a', startMs, a), windowOf('b', startMs - 300, b));
  // A replay whose second chunk carries other samples (a new chunk object): frames over it must be computed afresh.
  const replaced = a.map((c, i) => (i === 5 ? { ...c, value: { ...c.value, pcm: Buffer.alloc(32_000, 3) } } : c));
  windows.push(windowOf('a', 15_000, replaced), windowOf('a', 14_000, a)); // and one out of order
  return windows;
}

describe('WindowLogMels', () => {
  it('gives the bits of audioLogMelFrames over freshly assembled samples, window after overlapping window', () => {
    const logMels = new WindowLogMels();
    for (const w of stream()) expect(bytes(logMels.frames(placeWindowAudio(w, SHAPE)!))).toEqual(bytes(reference(w)));
  });

  it('conceals a late chunk (a 1 s gap in 3 s) with the sound around it: frames off the gap unchanged, over it near the real level', () => {
    const all = chunks('a', 1, 6);
    const late = all[2]!; // stamped 11 750: its windows close without it
    const gapped = all.filter((c) => c !== late);
    const logMels = new WindowLogMels();
    const full = reference(windowOf('a', 11_000, all));
    const placed = placeWindowAudio(windowOf('a', 11_000, gapped), SHAPE)!;
    expect(placed).toBeDefined();
    const concealed = logMels.frames(placed);
    const framesOf = (f: Float32Array, t: number) => f.subarray(t * SHAPE.mels, (t + 1) * SHAPE.mels);
    // The gap is 750–1750 ms into the window: samples 12 000–28 000.
    const framer = new LogMelFramer(48_000, 16_000, { frames: SHAPE.frames, mels: SHAPE.mels });
    const level = (f: Float32Array, t: number) => framesOf(f, t).reduce((a, v) => a + v, 0) / SHAPE.mels;
    let gapError = 0;
    let gapFrames = 0;
    for (let t = 0; t < SHAPE.frames; t++) {
      const first = framer.firstSample(t);
      if (first + framer.nFft <= 12_000 || first >= 28_000) expect(bytes(framesOf(concealed, t))).toEqual(bytes(framesOf(full, t)));
      else {
        gapError += Math.abs(level(concealed, t) - level(full, t));
        gapFrames += 1;
      }
    }
    // Silence would read −100 dB; the concealed stretch is within a decibel of the real noise on average.
    expect(gapError / gapFrames).toBeLessThan(1);
  });

  it('conceals a stream’s first chunk not in yet from the sound after it, and computes every frame over a gap afresh', () => {
    const all = chunks('a', 1, 6);
    const logMels = new WindowLogMels();
    for (const startMs of [10_000, 11_000, 12_000]) {
      // The chunk at 11 750 never arrives: three consecutive windows each conceal it; none reuses another's frames over it.
      const placed = placeWindowAudio(
        windowOf(
          'a',
          startMs,
          all.filter((_, i) => i !== 2),
        ),
        SHAPE,
      )!;
      expect(bytes(logMels.frames(placed))).toEqual(bytes(audioLogMelFrames(placed.samples, 16_000, SHAPE)));
    }
    const start = windowOf('a', 10_000, all);
    const placed = placeWindowAudio({ ...start, leading: {} }, SHAPE)!; // 10.0–10.75 s uncovered
    expect(placed.samples[0]).toBe(placed.samples[2 * 12_000 - 1]); // mirrored from the sound after the gap
    expect(placed.samples.subarray(0, 12_000).filter((v) => v === 0).length).toBeLessThan(120); // noise, not silence
  });

  it('counts a window with over 35 % of its sound absent as without sound, leaving the buffer as it was', () => {
    const w = windowOf('a', 10_000, chunks('a', 1, 4));
    const buffer = new Float32Array(48_000).fill(7);
    expect(placeWindowAudio({ ...w, audio: w.audio.slice(0, 1) }, SHAPE, buffer)).toBeUndefined();
    expect(buffer.every((v) => v === 7)).toBe(true); // left for the next window
    const otherRate = (w.audio as TimedEvent<AudioChunk>[]).map((c) => ({ ...c, value: { ...c.value, sampleRate: 8000 } }));
    expect(placeWindowAudio({ ...w, audio: otherRate }, SHAPE)).toBeUndefined();
  });
});

describe('LogMelThread', () => {
  const thread = new LogMelThread();
  afterAll(() => thread.close());

  it('computes in its worker the same bits as inline, and hands the sample buffers back for reuse', async () => {
    const windows = stream();
    const inline = new WindowLogMels();
    const expected = windows.map((w) => bytes(inline.frames(placeWindowAudio(w, SHAPE)!)));
    // In two calls, as micro-batches come: the worker's per-device frames carry over from one to the next.
    const first = await thread.frames(windows.slice(0, 4).map((w) => placeWindowAudio(w, SHAPE)!));
    const reused = thread.takeBuffer(48_000);
    expect(reused?.length).toBe(48_000);
    const rest = await thread.frames(windows.slice(4).map((w, i) => placeWindowAudio(w, SHAPE, i === 0 ? reused : undefined)!));
    expect([...first, ...rest].map(bytes)).toEqual(expected);
  });

  it('fails its pending calls when closed and starts afresh on the next', async () => {
    const w = stream()[0]!;
    const failed = expect(thread.frames([placeWindowAudio(w, SHAPE)!])).rejects.toThrow(/closed/);
    await thread.close();
    await failed;
    expect(bytes((await thread.frames([placeWindowAudio(w, SHAPE)!]))[0]!)).toEqual(bytes(reference(w)));
  });
});
