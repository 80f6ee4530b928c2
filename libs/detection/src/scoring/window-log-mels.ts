/**
 * The log-mel frames of windows' sound, in two steps so that the costly one can leave the event loop:
 *
 * - `placeWindowAudio` (cheap, on the caller's thread): the window's chunks decoded (each chunk once) and laid
 *   into one window-sized sample buffer, with where each chunk sits in absolute sample indices and whether the
 *   chunks cover the window.
 * - `WindowLogMels.frames` (the FFTs and mel sums): `[frames][mels]` of a placed window. Each device's interior
 *   frames (those that read no padding) are kept for the device's next window and reused where the same chunks
 *   at the same positions lie under them, so a window of 3 s with a 1 s hop computes the 8 frames of its new
 *   second and its 3 edge frames, not 24. It needs only plain data (`PlacedWindowAudio`), so it runs inline or in
 *   a worker thread (`LogMelThread`) with the same code, hence the same bits.
 *
 * Chunks are told apart by an id given when a chunk object is first decoded: a replayed or replaced chunk is a
 * new object, so frames over it are computed afresh, as they were when the cache compared chunk objects.
 *
 * @example
 *   const placed = placeWindowAudio(window, { sampleRate: 16_000, frames: 24, mels: 32 });
 *   const frames = placed && new WindowLogMels().frames(placed);   // Float32Array 24 × 32, or undefined: too little sound
 */
import type { AudioChunk } from '@vigil/contracts';
import { decodePcm, LogMelFramer } from '@vigil/features';
import type { AlignedWindow, TimedEvent } from '../windows/types';

/** What the frames are computed for: the model's audio input. */
export interface LogMelShape {
  sampleRate: number;
  frames: number;
  mels: number;
}

/**
 * Share of the window's audio samples the chunks must cover for the window's sound to be used as it is: all of it,
 * give or take rounding. An uncovered stretch must not stay silence in the log-mel frames (−100 dB), a sound the
 * model never heard: one such window at a stream's start (its first chunk not in yet) scored 615 against a normal
 * 1 and lifted the device's FUSED threshold fifteen-fold. Sound with a gap is concealed (up to
 * MAX_CONCEALED_SHARE) or missing, never zero-filled.
 */
export const MIN_AUDIO_COVERAGE = 0.995;

/**
 * Largest share of a window's sound that may be absent and still be concealed rather than the window's sound
 * called missing: one 1 s chunk of a 3 s window, with rounding. A chunk that arrives after its windows closed (1 %
 * of chunks in the demo scenario, 2–20 s late) otherwise took the sound out of three windows, and with it the only
 * modality a cavitation fault shows in (3 of 60 paced fault windows lost). See `concealGap`.
 */
export const MAX_CONCEALED_SHARE = 0.35;

/** A window's sound as plain data (structured-clonable; `samples` transferable). */
export interface PlacedWindowAudio {
  deviceId: string;
  shape: LogMelShape;
  /** Absolute index of the window's first sample (its start time × sample rate). */
  origin: number;
  /** The window's samples; zero where no chunk covers it. */
  samples: Float32Array;
  /** Per chunk, in window order: `[id, first, end)` absolute sample indices of the whole chunk (not clipped). */
  chunks: Float64Array;
}

/** A decoded chunk and its id, once per chunk object however many windows it falls in. */
const decodedChunks = new WeakMap<AudioChunk, { id: number; samples: Float32Array }>();
let nextChunkId = 1;
function decoded(chunk: AudioChunk): { id: number; samples: Float32Array } {
  let entry = decodedChunks.get(chunk);
  if (!entry) {
    entry = { id: nextChunkId++, samples: decodePcm(chunk.pcm, chunk.encoding) };
    decodedChunks.set(chunk, entry);
  }
  return entry;
}

/** The window length in samples at the shape's rate. */
export function windowSamplesOf(w: Pick<AlignedWindow, 'startMs' | 'endMs'>, sampleRate: number): number {
  return Math.round(((w.endMs - w.startMs) / 1000) * sampleRate);
}

