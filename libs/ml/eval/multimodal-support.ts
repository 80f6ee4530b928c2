/**
 * Shared glue of the multimodal training and ablation scripts: the training and test sets (cached per process),
 * seeded fitting, and ROC-AUC of a model on the test set for any subset of modalities.
 */
import { mulberry32 } from '@vigil/features';
import type { FaultType } from '@vigil/simulators';
import {
  fitMultimodalVae,
  type FittedMultimodalVae,
  type ModalityName,
  type MultimodalInputs,
  type MultimodalVaeConfigInput,
  type MultimodalWindowModel,
  rocAuc,
  withMathRandom,
} from '../src';
import { type LabelledWindow, multimodalWindows, normalScenario, testScenario } from './multimodal-data';

export const TRAIN_SEED = 11;
export const TRAIN_DEVICES = 6;
export const TRAIN_MINUTES = 8;
export const TEST_SEED = 23;
/** Faults the VAE is meant to see; a stuck sensor is the sensor-health path's job (a frozen channel reconstructs well). */
export const PROCESS_FAULTS: readonly FaultType[] = ['bearing_wear', 'overheating', 'cavitation'];

/**
 * Hours of the simulated day the training data comes from, a quarter of it each (seeds TRAIN_SEED + k): the hall's
 * daily cycle moves every modality, and a model that saw midnight only judges a live fleet's afternoon against it.
 */
export const TRAIN_HOURS_UTC = [0, 6, 12, 18] as const;
/** Other hours, for the held-out normal windows the detector's thresholds start from. */
export const CALIBRATION_HOURS_UTC = [3, 9, 15, 21] as const;

/** Normal pumps of one seed family, a quarter of `minutes` from each of `hours`, seeds seed + k. */
export function normalWindowsAcrossDay(seed: number, devices: number, minutes: number, hours: readonly number[]): LabelledWindow[] {
  return hours.flatMap((hour, k) => multimodalWindows(normalScenario(seed + k, devices, minutes / hours.length, hour)).windows);
}

export function trainingWindows(devices = TRAIN_DEVICES, minutes = TRAIN_MINUTES): MultimodalInputs[] {
  // Windows with a sensor fault stay out of the training data (none in a healthy run, but the rule holds).
  return normalWindowsAcrossDay(TRAIN_SEED, devices, minutes, TRAIN_HOURS_UTC)
    .filter((w) => w.health.healthy && !w.fault)
    .map((w) => w.inputs);
}

export function testWindows(): LabelledWindow[] {
  return multimodalWindows(testScenario(TEST_SEED)).windows;
}

export function fitSeeded(windows: readonly MultimodalInputs[], config: MultimodalVaeConfigInput, epochs: number, log = false): FittedMultimodalVae {
  // tfjs initialisers draw from Math.random: a fixed generator makes the weights, hence every figure, reproducible.
  return withMathRandom(mulberry32(5), () =>
    fitMultimodalVae(windows, config, {
      epochs,
      batchSize: 64,
      learningRate: 2e-3,
      seed: 7,
      patience: 3,
      version: 'multimodal-pump@v1',
      onEpochEnd: log
        ? (l) => console.log(`  epoch ${l.epoch}: loss ${l.loss.toFixed(2)}, validation ${l.validationLoss.toFixed(2)} (${l.seconds.toFixed(0)} s)`)
        : undefined,
    }),
  );
}

/** The test windows restricted to the given modalities (others removed, i.e. missing). */
export function restrict(windows: readonly LabelledWindow[], keep: readonly ModalityName[]): MultimodalInputs[] {
  return windows.map((w) => Object.fromEntries(Object.entries(w.inputs).filter(([m]) => keep.includes(m as ModalityName))));
}

export interface AblationRow {
  name: string;
  auc: number;
  perFault: Record<string, number>;
}

/**
 * ROC-AUC over normal windows vs the windows of the given fault types. Windows with none of the kept modalities
 * (e.g. image-only on the device whose camera is out) are left out rather than scored.
 */
export function aucOf(
  model: MultimodalWindowModel,
  test: readonly LabelledWindow[],
  keep: readonly ModalityName[],
  faults: readonly FaultType[] = PROCESS_FAULTS,
  sensorHealth = false,
): AblationRow & { scores: Float64Array } {
  const inputs = restrict(test, keep);
  const usable = inputs.map((x, i) => ({ x, w: test[i]! })).filter(({ x }) => Object.keys(x).length > 0);
  const scores = new Float64Array(usable.length);
  for (let start = 0; start < usable.length; start += 256) {
    const chunk = usable.slice(start, start + 256);
    model.score(chunk.map((c) => c.x)).forEach((r, i) => (scores[start + i] = r.score));
  }
  // With sensor health, a window the rules flag is an alarm whatever its score (the detector reports it apart).
  if (sensorHealth) usable.forEach(({ w }, i) => (scores[i] = w.health.healthy ? scores[i]! : Number.POSITIVE_INFINITY));
  const subsetAuc = (types: readonly FaultType[]) => {
    const picked = usable.map((u, i) => ({ u, i })).filter(({ u }) => !u.w.fault || types.includes(u.w.fault));
    return rocAuc(
      picked.map(({ i }) => scores[i]!),
      picked.map(({ u }) => (u.w.fault ? 1 : 0)),
    );
  };
  return { name: '', auc: subsetAuc(faults), perFault: Object.fromEntries(faults.map((f) => [f, subsetAuc([f])])), scores };
}
