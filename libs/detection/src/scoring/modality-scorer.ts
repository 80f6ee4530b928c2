/**
 * What the detector needs to score one modality of a window, whatever the model: a frame builder (window →
 * the model's named inputs), the model (`ScoringModel`, any input shape), and an explainer for flagged windows.
 * The detector holds one scorer per modality in a `ScorerRegistry` and has no modality-specific code; a vision or
 * fused model plugs in by registering a scorer.
 *
 * @example
 *   const registry = new ScorerRegistry().register(sensorWindowScorer(windowModel));
 *   for (const scorer of registry.all()) { const inputs = scorer.frame(window); … scorer.model.assess(…) }
 */
import type { ImageFrame, Modality, RootCauseSummary, SensorFault } from '@vigil/contracts';
import { exampleSize, type LatentBatch, type ModelInputBatch, type ScoringModel, WINDOW_INPUT, type WindowModel, windowScoringModel } from '@vigil/ml';
import { latentSensitivities } from '../root-cause/latent-sensitivity';
import type { ShapProblem } from '../root-cause/shap-explanation';
import { assessSensorHealth } from '../sensor-health/sensor-health';
import type { SensorHealthConfig } from '../sensor-health/types';
import { explainSensorWindow } from '../root-cause/window-explanation';
import { readsAnyChannel } from './channel-match';
import { slotOf } from './device-routes';
import type { AlignedWindow } from '../windows/types';
import { sensorFrameScorable, windowSensorFrame } from '../windows/sensor-frame';

/** One window's model inputs (one example per input). */
export type FrameInputs = Record<string, Float32Array>;

/** A flagged window to explain: its inputs, its reconstruction and latent posterior from the scoring pass. */
export interface FlaggedFrame {
  inputs: FrameInputs;
  reconstruction: Readonly<Record<string, Float32Array>>;
  mean: Float32Array;
  logVar: Float32Array;
  /** A fused model's share of the score per input. */
  shares?: Readonly<Record<string, number>>;
}

export interface ModalityScorer {
  /** The stream it scores, or `FUSED` for a model over several. */
  readonly modality: Modality;
  readonly model: ScoringModel;
  /** The model's inputs for `window`, or undefined when the window has nothing this scorer can use. */
  frame(window: AlignedWindow): FrameInputs | undefined;
  /**
   * Optional: does the costly, pure part of framing these windows off the event loop (a worker thread) before
   * `frame` is called for them, which then finds it done. `frame` must give the same inputs with or without it:
   * a window not prepared (or whose preparation failed) is framed inline.
   */
  prepare?(windows: readonly AlignedWindow[]): Promise<void>;
  /**
   * Root cause for flagged windows of one scoring call, from what the scoring pass produced. `withLatents` of
   * them (the first ones) also get their latent dimensions ranked, which may cost a model call for all of them.
   */
  explain(flagged: readonly FlaggedFrame[], withLatents: number): RootCauseSummary[];
  /**
   * The observation the window's frame rests on, when one observation spans several windows (a sparse camera's
   * frame sits in, or is carried into, every window of its period): its event time. The detector scores a device's
   * observation once and gives its later windows that score, judged without the threshold learning from it again
   * (see ObservationMemo). Undefined (or absent): every window is a fresh observation.
   */
  observationKey?(window: AlignedWindow): number | undefined;
  /**
   * An encoded camera frame (PNG, JPEG) decoded into what `frame` reads, for a device this scorer serves:
   * the detector decodes at ingest, once per frame and off the event loop (sharp's threads), so windows carry
   * decoded frames. Undefined: this scorer does not serve the device or does not decode such frames.
   */
  decodeFrame?(frame: ImageFrame): Promise<ImageFrame> | undefined;
  /** Faults of the measurement itself in this window (stuck, dropped-out, … channels), when the scorer checks them. */
  health?(window: AlignedWindow): SensorFault[];
  /**
   * KernelSHAP's players for a flagged window and how to score a coalition of them (see `explainWithShap`):
   * the fuller root cause, computed off the hot path. Undefined when the window has fewer than two players.
   */
  shapProblem?(flagged: FlaggedFrame): ShapProblem | undefined;
}

export class UnknownModalityScorerError extends Error {
  constructor(readonly modality: string) {
    super(`no scorer registered for ${modality}`);
    this.name = 'UnknownModalityScorerError';
  }
}

/**
 * The scorers the detector serves, one per slot — its modality, or `<modality>@<route>` for a scorer routed to
 * some devices (device-routes.ts); registering a slot again replaces its scorer.
 */
export class ScorerRegistry {
  private readonly scorers = new Map<string, ModalityScorer>();

  register(scorer: ModalityScorer): this {
    this.scorers.set(slotOf(scorer), scorer);
    return this;
  }

  get(slot: string): ModalityScorer {
    const scorer = this.scorers.get(slot);
    if (!scorer) throw new UnknownModalityScorerError(slot);
    return scorer;
  }

  has(slot: string): boolean {
    return this.scorers.has(slot);
  }

  all(): ModalityScorer[] {
    return [...this.scorers.values()];
  }
}