/**
 * The window's chunks (and the one begun before it, `w.leading`) laid into `buffer` (zeroed first; a new one when
 * absent or of another length), a gap of up to MAX_CONCEALED_SHARE concealed with the sound around it
 * (`concealGap`), or undefined when they cover less, or a gap has no sound of its length beside it (`buffer` is
 * then left as it was). Chunks of another rate or channel count (another microphone set-up than trained on) are
 * left out.
 */
export function placeWindowAudio(w: AlignedWindow, shape: LogMelShape, buffer?: Float32Array): PlacedWindowAudio | undefined {
  const placed = placeWindowSamples(w, shape.sampleRate, buffer);
  return placed && { deviceId: w.deviceId, shape, ...placed };
}

/** placeWindowAudio without a log-mel shape: the window's samples at `sampleRate` and where its chunks lie. */
export function placeWindowSamples(w: AlignedWindow, sampleRate: number, buffer?: Float32Array): Omit<PlacedWindowAudio, 'deviceId' | 'shape'> | undefined {
  const length = windowSamplesOf(w, sampleRate);
  const origin = Math.round((w.startMs / 1000) * sampleRate);
  // Where each usable chunk lands, and how much of the window they cover, before any sample is copied: a window
  // without enough sound leaves `buffer` untouched for the next one.
  const spans: { pcm: Float32Array; offset: number; from: number; to: number }[] = [];
  const placed: number[] = [];
  let covered = 0;
  const chunks = [w.leading?.AUDIO, ...w.audio].filter((e) => e !== undefined) as TimedEvent<AudioChunk>[];
  for (const { value: chunk } of chunks) {
    if (chunk.sampleRate !== sampleRate || chunk.channels !== 1) continue;
    const { id, samples: pcm } = decoded(chunk);
    const offset = Math.round(((chunk.eventTimeMs - w.startMs) / 1000) * sampleRate);
    if (offset >= length || offset + pcm.length <= 0) continue;
    const from = Math.max(0, -offset);
    const to = Math.min(pcm.length, length - offset);
    spans.push({ pcm, offset, from, to });
    covered += to - from;
    // Where the whole chunk sits (not clipped to this window), so the next window sees the same placement.
    placed.push(id, origin + offset, origin + offset + pcm.length);
  }
  if (covered < (1 - MAX_CONCEALED_SHARE) * length) return undefined;
  const gaps = covered < MIN_AUDIO_COVERAGE * length ? concealableGaps(spans, length) : [];
  if (gaps === undefined) return undefined;
  const samples = buffer?.length === length ? buffer.fill(0) : new Float32Array(length);
  for (const { pcm, offset, from, to } of spans) samples.set(pcm.subarray(from, to), offset + from);
  for (const gap of gaps) {
    concealGap(samples, gap);
    // The concealed stretch as a source of its own, new each time: frames over it are never reused by the next window.
    placed.push(nextChunkId++, origin + gap.start, origin + gap.end);
  }
  return { origin, samples, chunks: Float64Array.from(placed) };
}

interface Run {
  start: number;
  end: number;
}

/** A gap, and on which sides real sound of its own length lies right beside it (no other gap in the way). */
interface Gap extends Run {
  before: boolean;
  after: boolean;
}

/** The stretches of `[0, length)` no span covers, in order, or undefined when one has no sound of its length beside it. */
function concealableGaps(spans: readonly { offset: number; from: number; to: number }[], length: number): Gap[] | undefined {
  const covered = spans.map((s) => ({ start: s.offset + s.from, end: s.offset + s.to })).sort((a, b) => a.start - b.start);
  const runs: Run[] = [];
  let reached = 0;
  for (const c of covered) {
    if (c.start > reached) runs.push({ start: reached, end: c.start });
    reached = Math.max(reached, c.end);
  }
  if (reached < length) runs.push({ start: reached, end: length });
  const clear = (from: number, to: number, own: Run) => from >= 0 && to <= length && runs.every((g) => g === own || g.end <= from || g.start >= to);
  const gaps = runs.map((r) => {
    const n = r.end - r.start;
    return { ...r, before: clear(r.start - n, r.start, r), after: clear(r.end, r.end + n, r) };
  });
  return gaps.every((g) => g.before || g.after) ? gaps : undefined;
}

