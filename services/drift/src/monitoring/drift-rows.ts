/**
 * A window report as rows, one per test (drifted or not) — the ClickHouse history — and the drifted ones as
 * `DriftEvent`s. Wasserstein-1 is reported (mean over latent dimensions) but not tested, so it never drifts on
 * its own. The event id is deterministic, so a replayed window produces the same id (idempotent inserts).
 *
 * @example
 *   const rows = driftRows(report, { modality: 'SENSOR', alpha: 0.05, psiThreshold: 0.1, detectedAtMs: now });
 *   const events = rows.filter((r) => r.drifted).map(toDriftEvent);
 */
import type { DriftEvent, Modality } from '@vigil/contracts';
import type { WindowDriftReport } from '@vigil/drift';

export type DriftTestName = DriftEvent['test'];

export interface DriftRow extends DriftEvent {
  drifted: boolean;
}

export interface DriftRowContext {
  modality: Modality;
  alpha: number;
  psiThreshold: number;
  detectedAtMs: number;
}

export function driftRows(report: WindowDriftReport, ctx: DriftRowContext): DriftRow[] {
  const base = {
    detectedAtMs: ctx.detectedAtMs,
    deviceId: null,
    modality: ctx.modality,
    referenceStartMs: report.reference.startMs,
    referenceEndMs: report.reference.endMs,
    currentStartMs: report.current.startMs,
    currentEndMs: report.current.endMs,
    modelVersion: report.modelVersion,
  };
  const row = (test: DriftTestName, statistic: number, pValue: number | null, threshold: number, drifted: boolean): DriftRow => ({
    ...base,
    eventId: `${ctx.modality}:${report.modelVersion}:${report.current.startMs}-${report.current.endMs}:${test}`,
    test,
    statistic,
    pValue,
    threshold,
    drifted,
  });
  const { latent, scores } = report;
  return [
    row('MMD', latent.mmd.statistic, latent.mmd.pValue, ctx.alpha, latent.mmdDrifted),
    row('KS', latent.ks.maxStatistic, latent.ks.minAdjustedPValue, ctx.alpha, latent.ksDrifted),
    row('WASSERSTEIN', latent.wasserstein.mean, null, 0, false),
    row('SCORE', scores.psi, scores.ks.pValue, ctx.psiThreshold, scores.drifted),
  ];
}

export function toDriftEvent(row: DriftRow): DriftEvent {
  const { drifted: _drifted, ...event } = row;
  return event;
}
