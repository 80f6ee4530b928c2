/**
 * `vigil timeseries train`: normal operation from one or more files → a model folder (`@vigil/ml` registry
 * layout, model card) plus `detector.json`. Constant columns are dropped with a warning (nothing to learn from
 * them); the threshold comes from held-out rows; the log says what false-alarm rate to expect.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { dataFingerprint, MODEL_CARD_FILE, renderModelCard, trainingSummary, writeWindowModel } from '@vigil/ml';
import { InputError } from '../cli-errors';
import { type CommandIo, headRows, type InputFlags, type LoadedTable, readTables } from './plant-inputs';
import { constantChannels } from './robust-scaling';
import { type DetectorOptions, type TrainedDetector, trainPlantDetector, writeDetectorFile } from './plant-detector';

export interface TrainedFromTables {
  detector: TrainedDetector;
  channels: string[];
  dropped: string[];
}

/** Checks the tables agree, drops constant channels, trains. The caller disposes `detector.model`. */
export function trainFromTables(tables: readonly LoadedTable[], options: DetectorOptions, io: CommandIo, { quiet = false } = {}): TrainedFromTables {
  const all = tables[0]!.channels;
  for (const t of tables) {
    if (t.channels.join('\u0000') !== all.join('\u0000'))
      throw new InputError(`${t.source}: columns ${t.channels.join(', ')} differ from ${tables[0]!.source}'s ${all.join(', ')}`);
  }
  const joined = Float32Array.from(tables.flatMap((t) => Array.from(t.values)));
  const constant = new Set(constantChannels(joined, all.length));
  const dropped = all.filter((_, c) => constant.has(c));
  for (const name of dropped) io.log(`warning: column "${name}" is constant in the training rows; dropped (exclude it with --exclude ${name} to silence this)`);
  const keep = all.map((_, c) => c).filter((c) => !constant.has(c));
  if (keep.length === 0) throw new InputError('every sensor column is constant in the training rows: nothing to learn');
  const channels = keep.map((c) => all[c]!);
  const sequences = tables.map((t) => ({
    source: t.source,
    rows: t.rows,
    values: Float32Array.from({ length: t.rows * keep.length }, (_, i) => t.values[Math.floor(i / keep.length) * all.length + keep[i % keep.length]!]!),
  }));
  const detector = trainPlantDetector(sequences, channels, options, quiet ? () => {} : io.log);
  return { detector, channels, dropped };
}

export async function trainAction(flags: InputFlags & { out: string }, options: DetectorOptions, io: CommandIo): Promise<void> {
  let tables = await readTables(flags, io);
  if (flags.trainRows) tables = tables.map((t) => headRows(t, flags.trainRows!));
  const first = tables[0]!;
  io.log(
    `read ${tables.length} file(s), ${tables.reduce((n, t) => n + t.rows, 0)} rows × ${first.channels.length} channels (${first.channels.join(', ')}), delimiter "${first.delimiter === '\t' ? '\\t' : first.delimiter}", time column ${first.timeColumn ?? '(none)'}`,
  );
  const { detector, channels, dropped } = trainFromTables(tables, options, io);
  try {
    const { calibration, model, result } = detector;
    await mkdir(flags.out, { recursive: true });
    const manifest = await writeWindowModel(flags.out, model, {
      kind: 'timeseries-vae',
      name: path.basename(path.resolve(flags.out)),
      version: 'v1',
      data: {
        fingerprint: dataFingerprint(
          tables.map((t) => t.values),
          { rows: tables.reduce((n, t) => n + t.rows, 0), channels: channels.join(',') },
        ),
        source: tables.map((t) => path.basename(t.source)).join(', '),
        windows: detector.windows,
        steps: options.steps,
        stride: detector.stride,
      },
      calibration: {
        method: 'held-out-quantile',
        threshold: calibration.threshold,
        parameters: { risk: calibration.risk, holdout: options.holdout },
        scoreCount: calibration.heldOutRows,
      },
      hyperParameters: { ...options },
      training: trainingSummary(result),
      metrics: { bestValidationLoss: result.bestValidationLoss, expectedFalseAlarmRate: calibration.expectedFalseAlarmRate },
      extra: { timeColumn: first.timeColumn ?? null, labelColumn: flags.labelColumn ?? null, exclude: flags.exclude, delimiter: first.delimiter },
    });
    await writeDetectorFile(flags.out, detector, dropped);
    await writeFile(
      path.join(flags.out, MODEL_CARD_FILE),
      renderModelCard(manifest, {
        summary: `Trained with \`vigil timeseries train\` on ${tables.length} file(s), taken as normal operation; threshold on the last ${options.holdout * 100} % of each file's rows, held out.`,
        reproduce: `npx vigil timeseries train --csv ${flags.csv.join(' ')}${flags.trainRows ? ` --train-rows ${flags.trainRows}` : ''} --window ${options.steps} --epochs ${options.epochs} --seed ${options.seed} --risk ${options.risk} --out ${flags.out}`,
        limitations: [
          'Unsupervised: the training rows are assumed normal; anomalies in them raise the threshold.',
          `Expected false-alarm rate before alarm logic: ${(100 * calibration.expectedFalseAlarmRate).toFixed(2)} % of normal rows (held-out).`,
        ],
      }),
    );
    io.log(
      `trained ${result.history.length} epochs (best ${result.bestEpoch + 1}); threshold ${calibration.threshold.toPrecision(4)} at risk ${calibration.risk} (${calibration.method === 'pot' ? 'POT tail of the training scores' : 'held-out quantile'}, never below the empirical quantile of ${calibration.heldOutRows} held-out rows); ` +
        `expected false-alarm rate ${(100 * calibration.expectedFalseAlarmRate).toFixed(2)} % of normal rows (an in-sample threshold would flag ${(100 * calibration.inSample.heldOutRate).toFixed(1)} %); saved ${flags.out}`,
    );
  } finally {
    detector.model.dispose();
  }
}