/**
 * Fills a gap with the sound around it, mirrored at its edges (the sound just before it, played backwards from the
 * gap's start; the sound just after it, backwards into its end), cross-faded at equal power where both sides are
 * there. A mirror meets the real sound without a jump at its edge and keeps the magnitude spectrum of a steady
 * machine's sound, so the log-mel frames over the gap read like the machine, not like silence or a click; a
 * fault's sound on either side is carried into the gap too. What a steady sound loses is the gap's own 1 s of it.
 */
function concealGap(samples: Float32Array, { start, end, before, after }: Gap): void {
  const n = end - start;
  for (let k = 0; k < n; k++) {
    const fromBefore = before ? samples[start - 1 - k]! : 0;
    const fromAfter = after ? samples[end + n - 1 - k]! : 0;
    if (before && after) {
      const phase = (Math.PI / 2) * ((k + 0.5) / n);
      samples[start + k] = Math.cos(phase) * fromBefore + Math.sin(phase) * fromAfter;
    } else samples[start + k] = before ? fromBefore : fromAfter;
  }
}

interface CachedFrame {
  frame: Float32Array;
  /** `[id, first, end)` triples of the chunks its samples came from, in window order. */
  sources: number[];
}

/** Log-mel frames of placed windows, with each device's interior frames kept for its next window. */
export class WindowLogMels {
  /** One framer per window length and shape (the detector's windows all have one). */
  private readonly framers = new Map<string, LogMelFramer>();
  /** Per device: interior frames by their first sample's absolute index (only those of its latest window). */
  private readonly cached = new Map<string, { framer: LogMelFramer; frames: Map<number, CachedFrame> }>();

  /** `[frames][mels]` log-mel dB of the placed window, as `audioLogMelFrames(samples)` computes them. */
  frames(placed: PlacedWindowAudio): Float32Array {
    const { deviceId, shape, origin, samples, chunks } = placed;
    const framer = this.framerFor(samples.length, shape);
    const previous = this.cached.get(deviceId);
    const hits = previous?.framer === framer ? previous.frames : undefined;
    const kept = new Map<number, CachedFrame>();
    const out = new Float32Array(shape.frames * shape.mels);
    for (let t = 0; t < shape.frames; t++) {
      if (!framer.isInterior(t)) {
        out.set(framer.frame(samples, t), t * shape.mels);
        continue;
      }
      const first = origin + framer.firstSample(t);
      const sources: number[] = [];
      for (let c = 0; c < chunks.length; c += 3) {
        if (chunks[c + 1]! < first + framer.nFft && chunks[c + 2]! > first) sources.push(chunks[c]!, chunks[c + 1]!, chunks[c + 2]!);
      }
      const hit = hits?.get(first);
      const frame = hit && sameSources(hit.sources, sources) ? hit.frame : framer.frame(samples, t);
      kept.set(first, { frame, sources });
      out.set(frame, t * shape.mels);
    }
    this.cached.set(deviceId, { framer, frames: kept });
    return out;
  }

  private framerFor(windowSamples: number, shape: LogMelShape): LogMelFramer {
    const key = `${windowSamples}/${shape.sampleRate}/${shape.frames}/${shape.mels}`;
    let framer = this.framers.get(key);
    if (!framer) {
      framer = new LogMelFramer(windowSamples, shape.sampleRate, { frames: shape.frames, mels: shape.mels });
      this.framers.set(key, framer);
    }
    return framer;
  }
}

function sameSources(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
