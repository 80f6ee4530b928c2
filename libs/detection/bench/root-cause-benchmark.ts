/**
 * Root-cause accuracy on synthetic faults with a known cause, for any `WindowModel`: each channel in turn is
 * broken in held-out normal windows (fault kinds and sizes below, in units of the channel's normal σ) and we
 * check where `analyseRootCause` ranks it. Used by root-cause.bench.ts with a PCA model; plug a VAE in the
 * same way.
 *
 * @example
 *   const result = runRootCauseBenchmark(model, { calibration, heldOut, background }, { windows: 40 });
 *   printRootCauseBenchmark(result);
 */
import type { WindowBatch, WindowModel } from '@vigil/ml';
import { analyseRootCause, calibrateResidualScale } from '../src/root-cause';

export const FAULT_KINDS = ['spike', 'stuck', 'drift', 'noise', 'offset'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** What each fault does to the broken channel, sizes in σ of that channel on normal data. */
export const FAULT_SIZES: Readonly<Record<FaultKind, number>> = { spike: 6, stuck: 3, drift: 4, noise: 2, offset: 2.5 };

export function describeFault(kind: FaultKind, magnitude: number): string {
  const size = (FAULT_SIZES[kind] * magnitude).toFixed(2).replace(/\.?0+$/, '');
  switch (kind) {
    case 'spike':
      return `±${size}σ added at one random step`;
    case 'stuck':
      return `frozen at window level ±${size}σ from a random step in the middle third to the end`;
    case 'drift':
      return `linear ramp from 0 to ±${size}σ over the window`;
    case 'noise':
      return `N(0, (${size}σ)²) added at every step`;
    case 'offset':
      return `±${size}σ added at every step`;
  }
}

export interface RootCauseBenchmarkData {
  /** Normal windows: residual scale and channel σ are estimated on them. */
  calibration: WindowBatch;
  /** Held-out normal windows to break. */
  heldOut: WindowBatch;
  /** Normal windows used as the SHAP background. */
  background: WindowBatch;
}

export interface RootCauseBenchmarkOptions {
  /** Held-out windows used per (channel, fault kind). */
  windows: number;
  /** Of those, how many also get SHAP (slower). */
  shapWindows: number;
  shapCoalitions: number;
  seed: number;
  /** Multiplies every fault size (1 = FAULT_SIZES). */
  magnitude: number;
}

export interface Accuracy {
  cases: number;
  top1: number;
  top3: number;
}

export interface RootCauseBenchmarkResult {
  model: string;
  magnitude: number;
  channels: number;
  byKind: Record<FaultKind, { calibrated: Accuracy; raw: Accuracy; shap: Accuracy }>;
  overall: { calibrated: Accuracy; raw: Accuracy; shap: Accuracy };
  millisecondsPerReport: number;
  millisecondsPerShapReport: number;
}

function slice(batch: WindowBatch, index: number): WindowBatch {
  const size = batch.steps * batch.channels;
  return { data: batch.data.slice(index * size, (index + 1) * size), batch: 1, steps: batch.steps, channels: batch.channels };
}

function subset(batch: WindowBatch, count: number): WindowBatch {
  const step = Math.max(1, Math.floor(batch.batch / count));
  const size = batch.steps * batch.channels;
  const picked = Math.min(count, batch.batch);
  const data = new Float32Array(picked * size);
  for (let i = 0; i < picked; i++) data.set(batch.data.subarray(i * step * size, (i * step + 1) * size), i * size);
  return { data, batch: picked, steps: batch.steps, channels: batch.channels };
}

function channelSigma(batch: WindowBatch): Float64Array {
  const { channels } = batch;
  const sum = new Float64Array(channels);
  const squares = new Float64Array(channels);
  for (let i = 0; i < batch.data.length; i++) {
    sum[i % channels] = sum[i % channels]! + batch.data[i]!;
    squares[i % channels] = squares[i % channels]! + batch.data[i]! ** 2;
  }
  const n = batch.data.length / channels;
  return sum.map((s, c) => Math.sqrt(Math.max(squares[c]! / n - (s / n) ** 2, 1e-12)));
}

/** Breaks `channel` of a single window in place. */
function injectFault(window: WindowBatch, channel: number, kind: FaultKind, sigma: number, random: () => number): void {
  const { steps, channels, data } = window;
  const sign = random() < 0.5 ? -1 : 1;
  const size = FAULT_SIZES[kind] * sigma;
  const at = (t: number) => t * channels + channel;
  const gaussian = () => Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());
  switch (kind) {
    case 'spike':
      data[at(Math.floor(random() * steps))]! += sign * size;
      break;
    case 'stuck': {
      const from = Math.floor(steps / 3 + (random() * steps) / 3);
      let level = 0;
      for (let t = 0; t < steps; t++) level += data[at(t)]! / steps;
      for (let t = from; t < steps; t++) data[at(t)] = level + sign * size;
      break;
    }
    case 'drift':
      for (let t = 0; t < steps; t++) data[at(t)]! += (sign * size * t) / (steps - 1);
      break;
    case 'noise':
      for (let t = 0; t < steps; t++) data[at(t)]! += size * gaussian();
      break;
    case 'offset':
      for (let t = 0; t < steps; t++) data[at(t)]! += sign * size;
      break;
  }
}

