import { resolve } from 'node:path';
import type { AudioChunk, ImageFrame, SensorReading } from '@vigil/contracts';
import { decodePcm, mulberry32 } from '@vigil/features';
import { audioLogMelFrames, loadMultimodalModel, multimodalScoringModel } from '@vigil/ml';
import { beforeAll, describe, expect, it } from 'vitest';
import { explainWithShap } from '../root-cause/shap-explanation';
import type { AlignedWindow, TimedEvent } from '../windows/types';
import { alignedWindow } from '../windows/aligned-window';
import { LogMelThread } from './log-mel-thread';
import { stackInputs } from './modality-scorer';
import { type MultimodalFrameShapes, multimodalWindowScorer } from './multimodal-scorer';

const MODEL_DIR = resolve(__dirname, '..', '..', '..', '..', 'models', 'multimodal-pump', 'v1');
const CHANNELS = ['rpm', 'motor_current', 'vibration_rms', 'bearing_temp', 'motor_temp', 'pressure', 'flow'];
const SHAPES: MultimodalFrameShapes = {
  sensor: { channels: CHANNELS, steps: 30 },
  audio: { sampleRate: 16000, frames: 24, mels: 32 },
  image: { height: 32, width: 32, channels: 1, overdueAfterMs: 6000 },
};
const SOURCE = { topic: 't', partition: 0, offset: '0' };
const BASE = { rpm: 1480, motor_current: 20, vibration_rms: 2, bearing_temp: 60, motor_temp: 70, pressure: 3.5, flow: 40 };

function sensor(startMs: number): TimedEvent<SensorReading>[] {
  return Array.from({ length: 30 }, (_, i) => ({
    eventTimeMs: startMs + i * 100,
    value: {
      deviceId: 'd',
      eventTimeMs: startMs + i * 100,
      seq: i,
      values: Object.fromEntries(Object.entries(BASE).map(([k, v], c) => [k, v * (1 + 0.01 * Math.sin(i + c))])),
    },
    source: SOURCE,
  }));
}

function audio(startMs: number, seconds: number): TimedEvent<AudioChunk>[] {
  return Array.from({ length: seconds }, (_, s) => {
    const samples = new Int16Array(16000).map((_, i) => Math.round(3000 * Math.sin((2 * Math.PI * 120 * i) / 16000)));
    const chunk: AudioChunk = {
      deviceId: 'd',
      eventTimeMs: startMs + s * 1000,
      seq: s,
      sampleRate: 16000,
      channels: 1,
      encoding: 'PCM_S16LE',
      pcm: Buffer.from(samples.buffer),
    };
    return { eventTimeMs: chunk.eventTimeMs, value: chunk, source: SOURCE };
  });
}

function image(atMs: number): TimedEvent<ImageFrame> {
  const frame = {
    deviceId: 'd',
    eventTimeMs: atMs,
    width: 64,
    height: 64,
    channels: 1,
    encoding: 'RAW_U8',
    data: Buffer.alloc(64 * 64, 120),
  } as unknown as ImageFrame;
  return { eventTimeMs: atMs, value: frame, source: SOURCE };
}

function window(parts: Partial<Pick<AlignedWindow, 'sensor' | 'audio' | 'image' | 'carried' | 'leading' | 'startMs' | 'endMs'>>): AlignedWindow {
  return alignedWindow('d', 10_000, 13_000, parts);
}