/** Stacks one-example inputs into a batch (every frame has the same inputs). */
export function stackInputs(model: Pick<ScoringModel, 'inputs'>, frames: readonly FrameInputs[]): ModelInputBatch {
  const inputs: Record<string, Float32Array> = {};
  // Per-example presence flags (`<input>_present`, see multimodalWindowScorer) travel as [batch] inputs.
  const presence = new Set(frames.flatMap((f) => Object.keys(f).filter((k) => k.endsWith('_present'))));
  for (const name of presence) inputs[name] = Float32Array.from(frames, (f) => f[name]?.[0] ?? 0);
  for (const spec of model.inputs) {
    const size = exampleSize(spec);
    const data = new Float32Array(frames.length * size);
    frames.forEach((f, i) => {
      const one = f[spec.name];
      if (one && one.length === size) data.set(one, i * size); // an absent input (length 0) stays zeros, marked by its presence flag
    });
    inputs[spec.name] = data;
  }
  return { batch: frames.length, inputs };
}

/**
 * The time-series VAE over a sensor window `[steps][channels]`: frames from SensorReadings, channel/step root
 * cause, and the sensor-health rules (libs/detection/src/sensor-health) on the window's raw readings.
 * `runtime`: serve the model's assessment there (e.g. `OnnxVaeWindowRuntime`) as `assessAsync`.
 */
export function sensorWindowScorer(window: WindowModel, health?: SensorHealthConfig, runtime?: Parameters<typeof windowScoringModel>[2]): ModalityScorer {
  const model = windowScoringModel(window, 'timeseries-vae', runtime);
  return {
    health: health
      ? (w) => {
          if (!readsAnyChannel(w.sensor, window.channelNames)) return []; // another machine's readings (see readsAnyChannel)
          return assessSensorHealth(
            w.sensor as AlignedWindow<{ values: Record<string, number> }>['sensor'],
            w.startMs,
            w.endMs,
            health,
            w.firstEventMs?.SENSOR,
            w.streamEndMs,
          ).faults.map((f) => ({
            ...f,
            kind: SENSOR_FAULT_KINDS[f.kind],
          }));
        }
      : undefined,
    modality: 'SENSOR',
    model,
    frame(w) {
      if (!readsAnyChannel(w.sensor, window.channelNames)) return undefined; // no readings, or another machine's
      if (!sensorFrameScorable(w)) return undefined; // mostly past the stream's end (or before its start): see MIN_SENSOR_STREAM_SHARE
      return { [WINDOW_INPUT]: windowSensorFrame(w, window.channelNames, window.steps) };
    },
    shapProblem(flagged) {
      // An absent channel takes the model's reconstruction of it: its expectation for this window.
      const x = flagged.inputs[WINDOW_INPUT]!;
      const expected = flagged.reconstruction[WINDOW_INPUT]!;
      const { steps, channels } = window;
      if (channels < 2) return undefined;
      const coalitions = (masks: Uint8Array, count: number) => {
        const data = new Float32Array(count * steps * channels);
        for (let k = 0; k < count; k++) {
          for (let i = 0; i < steps * channels; i++) data[k * steps * channels + i] = masks[k * channels + (i % channels)] ? x[i]! : expected[i]!;
        }
        return { batch: count, inputs: { [WINDOW_INPUT]: data } };
      };
      return {
        players: window.channelNames,
        value: (masks, count) => model.assess(coalitions(masks, count)).scores,
        // On the serving runtime (ONNX) when there is one: the root-cause worker's call then leaves the event loop free.
        ...(model.assessAsync ? { valueAsync: async (masks: Uint8Array, count: number) => (await model.assessAsync!(coalitions(masks, count))).scores } : {}),
      };
    },
    explain(flagged, withLatents) {
      const topLatents = rankLatents(window, flagged.slice(0, withLatents));
      return flagged.map((f, i) => explainSensorWindow(window, f.inputs[WINDOW_INPUT]!, f.reconstruction[WINDOW_INPUT]!, topLatents[i] ?? []));
    },
  };
}

/** The contract's (Avro) names of the sensor-health fault kinds. */
const SENSOR_FAULT_KINDS = { stuck: 'STUCK', dropout: 'DROPOUT', out_of_range: 'OUT_OF_RANGE', rate_of_change: 'RATE_OF_CHANGE' } as const;

/** Latent dimensions named per explained window. */
const TOP_LATENTS = 3;

/** The latent dimensions that move each window's score most, from one decode call for all of them. */
function rankLatents(window: WindowModel, flagged: readonly FlaggedFrame[]): number[][] {
  if (flagged.length === 0) return [];
  const d = window.latentDim;
  const latent: LatentBatch = { mean: new Float32Array(flagged.length * d), logVar: new Float32Array(flagged.length * d), batch: flagged.length, latentDim: d };
  flagged.forEach((f, i) => {
    latent.mean.set(f.mean, i * d);
    latent.logVar.set(f.logVar, i * d);
  });
  const batch = stackInputs(
    { inputs: [{ name: WINDOW_INPUT, shape: [window.steps, window.channels] }] },
    flagged.map((f) => f.inputs),
  );
  const windows = { data: batch.inputs[WINDOW_INPUT]!, batch: flagged.length, steps: window.steps, channels: window.channels };
  return latentSensitivities(window, windows, latent, { residualScale: window.channelScale }).map((ranked) =>
    ranked.slice(0, TOP_LATENTS).map((l) => l.dimension),
  );
}
