/**
 * One short paragraph an operator can read on the alert: how far over threshold, which channels, when in the
 * window, what SHAP and the latent space say, and which modality.
 *
 * @example
 *   summariseRootCause(report);
 *   // "Score 4.21 is 3.5× the threshold 1.20. Error is concentrated in s11 (62 %), then s4 (14 %) and s9 (6 %),
 *   //  peaking at step 28 of 30. SHAP: s11 adds +3.10 to the score. Latent dimension 2 moves the score most."
 */
import type { RootCauseReport } from './root-cause-report';

const percent = (share: number) => `${Math.round(share * 100)} %`;
const number = (value: number) => (Math.abs(value) >= 100 || Math.abs(value) < 0.01 ? value.toPrecision(3) : value.toFixed(2));
const signed = (value: number) => `${value >= 0 ? '+' : '−'}${number(Math.abs(value))}`;

export function summariseRootCause(report: Omit<RootCauseReport, 'summary'>): string {
  const parts: string[] = [];
  if (report.threshold !== undefined && report.threshold > 0) {
    parts.push(`Score ${number(report.score)} is ${(report.score / report.threshold).toFixed(1)}× the threshold ${number(report.threshold)}.`);
  } else {
    parts.push(`Score ${number(report.score)}.`);
  }
  const [first, second, third] = report.channels;
  if (first) {
    const rest = [second, third].filter((c) => c !== undefined).map((c) => `${c.name} (${percent(c.share)})`);
    const steps = report.temporal.stepShare.length;
    const peak = report.temporal.peakSteps[0];
    parts.push(
      `Error is concentrated in ${first.name} (${percent(first.share)})` +
        (rest.length ? `, then ${rest.join(' and ')}` : '') +
        (peak !== undefined ? `, peaking at step ${peak + 1} of ${steps}.` : '.'),
    );
  }
  if (report.shap) {
    const top = [...report.channels].filter((c) => c.shap !== undefined).sort((a, b) => b.shap! - a.shap!)[0];
    if (top) parts.push(`SHAP: ${top.name} adds ${signed(top.shap!)} to the score.`);
  }
  const latent = report.latent[0];
  if (latent) parts.push(`Latent dimension ${latent.dimension} moves the score most.`);
  if (report.modalities && report.modalities.length > 1) {
    const top = [...report.modalities].sort((a, b) => b.errorShare - a.errorShare)[0]!;
    parts.push(`Modality ${top.modality} carries ${percent(top.errorShare)} of the error.`);
  }
  return parts.join(' ');
}
