/**
 * `vigil evaluate --model <model-dir> --csv <labelled.csv> --label-column <name> [--card]`
 *
 * Scores a labelled CSV (label 1/true/anomaly = anomalous, 0/false/normal = normal; rows with an empty label are
 * skipped) with a saved model, prints ROC-AUC, PR-AUC (average precision), best F1 and its threshold, and F1
 * at the stored threshold; with --card, appends them to the model card (MODEL_CARD.md) in the model folder.
 */
import { appendFile, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { detectionMetrics, MODEL_CARD_FILE } from '@vigil/ml';
import { parseArgs, UsageError } from './args';
import { parseDelimited } from './csv/delimited-text';
import { scoreCsvRows } from './timeseries/timeseries-score.command';
import type { CommandIo } from './timeseries/timeseries-train.command';

const POSITIVE = new Set(['1', 'true', 'yes', 'anomaly', 'anomalous', 'abnormal', 'fault']);
const NEGATIVE = new Set(['0', 'false', 'no', 'normal', 'ok']);

export async function evaluate(argv: readonly string[], io: CommandIo): Promise<void> {
  const flags = parseArgs(argv, { required: ['model', 'csv', 'label-column'], optional: ['time-column', 'card'] });
  const text = await readFile(flags.get('csv')!, 'utf8');
  const labelColumn = flags.get('label-column')!;
  const { header, rows } = parseDelimited(text);
  const labelIndex = header.indexOf(labelColumn);
  if (labelIndex < 0) throw new UsageError(`label column "${labelColumn}" is not in the file`);
  const { scores, threshold } = await scoreCsvRows(flags.get('model')!, text, flags.get('time-column'), io);
  const kept: { score: number; label: number }[] = [];
  rows.forEach((row, r) => {
    const raw = row[labelIndex]!.trim().toLowerCase();
    if (raw === '') return;
    if (POSITIVE.has(raw)) kept.push({ score: scores[r]!, label: 1 });
    else if (NEGATIVE.has(raw)) kept.push({ score: scores[r]!, label: 0 });
    else throw new UsageError(`line ${r + 2}: label "${row[labelIndex]}" is neither anomalous (1/true/anomaly) nor normal (0/false/normal)`);
  });
  const metrics = detectionMetrics(
    kept.map((k) => k.score),
    kept.map((k) => k.label),
  );
  const counts = kept.reduce((c, k) => ((k.score > threshold ? (k.label ? c.tp++ : c.fp++) : k.label ? c.fn++ : 0), c), { tp: 0, fp: 0, fn: 0 });
  const f1AtThreshold = (2 * counts.tp) / Math.max(1, 2 * counts.tp + counts.fp + counts.fn);
  const report = {
    rows: kept.length,
    anomalous: metrics.positives,
    rocAuc: metrics.rocAuc,
    prAuc: metrics.prAuc,
    bestF1: metrics.bestF1,
    bestF1Threshold: metrics.bestF1Threshold,
    storedThreshold: threshold,
    f1AtStoredThreshold: f1AtThreshold,
  };
  io.log(JSON.stringify(report, null, 1));
  if (flags.get('card') === 'true') {
    const lines = [
      '',
      `## Evaluation on ${path.basename(flags.get('csv')!)} (${new Date().toISOString()})`,
      `Row-level, label column \`${labelColumn}\`: ${metrics.negatives} normal and ${metrics.positives} anomalous rows.`,
      '',
      '| ROC-AUC | PR-AUC (AP) | best F1 | best-F1 threshold | F1 @ stored threshold |',
      '|---:|---:|---:|---:|---:|',
      `| ${metrics.rocAuc.toFixed(4)} | ${metrics.prAuc.toFixed(4)} | ${metrics.bestF1.toFixed(4)} | ${metrics.bestF1Threshold.toPrecision(4)} | ${f1AtThreshold.toFixed(4)} |`,
    ];
    await appendFile(path.join(flags.get('model')!, MODEL_CARD_FILE), lines.join('\n') + '\n');
    io.log(`appended to ${path.join(flags.get('model')!, MODEL_CARD_FILE)}`);
  }
}
