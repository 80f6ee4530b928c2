/**
 * `vigil timeseries evaluate`: labelled files → point metrics (F1, FAR, MAR on alarm rows; ROC-AUC, PR-AUC on
 * scores relative to each row's threshold), event metrics (events caught, false alarms per day, detection
 * delay) and the NAB standard-profile score, over all files together. Either one saved `--model` scores every
 * file, or (`--train-rows N`, the SKAB protocol) a detector is trained on each file's first N rows and scores
 * that whole file. The label column is never a sensor.
 */
import { writeFile } from 'node:fs/promises';
import { alarmMask } from '@vigil/detection';
import { detectionMetrics } from '@vigil/ml';
import { UsageError } from '../cli-errors';
import { eventMetrics, nabRawScore, normalisedNab, pointMetrics } from '../evaluation/event-metrics';
import { type CommandIo, headRows, type InputFlags, type LoadedTable, readTables } from './plant-inputs';
import type { DetectorOptions } from './plant-detector';
import { type ScoredSeries, type ScoringOptions, scoreSeries } from './plant-scoring';
import { scoreTables } from './score.action';
import { trainFromTables } from './train.action';

export type EvaluateFlags = InputFlags & { labelColumn: string; model?: string; json?: string };

const DAY_MS = 86_400_000;

export async function evaluateAction(flags: EvaluateFlags, detectorOptions: DetectorOptions, scoring: ScoringOptions, io: CommandIo): Promise<void> {
  let scored: { table: LoadedTable; result: ScoredSeries }[];
  const started = Date.now();
  if (flags.model) scored = await scoreTables({ ...flags, model: flags.model }, scoring, io);
  else {
    if (!flags.trainRows) throw new UsageError('evaluate needs --model <dir>, or --train-rows <n> to train on the first n rows of each file');
    scored = [];
    for (const table of await readTables(flags, io)) {
      const { detector, channels } = trainFromTables([headRows(table, flags.trainRows)], detectorOptions, io, { quiet: true });
      try {
        const keep = channels.map((c) => table.channels.indexOf(c));
        const values = Float32Array.from(
          { length: table.rows * keep.length },
          (_, i) => table.values[Math.floor(i / keep.length) * table.channels.length + keep[i % keep.length]!]!,
        );
        const file = {
          format: 'vigil-plant-detector' as const,
          version: 2 as const,
          parameters: detector.parameters,
          calibration: detector.calibration,
          heldOutScores: detector.heldOutScores,
          droppedConstantColumns: [],
        };
        scored.push({ table, result: scoreSeries(detector.model, file, values, scoring, table) });
        io.log(`${table.source}: trained on ${flags.trainRows} rows, ${scored.at(-1)!.result.alarms.length} alarm(s)`);
      } finally {
        detector.model.dispose();
      }
    }
  }
  const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
  const perFile = scored.map(({ table, result }) => ({ source: table.source, ...pointMetrics(alarmMask(result.alarms, table.rows), table.labels!) }));
  for (const f of perFile) io.log(`${f.source}: F1 ${f.f1.toFixed(3)}  FAR ${pct(f.far)}  MAR ${pct(f.mar)}`);
  const labels = scored.flatMap(({ table }) => Array.from(table.labels!));
  const flagsInAlarm = scored.flatMap(({ result }) => {
    const mask = new Array<number>(result.scores.length).fill(0);
    for (const a of result.alarms) mask.fill(1, a.start, a.end + 1);
    return mask;
  });
  const relative = scored.flatMap(({ result }) => Array.from(result.scores, (s, i) => s / result.thresholds[i]!));
  const point = pointMetrics(flagsInAlarm, labels);
  const ranking = detectionMetrics(relative, labels);
  const events = scored.map(({ table, result }) => eventMetrics(result.alarms, table.labels!));
  const delays = events.flatMap((e) => e.delays);
  const spanMs = scored.reduce((sum, { table }) => sum + timeSpanMs(table), 0);
  const falseAlarms = events.reduce((n, e) => n + e.falseAlarms, 0);
  const report = {
    files: scored.length,
    rows: labels.length,
    anomalousRows: labels.reduce((n, l) => n + l, 0),
    point: { f1: point.f1, far: point.far, mar: point.mar, rocAuc: ranking.rocAuc, prAuc: ranking.prAuc },
    events: {
      events: events.reduce((n, e) => n + e.events, 0),
      caught: events.reduce((n, e) => n + e.caught, 0),
      falseAlarms,
      falseAlarmsPerDay: spanMs > 0 ? (falseAlarms * DAY_MS) / spanMs : null,
      meanDetectionDelayRows: delays.length ? delays.reduce((s, d) => s + d, 0) / delays.length : null,
    },
    nabStandard: normalisedNab(scored.map(({ table, result }) => nabRawScore(result.alarms, table.labels!))),
    perFile: perFile.map(({ source, f1, far, mar }) => ({ source, f1, far, mar })),
    seconds: (Date.now() - started) / 1000,
  };
  (io.out ?? io.log)(
    [
      `files ${report.files}, rows ${report.rows} (${report.anomalousRows} anomalous)`,
      `point:  F1 ${point.f1.toFixed(3)}  FAR ${pct(point.far)}  MAR ${pct(point.mar)}  ROC-AUC ${ranking.rocAuc.toFixed(3)}  PR-AUC ${ranking.prAuc.toFixed(3)}`,
      `events: ${report.events.caught}/${report.events.events} caught, ${falseAlarms} false alarm(s)${report.events.falseAlarmsPerDay === null ? '' : ` (${report.events.falseAlarmsPerDay.toFixed(1)} per day)`}, mean detection delay ${report.events.meanDetectionDelayRows?.toFixed(1) ?? '–'} rows`,
      `NAB (standard profile): ${report.nabStandard.toFixed(1)}`,
    ].join('\n') + '\n',
  );
  if (flags.json) await writeFile(flags.json, JSON.stringify(report, null, 1) + '\n');
}

/** Wall-clock span of a table from its time column, or 0 when the column is absent or not parseable as dates. */
function timeSpanMs(table: LoadedTable): number {
  if (!table.time || table.time.length < 2) return 0;
  const first = Date.parse(table.time[0]!);
  const last = Date.parse(table.time.at(-1)!);
  return Number.isFinite(first) && Number.isFinite(last) && last > first ? last - first : 0;
}