function tally(): { cases: number; top1: number; top3: number } {
  return { cases: 0, top1: 0, top3: 0 };
}

function record(accuracy: Accuracy, rank: number): void {
  accuracy.cases++;
  if (rank === 1) accuracy.top1++;
  if (rank <= 3) accuracy.top3++;
}

export function runRootCauseBenchmark(model: WindowModel, data: RootCauseBenchmarkData, options: RootCauseBenchmarkOptions): RootCauseBenchmarkResult {
  let state = options.seed >>> 0;
  const random = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) + 0.5) / 4294967296;
  const residualScale = calibrateResidualScale(model, data.calibration);
  const sigma = channelSigma(data.calibration);
  const heldOut = subset(data.heldOut, options.windows);

  const byKind = Object.fromEntries(FAULT_KINDS.map((k) => [k, { calibrated: tally(), raw: tally(), shap: tally() }])) as RootCauseBenchmarkResult['byKind'];
  const overall = { calibrated: tally(), raw: tally(), shap: tally() };
  let reportTime = 0;
  let reports = 0;
  let shapTime = 0;
  let shapReports = 0;
  for (let w = 0; w < heldOut.batch; w++) {
    for (let channel = 0; channel < model.channels; channel++) {
      for (const kind of FAULT_KINDS) {
        const window = slice(heldOut, w);
        injectFault(window, channel, kind, sigma[channel]! * options.magnitude, random);
        const withShap = w < options.shapWindows;
        const start = performance.now();
        const report = analyseRootCause(model, window, {
          residualScale,
          ...(withShap ? { background: data.background, shap: { maxCoalitions: options.shapCoalitions, seed: w } } : {}),
        });
        const elapsed = performance.now() - start;
        if (withShap) {
          shapTime += elapsed;
          shapReports++;
          const shapRank = 1 + report.channels.filter((c) => c.shap! > report.channels.find((x) => x.channel === channel)!.shap!).length;
          record(byKind[kind].shap, shapRank);
          record(overall.shap, shapRank);
        } else {
          reportTime += elapsed;
          reports++;
        }
        const calibratedRank = report.channels.find((c) => c.channel === channel)!.rank;
        record(byKind[kind].calibrated, calibratedRank);
        record(overall.calibrated, calibratedRank);
        const raw = analyseRootCause(model, window);
        const rawRank = raw.channels.find((c) => c.channel === channel)!.rank;
        record(byKind[kind].raw, rawRank);
        record(overall.raw, rawRank);
      }
    }
  }
  return {
    model: model.version,
    magnitude: options.magnitude,
    channels: model.channels,
    byKind,
    overall,
    millisecondsPerReport: reportTime / Math.max(reports, 1),
    millisecondsPerShapReport: shapTime / Math.max(shapReports, 1),
  };
}

const format = (a: Accuracy) => (a.cases ? `top-1 ${(a.top1 / a.cases).toFixed(3)}  top-3 ${(a.top3 / a.cases).toFixed(3)}  (n=${a.cases})` : 'n/a');

export function printRootCauseBenchmark(result: RootCauseBenchmarkResult): void {
  console.log(`model ${result.model}, ${result.channels} channels; one channel broken per case; fault sizes × ${result.magnitude}`);
  for (const kind of FAULT_KINDS) {
    const r = result.byKind[kind];
    console.log(`  ${kind.padEnd(7)} ${describeFault(kind, result.magnitude)}`);
    console.log(`          calibrated error ${format(r.calibrated)} | raw error ${format(r.raw)} | SHAP ${format(r.shap)}`);
  }
  const o = result.overall;
  console.log(`overall   calibrated error ${format(o.calibrated)}   ← the report's ranking (goal: top-1 ≥ 0.9, top-3 ≥ 0.98)`);
  console.log(`          raw error        ${format(o.raw)}   (unscaled residuals, in the model's input units)`);
  console.log(`          SHAP             ${format(o.shap)}`);
  console.log(`time per report: ${result.millisecondsPerReport.toFixed(2)} ms without SHAP, ${result.millisecondsPerShapReport.toFixed(1)} ms with SHAP`);
}
