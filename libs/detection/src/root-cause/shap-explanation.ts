/**
 * KernelSHAP for a flagged window, whatever scorer flagged it: the scorer says who the players are and how to
 * score a coalition of them (`ShapProblem`, built by `ModalityScorer.shapProblem`), this runs KernelSHAP within
 * a coalition budget and ranks the players. Too slow for the hot path (a model call over up to 2^M
 * coalitions), so the detector runs it in its root-cause worker, after the result is out.
 *
 * - sensor scorer: players are the channels; an absent channel takes the model's reconstruction of it (what
 *   the model expects there), so a channel's value is how much its deviation from that expectation adds.
 * - fused scorer: players are the modalities the window carries; an absent one is left out of the product of
 *   experts, as a missing modality is; no modality at all scores 1, the calibrated score of a normal window.
 *
 * @example
 *   const problem = scorer.shapProblem?.(flaggedFrame);
 *   const shap = problem && explainWithShap(problem, { maxCoalitions: 256, seed: 1 });
 */
import { kernelShap, kernelShapAsync, type KernelShapOptions, type ShapleyValues } from './kernel-shap';

export interface ShapProblem {
  /** Channel or modality names. */
  players: readonly string[];
  /** Score of each coalition (row-major 0/1 masks `[count][players]`), in one batched model call. */
  value(masks: Uint8Array, count: number): ArrayLike<number>;
  /**
   * The same values from the model's asynchronous pass (ONNX Runtime, off the main thread), when it has one:
   * `explainWithShapAsync` prefers it, so an explanation does not block the event loop for its model call.
   */
  valueAsync?(masks: Uint8Array, count: number): Promise<ArrayLike<number>>;
}

export interface ShapContribution {
  name: string;
  value: number;
  /** |value| / Σ |values|. */
  share: number;
}

export interface ShapResult {
  /** Largest |value| first. */
  contributions: ShapContribution[];
  baseValue: number;
  fullValue: number;
  exact: boolean;
  coalitionsEvaluated: number;
}

export function explainWithShap(problem: ShapProblem, options: KernelShapOptions = {}): ShapResult {
  return ranked(problem, kernelShap({ players: problem.players.length, value: (masks, count) => problem.value(masks, count) }, options));
}

/** As `explainWithShap`, on `valueAsync` when the problem has it (one model call for all coalitions). */
export async function explainWithShapAsync(problem: ShapProblem, options: KernelShapOptions = {}): Promise<ShapResult> {
  const value = (masks: Uint8Array, count: number) => (problem.valueAsync ? problem.valueAsync(masks, count) : problem.value(masks, count));
  return ranked(problem, await kernelShapAsync({ players: problem.players.length, value }, options));
}

function ranked(problem: ShapProblem, shap: ShapleyValues): ShapResult {
  const total = shap.values.reduce((s, v) => s + Math.abs(v), 0);
  const contributions = problem.players
    .map((name, i) => ({ name, value: shap.values[i]!, share: total > 0 ? Math.abs(shap.values[i]!) / total : 1 / problem.players.length }))
    .sort((a, b) => Math.abs(b.value) - Math.abs(a.value));
  return { contributions, baseValue: shap.baseValue, fullValue: shap.fullValue, exact: shap.exact, coalitionsEvaluated: shap.coalitionsEvaluated };
}

/** One sentence naming the players that push the score most. */
export function describeShap(result: ShapResult, what: 'channels' | 'modalities'): string {
  const top = result.contributions.filter((c) => c.value > 0).slice(0, 3);
  if (top.length === 0) return `No single ${what === 'channels' ? 'channel' : 'modality'} raises the score (KernelSHAP).`;
  const parts = top.map((c) => `${c.name} (+${c.value.toPrecision(3)}, ${Math.round(100 * c.share)} %)`);
  return `KernelSHAP over ${what}: ${parts.join(', ')} of score ${result.fullValue.toPrecision(3)} against ${result.baseValue.toPrecision(3)} with none${result.exact ? '' : ' (sampled coalitions)'}.`;
}