describe('multimodalWindowScorer (committed multimodal-pump model)', () => {
  let scorer: ReturnType<typeof multimodalWindowScorer>;
  beforeAll(async () => {
    scorer = multimodalWindowScorer(multimodalScoringModel(await loadMultimodalModel(MODEL_DIR)), SHAPES);
  });

  it('marks each modality present or not, and carries a sparse camera’s frame until it is overdue', () => {
    const full = scorer.frame(window({ sensor: sensor(10_000), audio: audio(10_000, 3), image: [image(11_000)] }))!;
    expect([full.sensor_present![0], full.audio_present![0], full.image_present![0]]).toEqual([1, 1, 1]);
    const carried = scorer.frame(window({ sensor: sensor(10_000), carried: { IMAGE: { event: image(8_000), ageMs: 5000 } } }))!;
    expect([carried.sensor_present![0], carried.audio_present![0], carried.image_present![0]]).toEqual([1, 0, 1]);
    const overdue = scorer.frame(window({ sensor: sensor(10_000), carried: { IMAGE: { event: image(5_000), ageMs: 8000 } } }))!;
    expect(overdue.image_present![0]).toBe(0);
    // 2 of 3 s (a late chunk) and 2.8 of 3 s (the first 200 ms not in): concealed with the sound beside the gap.
    expect(scorer.frame(window({ sensor: sensor(10_000), audio: audio(10_000, 2) }))!.audio_present![0]).toBe(1);
    expect(scorer.frame(window({ sensor: sensor(10_000), audio: audio(10_200, 3) }))!.audio_present![0]).toBe(1);
    // 1 of 3 s: missing, not zero-filled into −100 dB frames.
    const littleSound = scorer.frame(window({ sensor: sensor(10_000), audio: audio(10_000, 1) }))!;
    expect(littleSound.audio_present![0]).toBe(0);
    expect(scorer.frame(window({}))).toBeUndefined();
    // Another machine's readings (a turbofan's s2, s3, …) with sound: not a pump, so not this model's window at all.
    const engine = sensor(10_000).map((r) => ({ ...r, value: { ...r.value, values: { s2: 642, s3: 1583 } } }));
    expect(scorer.frame(window({ sensor: engine, audio: audio(10_000, 3) }))).toBeUndefined();
    // No sensor readings at all (its stream is down): the sound is still scored.
    expect(scorer.frame(window({ audio: audio(10_000, 3) }))!.audio_present![0]).toBe(1);
    // The last window of a device that went quiet 0.5 s in: its sensor left out (the rest would be extrapolated).
    const quiet: AlignedWindow = { ...window({ sensor: sensor(10_000).slice(0, 5), image: [image(10_100)] }), streamEndMs: 10_500 };
    const last = scorer.frame(quiet)!;
    expect([last.sensor_present![0], last.image_present![0]]).toEqual([0, 1]);
    expect(scorer.frame({ ...quiet, image: [] })).toBeUndefined();
  });

  it('scores a mixed batch in one call, with each window’s modality shares summing to 1 over what it carried', () => {
    const frames = [
      scorer.frame(window({ sensor: sensor(10_000), audio: audio(10_000, 3), image: [image(11_000)] }))!,
      scorer.frame(window({ sensor: sensor(10_000) }))!,
    ];
    const { scores, shares } = scorer.model.assess(stackInputs(scorer.model, frames));
    expect([...scores].every(Number.isFinite)).toBe(true);
    expect(Object.values(shares![0]!).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(Object.keys(shares![1]!).filter((k) => shares![1]![k]! > 0)).toEqual(['sensor']);
  });

  it('reuses a device’s log-mel frames across overlapping windows only where the same samples are under them', () => {
    // Noise chunks, one per second, on a grid offset from the windows' (as a staggered device's are).
    const random = mulberry32(7);
    const chunks = Array.from({ length: 8 }, (_, s) => {
      const pcm = Buffer.from(new Int16Array(16000).map(() => Math.round(4000 * (random() - 0.5))).buffer);
      const chunk: AudioChunk = { deviceId: 'd', eventTimeMs: 9_750 + s * 1000, seq: s, sampleRate: 16000, channels: 1, encoding: 'PCM_S16LE', pcm };
      return { eventTimeMs: chunk.eventTimeMs, value: chunk, source: SOURCE };
    });
    /** The reference: the window's samples assembled as in training, then audioLogMelFrames over all of them. */
    const reference = (startMs: number, events: typeof chunks) => {
      const samples = new Float32Array(48_000);
      for (const { value } of events) {
        const offset = Math.round(((value.eventTimeMs - startMs) / 1000) * 16000);
        decodePcm(value.pcm, value.encoding).forEach((v, i) => {
          if (offset + i >= 0 && offset + i < samples.length) samples[offset + i] = v;
        });
      }
      return audioLogMelFrames(samples, 16000, { frames: 24, mels: 32 });
    };
    const fresh = multimodalWindowScorer(scorer.model, SHAPES);
    const inWindow = (startMs: number) => chunks.filter((c) => c.eventTimeMs < startMs + 3000 && c.eventTimeMs + 1000 > startMs);
    // As the assembler hands them over: the chunks stamped inside the window, and the one begun before it as `leading`.
    const assembled = (startMs: number, events: typeof chunks) => {
      const [leading, ...own] = events;
      return window({ startMs, endMs: startMs + 3000, audio: own, leading: { AUDIO: leading! } });
    };
    for (const startMs of [10_000, 11_000, 12_000, 13_000]) {
      const frame = fresh.frame(assembled(startMs, inWindow(startMs)))!;
      expect(frame.audio_present![0]).toBe(1);
      expect(frame.audio).toEqual(reference(startMs, inWindow(startMs)));
    }
    // Without the leading chunk the window's first 750 ms have no sound: concealed from the sound after them. Without
    // the next chunk too (1.75 s of 3 s absent), the sound counts as absent.
    const withoutLeading = (drop: number) =>
      multimodalWindowScorer(scorer.model, SHAPES).frame(
        window({ startMs: 12_000, endMs: 15_000, sensor: sensor(12_000), audio: inWindow(12_000).slice(drop) }),
      )!;
    expect(withoutLeading(1).audio_present![0]).toBe(1);
    expect(withoutLeading(2).audio_present![0]).toBe(0);
    // A chunk that replaces one under cached frames (a replay with other samples) is not served from the cache.
    const replaced = inWindow(14_000).map((c, i) => (i === 1 ? { ...c, value: { ...c.value, pcm: Buffer.alloc(32000, 1) } } : c));
    expect(fresh.frame(assembled(14_000, replaced))!.audio).toEqual(reference(14_000, replaced));
  });

  it('frames windows prepared in the log-mel thread with the same bits as inline, and inline while it boots or where it failed', async () => {
    const random = mulberry32(11);
    const noise = Array.from({ length: 7 }, (_, s) => {
      const pcm = Buffer.from(new Int16Array(16000).map(() => Math.round(6000 * (random() - 0.5))).buffer);
      const chunk: AudioChunk = { deviceId: 'd', eventTimeMs: 9_600 + s * 1000, seq: s, sampleRate: 16000, channels: 1, encoding: 'PCM_S16LE', pcm };
      return { eventTimeMs: chunk.eventTimeMs, value: chunk, source: SOURCE };
    });
    const windows = [10_000, 11_000, 12_000, 13_000].map((startMs) => {
      const [leading, ...own] = noise.filter((c) => c.eventTimeMs < startMs + 3000 && c.eventTimeMs + 1000 > startMs);
      return window({ startMs, endMs: startMs + 3000, sensor: sensor(startMs), audio: own, leading: { AUDIO: leading! }, image: [image(startMs + 500)] });
    });
    const bits = (inputs: Record<string, Float32Array>) =>
      Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, Buffer.from(v.buffer, v.byteOffset, v.byteLength)]));
    const inline = multimodalWindowScorer(scorer.model, SHAPES, { logMelThread: 'inline' });
    const expected = windows.map((w) => bits(inline.frame(w)!));
    const thread = new (class extends LogMelThread {
      computed = 0;
      crashed = false;
      override async frames(placed: Parameters<LogMelThread['frames']>[0]) {
        if (this.crashed) throw new Error('worker thread crashed');
        const frames = await super.frames(placed);
        this.computed += frames.length;
        return frames;
      }
    })();
    try {
      const threaded = multimodalWindowScorer(scorer.model, SHAPES, { logMelThread: thread });
      await threaded.prepare!(windows.slice(0, 1)); // the thread is booting: this window is framed inline
      expect(thread.computed).toBe(0);
      await thread.start();
      await threaded.prepare!(windows.slice(1, 3));
      thread.crashed = true; // the last window's preparation fails: frame() computes it inline
      await threaded.prepare!(windows.slice(3));
      expect(thread.computed).toBe(2);
      expect(windows.map((w) => bits(threaded.frame(w)!))).toEqual(expected);
    } finally {
      await thread.close();
    }
  });

  it('explains a fused window by KernelSHAP over the modalities it carries (none present scores 1, a normal window)', () => {
    const inputs = scorer.frame(window({ sensor: sensor(10_000), audio: audio(10_000, 3), image: [image(11_000)] }))!;
    const assessed = scorer.model.assess(stackInputs(scorer.model, [inputs]));
    const frame = { inputs, reconstruction: assessed.reconstruction, mean: assessed.latent.mean, logVar: assessed.latent.logVar, shares: assessed.shares![0] };
    const problem = scorer.shapProblem!(frame)!;
    expect(problem.players).toEqual(['sensor', 'audio', 'image']);
    const shap = explainWithShap(problem);
    expect(shap.exact).toBe(true);
    expect(shap.baseValue).toBe(1);
    expect(shap.fullValue).toBeCloseTo(assessed.scores[0]!, 4);
    expect(shap.contributions.reduce((s, c) => s + c.value, 0)).toBeCloseTo(shap.fullValue - 1, 4);
    // One modality only: nothing to attribute between.
    expect(scorer.shapProblem!({ ...frame, inputs: scorer.frame(window({ sensor: sensor(10_000) }))! })).toBeUndefined();
  });
});
