/**
 * The multimodal VAE as a scorer: one `FUSED` score per window from whatever of sensor, sound and image the
 * window carries (a sparse camera's latest frame counts while it is not overdue: `AlignedWindow.carried`),
 * with each modality's share of the score for the root cause. Frames are built exactly as the training data
 * was (libs/ml/eval/multimodal-data.ts): the sensor window interpolated onto the model's steps, the window's
 * audio samples as log-mel frames, the latest thermal frame block-averaged to the model's size.
 *
 * The hot path's costs are paid once: each PCM chunk is decoded once (a chunk sits in three overlapping
 * windows), each device's interior log-mel frames are computed once and reused by the next windows (see
 * `LogMelFramer`; a frame is reused only when the same chunks at the same positions cover it, so the values are
 * those of a fresh computation), and the sensor frame is shared with the sensor scorer (`windowSensorFrame`).
 *
 * @example
 *   const scorer = multimodalWindowScorer(multimodalScoringModel(await loadMultimodalModel(dir)), shapes);
 */
import type { AudioChunk, ImageFrame, RootCauseSummary, StreamModality } from '@vigil/contracts';
import { decodePcm } from '@vigil/features';
import { downsampleImage, LogMelFramer, type ScoringModel } from '@vigil/ml';
import { describeChannels, describeModalityShares } from '../root-cause/root-cause-summary';
import { explainSensorWindow } from '../root-cause/window-explanation';
import type { AlignedWindow, TimedEvent } from '../windows/types';
import { windowSensorFrame } from '../windows/sensor-frame';
import { readsAnyChannel } from './channel-match';
import { type FlaggedFrame, type FrameInputs, type ModalityScorer, stackInputs } from './modality-scorer';

/** What the fused model was trained on, from its manifest's metadata. */
export interface MultimodalFrameShapes {
  sensor: { channels: readonly string[]; steps: number };
  audio: { sampleRate: number; frames: number; mels: number };
  image: { height: number; width: number; channels: number; overdueAfterMs: number };
}

/** The fused score of a normal window (each modality's error is calibrated to 1 on normal data): v(∅) of its SHAP. */
const NORMAL_SCORE = 1;

/**
 * Share of the window's audio samples the chunks must cover for the window to count as having sound: all of it,
 * give or take rounding. An uncovered stretch would be silence in the log-mel frames (−100 dB), a sound the model
 * never heard, and one such window at a stream's start (its first chunk not in yet) scored 615 against a normal
 * 1 and lifted the device's FUSED threshold fifteen-fold; sound with a gap is missing, not zero-filled.
 */
const MIN_AUDIO_COVERAGE = 0.995;

const MODALITY_OF_INPUT = { sensor: 'SENSOR', audio: 'AUDIO', image: 'IMAGE' } as const satisfies Record<string, StreamModality>;

