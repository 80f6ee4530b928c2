/**
 * The ablation and sensor-health tables of the multimodal model, computed on the held-out test fleet and
 * rendered as Markdown (printed by `multimodal.eval.ts`, written into the model card by `multimodal.train.ts`).
 */
import { FAULT_TYPES } from '@vigil/simulators';
import type { ModalityName, MultimodalWindowModel } from '../src';
import type { LabelledWindow } from './multimodal-data';
import { type AblationRow, aucOf, PROCESS_FAULTS } from './multimodal-support';

const ALL: ModalityName[] = ['sensor', 'audio', 'image'];

/** Rows for one trained model: all modalities, each alone, each missing, and with the sensor-health path. */
export function modelRows(label: string, model: MultimodalWindowModel, test: readonly LabelledWindow[], subsets = true): AblationRow[] {
  const rows: AblationRow[] = [{ ...aucOf(model, test, ALL), name: `${label}, all modalities` }];
  if (!subsets) return rows;
  for (const m of ALL) rows.push({ ...aucOf(model, test, [m]), name: `${label}, ${m} alone` });
  for (const m of ALL)
    rows.push({
      ...aucOf(
        model,
        test,
        ALL.filter((o) => o !== m),
      ),
      name: `${label}, ${m} missing`,
    });
  const withHealth = aucOf(model, test, ALL, [...PROCESS_FAULTS, 'sensor_stuck'], true);
  rows.push({ ...withHealth, name: `${label} + sensor health, all faults incl. sensor_stuck` });
  return rows;
}

export function ablationTable(rows: readonly AblationRow[]): string {
  const faults = [...PROCESS_FAULTS, 'sensor_stuck'];
  const lines = [`| variant | ROC-AUC | ${faults.join(' | ')} |`, `|---|---|${faults.map(() => '---').join('|')}|`];
  for (const r of rows)
    lines.push(`| ${r.name} | **${r.auc.toFixed(4)}** | ${faults.map((f) => (r.perFault[f] === undefined ? '—' : r.perFault[f]!.toFixed(4))).join(' | ')} |`);
  return lines.join('\n');
}

/** Window recall of each sensor-health kind on the faulty windows, and false positives on normal ones. */
export function sensorHealthTable(test: readonly LabelledWindow[], extraNormal: readonly { healthy: boolean }[], demo?: readonly LabelledWindow[]): string {
  const lines = ['| windows | count | flagged by sensor health | share |', '|---|---|---|---|'];
  const row = (name: string, ws: readonly { healthy: boolean }[]) => {
    const flagged = ws.filter((w) => !w.healthy).length;
    lines.push(`| ${name} | ${ws.length} | ${flagged} | ${ws.length ? ((100 * flagged) / ws.length).toFixed(1) : '—'} % |`);
  };
  const stuck = test.filter((w) => w.fault === 'sensor_stuck');
  row(
    'sensor_stuck, every window overlapping the fault',
    stuck.map((w) => w.health),
  );
  row(
    'sensor_stuck, windows fully inside the fault',
    stuck.filter((w) => w.faultCoverage === 1).map((w) => w.health),
  );
  for (const f of FAULT_TYPES.filter((t) => t !== 'sensor_stuck'))
    row(
      `${f} (process fault, not a sensor fault)`,
      test.filter((w) => w.fault === f).map((w) => w.health),
    );
  row(
    'normal windows of the test fleet',
    test.filter((w) => !w.fault).map((w) => w.health),
  );
  row('normal windows of the training fleet', extraNormal);
  if (demo) {
    row(
      'demo.yaml (jitter, drops, late events): sensor_stuck windows',
      demo.filter((w) => w.fault === 'sensor_stuck').map((w) => w.health),
    );
    row(
      'demo.yaml: windows without any fault',
      demo.filter((w) => !w.fault).map((w) => w.health),
    );
  }
  return lines.join('\n');
}
