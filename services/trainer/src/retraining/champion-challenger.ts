/**
 * Is the challenger better than the champion on the same held-out windows? Their raw scores are not comparable
 * (each model scales its inputs with its own scaler), so each is judged against its own calibrated threshold:
 * the share of held-out normal windows it would flag (its false-alarm rate; lower is better). The threshold is
 * the `calibrationQuantile` of the model's calibration scores — the detector's SPOT starts from the same scores.
 * The challenger is promoted only if it lowers the champion's rate by `minImprovement` (absolute) and by
 * `minRelativeImprovement` of the champion's rate: retraining on the same data moves the rate by training noise
 * (seen: 0.04–0.28 on the same windows), so a promotion needs a real gap, such as a champion flagging a new regime.
 *
 * @example
 *   const decision = decidePromotion({ champion, challenger, minImprovement: 0.02 });
 */

export interface HeldOutScores {
  /** Scores of the held-out windows. */
  heldOut: ArrayLike<number>;
  /** The model's own calibration scores (normal windows it was not trained on). */
  calibration: ArrayLike<number>;
}

export interface ModelJudgement {
  threshold: number;
  falseAlarmRate: number;
  meanScore: number;
}

export interface PromotionDecision {
  promote: boolean;
  champion: ModelJudgement | null;
  challenger: ModelJudgement;
  reason: string;
}

export const DEFAULT_CALIBRATION_QUANTILE = 0.99;

function quantile(values: ArrayLike<number>, q: number): number {
  const sorted = Float64Array.from(values).sort();
  const position = q * (sorted.length - 1);
  const low = Math.floor(position);
  const high = Math.min(low + 1, sorted.length - 1);
  return sorted[low]! + (position - low) * (sorted[high]! - sorted[low]!);
}

export function judge(scores: HeldOutScores, calibrationQuantile = DEFAULT_CALIBRATION_QUANTILE): ModelJudgement {
  const threshold = quantile(scores.calibration, calibrationQuantile);
  let above = 0;
  let sum = 0;
  for (let i = 0; i < scores.heldOut.length; i++) {
    if (scores.heldOut[i]! > threshold) above++;
    sum += scores.heldOut[i]!;
  }
  return { threshold, falseAlarmRate: above / scores.heldOut.length, meanScore: sum / scores.heldOut.length };
}

export const DEFAULT_MIN_RELATIVE_IMPROVEMENT = 0.5;

export function decidePromotion(input: {
  champion: HeldOutScores | null;
  challenger: HeldOutScores;
  minImprovement: number;
  minRelativeImprovement?: number;
  calibrationQuantile?: number;
}): PromotionDecision {
  const challenger = judge(input.challenger, input.calibrationQuantile);
  if (!input.champion) return { promote: true, champion: null, challenger, reason: 'no champion yet' };
  const champion = judge(input.champion, input.calibrationQuantile);
  const gain = champion.falseAlarmRate - challenger.falseAlarmRate;
  const required = Math.max(input.minImprovement, (input.minRelativeImprovement ?? DEFAULT_MIN_RELATIVE_IMPROVEMENT) * champion.falseAlarmRate);
  const promote = gain >= required && gain > 0;
  const rates = `held-out false-alarm rate ${challenger.falseAlarmRate.toFixed(4)} vs champion ${champion.falseAlarmRate.toFixed(4)}`;
  return { promote, champion, challenger, reason: promote ? `better: ${rates}` : `not better by ${required.toFixed(4)}: ${rates}` };
}