export function multimodalWindowScorer(model: ScoringModel, shapes: MultimodalFrameShapes): ModalityScorer {
  const names = new Set(model.inputs.map((i) => i.name));
  const sensorModel = { steps: shapes.sensor.steps, channels: shapes.sensor.channels.length, channelNames: shapes.sensor.channels };
  const audio = new AudioFrames(shapes.audio);
  return {
    modality: 'FUSED',
    model,
    frame(w) {
      const inputs: FrameInputs = {};
      const present = (name: keyof typeof MODALITY_OF_INPUT, data: Float32Array | undefined) => {
        if (!names.has(name)) return;
        inputs[name] = data ?? new Float32Array(0);
        inputs[`${name}_present`] = Float32Array.of(data ? 1 : 0);
      };
      // Readings without any of the model's channels come from another kind of machine: none of its streams is ours.
      if (w.sensor.length > 0 && !readsAnyChannel(w.sensor, shapes.sensor.channels)) return undefined;
      present('sensor', w.sensor.length > 0 ? windowSensorFrame(w, shapes.sensor.channels, shapes.sensor.steps) : undefined);
      present('audio', names.has('audio') ? audio.of(w) : undefined);
      present('image', imageInput(w, shapes.image));
      const any = Object.keys(MODALITY_OF_INPUT).some((m) => inputs[`${m}_present`]?.[0] === 1);
      return any ? inputs : undefined;
    },
    shapProblem(flagged) {
      // Players: the modalities the window carries. An absent one is left out of the product of experts, as a
      // missing modality is; with none left the score is that of a normal window, 1 by calibration.
      const players = Object.keys(MODALITY_OF_INPUT).filter((m) => flagged.inputs[`${m}_present`]?.[0] === 1);
      if (players.length < 2) return undefined;
      /** The coalitions with at least one modality (none scores NORMAL_SCORE), and their rows. */
      const coalitions = (masks: Uint8Array, count: number) => {
        const frames: FrameInputs[] = [];
        const rows: number[] = [];
        for (let k = 0; k < count; k++) {
          if (!players.some((_, p) => masks[k * players.length + p])) continue;
          const frame: FrameInputs = { ...flagged.inputs };
          players.forEach((m, p) => (frame[`${m}_present`] = Float32Array.of(masks[k * players.length + p] ? 1 : 0)));
          frames.push(frame);
          rows.push(k);
        }
        return { frames, rows };
      };
      const scatter = (count: number, rows: number[], scores: ArrayLike<number>) => {
        const out = new Float64Array(count).fill(NORMAL_SCORE);
        rows.forEach((k, i) => (out[k] = scores[i]!));
        return out;
      };
      return {
        players,
        value(masks, count) {
          const { frames, rows } = coalitions(masks, count);
          return scatter(count, rows, frames.length > 0 ? model.assess(stackInputs(model, frames)).scores : []);
        },
        // On the serving runtime (ONNX) when there is one: the root-cause worker's call then leaves the event loop free.
        ...(model.assessAsync
          ? {
              async valueAsync(masks: Uint8Array, count: number) {
                const { frames, rows } = coalitions(masks, count);
                return scatter(count, rows, frames.length > 0 ? (await model.assessAsync!(stackInputs(model, frames))).scores : []);
              },
            }
          : {}),
      };
    },
    explain(flagged: readonly FlaggedFrame[]): RootCauseSummary[] {
      return flagged.map((f) => {
        const shares = modalitySharesOf(f.shares ?? {});
        const modalityText = describeModalityShares(shares);
        const sensor =
          f.inputs.sensor_present?.[0] === 1 && f.reconstruction.sensor
            ? explainSensorWindow(sensorModel, f.inputs.sensor!, f.reconstruction.sensor)
            : undefined;
        const channelText = sensor ? describeChannels(sensor.topChannels, undefined, shapes.sensor.steps) : undefined;
        return {
          summary:
            [modalityText, channelText && `In the sensor window: ${channelText.charAt(0).toLowerCase()}${channelText.slice(1)}`].filter(Boolean).join(' ') ||
            'Fused score over its threshold.',
          topChannels: sensor?.topChannels ?? [],
          topTimeSteps: sensor?.topTimeSteps ?? [],
          topLatents: [],
          modalityShares: shares,
        };
      });
    },
  };
}

/** A fused model's shares by input name (`sensor`, `audio`, `image`) as shares by modality (`SENSOR`, …). */
export function modalitySharesOf(inputShares: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(inputShares).map(([input, share]) => [MODALITY_OF_INPUT[input as keyof typeof MODALITY_OF_INPUT] ?? input, share]));
}

/** A chunk's samples, decoded once however many windows it falls in. */
const decodedChunks = new WeakMap<AudioChunk, Float32Array>();
function samplesOf(chunk: AudioChunk): Float32Array {
  let samples = decodedChunks.get(chunk);
  if (!samples) {
    samples = decodePcm(chunk.pcm, chunk.encoding);
    decodedChunks.set(chunk, samples);
  }
  return samples;
}

/** A chunk placed in a window: the absolute sample indices it covers. */
interface PlacedChunk {
  chunk: AudioChunk;
  start: number;
  end: number;
}

interface CachedFrame {
  frame: Float32Array;
  /** The chunks (in window order, at their absolute positions) its samples came from. */
  sources: PlacedChunk[];
}

