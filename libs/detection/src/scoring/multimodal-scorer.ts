/**
 * The multimodal VAE as a scorer: one `FUSED` score per window from whatever of sensor, sound and image the
 * window carries (a sparse camera's latest frame counts while it is not overdue: `AlignedWindow.carried`),
 * with each modality's share of the score for the root cause. Frames are built exactly as the training data
 * was (libs/ml/eval/multimodal-data.ts): the sensor window interpolated onto the model's steps, the window's
 * audio samples as log-mel frames, the latest thermal frame block-averaged to the model's size.
 *
 * The hot path's costs are paid once: each PCM chunk is decoded once (a chunk sits in three overlapping
 * windows), each device's interior log-mel frames are computed once and reused by the next windows (see
 * `WindowLogMels`; a frame is reused only when the same chunks at the same positions cover it, so the values are
 * those of a fresh computation), and the sensor frame is shared with the sensor scorer (`windowSensorFrame`).
 * `prepare` computes a call's log-mel frames in a worker thread (`LogMelThread`) before `frame` asks for them,
 * with the same code, so the FFTs leave the event loop and the inputs keep their bits; `frame` alone (the API,
 * or a window the thread could not do) computes them inline.
 *
 * @example
 *   const scorer = multimodalWindowScorer(multimodalScoringModel(await loadMultimodalModel(dir)), shapes);
 */
import type { ImageFrame, RootCauseSummary, StreamModality } from '@vigil/contracts';
import { downsampleImage, type ScoringModel } from '@vigil/ml';
import { describeChannels, describeModalityShares } from '../root-cause/root-cause-summary';
import { explainSensorWindow } from '../root-cause/window-explanation';
import type { AlignedWindow, TimedEvent } from '../windows/types';
import { sensorFrameScorable, windowSensorFrame } from '../windows/sensor-frame';
import { readsAnyChannel } from './channel-match';
import { type LogMelThread, sharedLogMelThread } from './log-mel-thread';
import { type FlaggedFrame, type FrameInputs, type ModalityScorer, stackInputs } from './modality-scorer';
import { placeWindowAudio, WindowLogMels, windowSamplesOf } from './window-log-mels';

/** What the fused model was trained on, from its manifest's metadata. */
export interface MultimodalFrameShapes {
  sensor: { channels: readonly string[]; steps: number };
  audio: { sampleRate: number; frames: number; mels: number };
  image: { height: number; width: number; channels: number; overdueAfterMs: number };
}

/** The fused score of a normal window (each modality's error is calibrated to 1 on normal data): v(∅) of its SHAP. */
const NORMAL_SCORE = 1;

const MODALITY_OF_INPUT = { sensor: 'SENSOR', audio: 'AUDIO', image: 'IMAGE' } as const satisfies Record<string, StreamModality>;

export interface MultimodalScorerOptions {
  /** Where `prepare` computes log-mel frames: the process's shared thread by default; `inline`: on the caller's thread. */
  logMelThread?: LogMelThread | 'inline';
}

export function multimodalWindowScorer(model: ScoringModel, shapes: MultimodalFrameShapes, options: MultimodalScorerOptions = {}): ModalityScorer {
  const names = new Set(model.inputs.map((i) => i.name));
  const sensorModel = { steps: shapes.sensor.steps, channels: shapes.sensor.channels.length, channelNames: shapes.sensor.channels };
  const audio = new AudioFrames(shapes.audio, options.logMelThread === 'inline' ? undefined : options.logMelThread);
  return {
    modality: 'FUSED',
    model,
    prepare: names.has('audio') ? (windows) => audio.prepare(windows) : undefined,
    frame(w) {
      const inputs: FrameInputs = {};
      const present = (name: keyof typeof MODALITY_OF_INPUT, data: Float32Array | undefined) => {
        if (!names.has(name)) return;
        inputs[name] = data ?? new Float32Array(0);
        inputs[`${name}_present`] = Float32Array.of(data ? 1 : 0);
      };
      // Readings without any of the model's channels come from another kind of machine: none of its streams is ours.
      if (w.sensor.length > 0 && !readsAnyChannel(w.sensor, shapes.sensor.channels)) return undefined;
      // A window mostly outside the sensor stream (a device that went quiet) leaves its sensor out, as a missing one.
      present('sensor', w.sensor.length > 0 && sensorFrameScorable(w) ? windowSensorFrame(w, shapes.sensor.channels, shapes.sensor.steps) : undefined);
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

/**
 * The log-mel frames of windows' sound: those `prepare` had the thread compute, else computed inline (each of the
 * two keeps its own per-device frames; both give the bits `audioLogMelFrames` gives).
 */
class AudioFrames {
  private readonly inline = new WindowLogMels();
  /** The inline path's window-sized sample buffer, reused (192 kB at 16 kHz: one per window fed the GC). */
  private buffer: Float32Array | undefined;
  /** Per window: its frames from the thread, or null when its chunks do not cover it. */
  private readonly prepared = new WeakMap<AlignedWindow, Float32Array | null>();

  constructor(
    private readonly shape: MultimodalFrameShapes['audio'],
    /** Undefined: the shared thread. */
    private readonly thread?: LogMelThread,
  ) {}

  /** `[frames][mels]` of the window's sound, or undefined when its chunks cover too little of it. */
  of(w: AlignedWindow): Float32Array | undefined {
    const prepared = this.prepared.get(w);
    if (prepared !== undefined) return prepared ?? undefined;
    const placed = placeWindowAudio(w, this.shape, this.buffer);
    if (!placed) return undefined;
    this.buffer = placed.samples; // the frames are computed from it now and keep no reference to it
    return this.inline.frames(placed);
  }

  /** Has the thread compute the frames of the windows not prepared yet; a failure leaves them to `of`. */
  async prepare(windows: readonly AlignedWindow[]): Promise<void> {
    const thread = this.thread ?? sharedLogMelThread();
    if (!thread.available) return;
    if (!thread.ready) {
      void thread.start(); // booting: these windows are framed inline, the next ones in the thread
      return;
    }
    const placed = [];
    const placedWindows: AlignedWindow[] = [];
    let buffer: Float32Array | undefined;
    for (const w of windows) {
      if (this.prepared.has(w)) continue;
      buffer ??= thread.takeBuffer(windowSamplesOf(w, this.shape.sampleRate));
      const audio = placeWindowAudio(w, this.shape, buffer);
      if (!audio) {
        this.prepared.set(w, null); // `buffer` is still free for the next window
        continue;
      }
      buffer = undefined;
      placed.push(audio);
      placedWindows.push(w);
    }
    const frames = await thread.frames(placed).catch(() => undefined); // the thread failed: frame() computes them inline
    if (frames) placedWindows.forEach((w, i) => this.prepared.set(w, frames[i]!));
  }
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
