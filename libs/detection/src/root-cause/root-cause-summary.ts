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
  const channels = describeChannels(report.channels, report.temporal.peakSteps[0], report.temporal.stepShare.length);
  if (channels) parts.push(channels);
  if (report.shap) {
    const top = [...report.channels].filter((c) => c.shap !== undefined).sort((a, b) => b.shap! - a.shap!)[0];
    if (top) parts.push(`SHAP: ${top.name} adds ${signed(top.shap!)} to the score.`);
  }
  const latents = describeLatents(report.latent.slice(0, 1).map((l) => l.dimension));
  if (latents) parts.push(latents);
  if (report.modalities && report.modalities.length > 1) {
    const top = [...report.modalities].sort((a, b) => b.errorShare - a.errorShare)[0]!;
    parts.push(`Modality ${top.modality} carries ${percent(top.errorShare)} of the error.`);
  }
  return parts.join(' ');
}

/**
 * "Error is concentrated in s11 (62 %), then s4 (14 %) and s9 (6 %), peaking at step 28 of 30." — the channel
 * sentence of every root-cause text (this report's and the live detector's, see window-explanation.ts).
 * `peakStep` is 0-based. Undefined when no channel carries any error.
 */
export function describeChannels(channels: readonly { name: string; share: number }[], peakStep: number | undefined, steps: number): string | undefined {
  const [first, second, third] = channels;
  if (!first || !(first.share > 0)) return undefined;
  const rest = [second, third].filter((c) => c !== undefined && c.share > 0).map((c) => `${c!.name} (${percent(c!.share)})`);
  return (
    `Error is concentrated in ${first.name} (${percent(first.share)})` +
    (rest.length ? `, then ${rest.join(' and ')}` : '') +
    (peakStep !== undefined ? `, peaking at step ${peakStep + 1} of ${steps}.` : '.')
  );
}

/** "Latent dimensions 3, 0 and 2 move the score most." Undefined for none. */
export function describeLatents(dimensions: readonly number[]): string | undefined {
  if (dimensions.length === 0) return undefined;
  if (dimensions.length === 1) return `Latent dimension ${dimensions[0]} moves the score most.`;
  return `Latent dimensions ${dimensions.slice(0, -1).join(', ')} and ${dimensions.at(-1)} move the score most.`;
}

/** "The fused model puts 72 % of the score on AUDIO, 20 % on SENSOR." Undefined without shares. */
export function describeModalityShares(shares: Readonly<Record<string, number>>): string | undefined {
  const ranked = Object.entries(shares)
    .filter(([, share]) => share > 0)
    .sort((a, b) => b[1] - a[1]);
  const [first, second] = ranked;
  if (!first) return undefined;
  return `The fused model puts ${percent(first[1])} of the score on ${first[0]}${second ? `, ${percent(second[1])} on ${second[0]}` : ''}.`;
}