/** The log-mel frames of windows' sound, with each device's interior frames kept for the windows that follow. */
class AudioFrames {
  /** Built for the window length seen; the detector's windows all have one length. */
  private framer?: LogMelFramer;
  private samples = new Float32Array(0);
  /** Per device: interior frames by their first sample's absolute index (only those of its latest window). */
  private readonly cached = new Map<string, Map<number, CachedFrame>>();

  constructor(private readonly shape: MultimodalFrameShapes['audio']) {}

  /** `[frames][mels]` of the window's sound, or undefined when its chunks cover under 90 % of it. */
  of(w: AlignedWindow): Float32Array | undefined {
    const { sampleRate, frames, mels } = this.shape;
    const length = Math.round(((w.endMs - w.startMs) / 1000) * sampleRate);
    const framer = this.framerFor(length);
    const origin = Math.round((w.startMs / 1000) * sampleRate);
    // One window-sized buffer reused for every window (192 kB at 16 kHz: allocating it per window fed the GC).
    const samples = this.samples;
    samples.fill(0);
    const placed: PlacedChunk[] = [];
    let covered = 0;
    // The chunk begun before the window (w.leading) covers its first part unless the window starts on a chunk boundary.
    const chunks = [w.leading?.AUDIO, ...w.audio].filter((e) => e !== undefined) as TimedEvent<AudioChunk>[];
    for (const { value: chunk } of chunks) {
      if (chunk.sampleRate !== sampleRate || chunk.channels !== 1) continue; // another microphone set-up than trained on
      const decoded = samplesOf(chunk);
      const offset = Math.round(((chunk.eventTimeMs - w.startMs) / 1000) * sampleRate);
      if (offset >= length || offset + decoded.length <= 0) continue;
      const from = Math.max(0, -offset);
      const to = Math.min(decoded.length, length - offset);
      samples.set(decoded.subarray(from, to), offset + from);
      covered += to - from;
      // Where the whole chunk sits (not clipped to this window), so the next window sees the same placement.
      placed.push({ chunk, start: origin + offset, end: origin + offset + decoded.length });
    }
    if (covered < MIN_AUDIO_COVERAGE * length) return undefined;
    const previous = this.cached.get(w.deviceId);
    const kept = new Map<number, CachedFrame>();
    const out = new Float32Array(frames * mels);
    for (let t = 0; t < frames; t++) {
      if (!framer.isInterior(t)) {
        out.set(framer.frame(samples, t), t * mels);
        continue;
      }
      const first = origin + framer.firstSample(t);
      const sources = placed.filter((p) => p.start < first + framer.nFft && p.end > first);
      const hit = previous?.get(first);
      const frame = hit && sameSources(hit.sources, sources) ? hit.frame : framer.frame(samples, t);
      kept.set(first, { frame, sources });
      out.set(frame, t * mels);
    }
    this.cached.set(w.deviceId, kept);
    return out;
  }

  private framerFor(length: number): LogMelFramer {
    if (this.framer?.windowSamples !== length) {
      this.framer = new LogMelFramer(length, this.shape.sampleRate, { frames: this.shape.frames, mels: this.shape.mels });
      this.samples = new Float32Array(length);
      this.cached.clear();
    }
    return this.framer;
  }
}

function sameSources(a: readonly PlacedChunk[], b: readonly PlacedChunk[]): boolean {
  return a.length === b.length && a.every((p, i) => p.chunk === b[i]!.chunk && p.start === b[i]!.start && p.end === b[i]!.end);
}

/** The latest raw frame in the window, or carried into it, unless it is overdue. */
function imageInput(w: AlignedWindow, shape: MultimodalFrameShapes['image']): Float32Array | undefined {
  const own = (w.image as TimedEvent<ImageFrame>[]).at(-1);
  const carried = w.carried.IMAGE as { event: TimedEvent<ImageFrame>; ageMs: number } | undefined;
  const latest = own ?? carried?.event;
  if (!latest || w.endMs - latest.eventTimeMs > shape.overdueAfterMs) return undefined;
  const frame = latest.value;
  if (frame.encoding !== 'RAW_U8' || frame.channels !== shape.channels) return undefined;
  if (frame.width % shape.width !== 0 || frame.height % shape.height !== 0) return undefined;
  return downsampleImage(frame.data, frame.width, frame.height, frame.channels, shape.height, shape.width);
}
