/**
 * Ablation of the multimodal VAE on the held-out simulated test fleet (every fault type, ground truth from the
 * scenario), printed as Markdown: PoE vs MoE, with vs without cross-modal attention, each modality alone and
 * each missing (scored by the same fused model: its single-modality and pair posteriors are trained by the
 * sub-sampled ELBO), and the sensor-health path on stuck sensors.
 *
 *   nice npx tsx libs/ml/eval/multimodal.eval.ts [--epochs 10] [--minutes 6] [--main models/multimodal-pump/v1]
 *
 * `--main` loads the committed PoE + attention model instead of training it again. Deterministic for the seeds
 * in multimodal-support.ts.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseScenario } from '@vigil/simulators';
import { type FusionKind, loadMultimodalModel, type MultimodalWindowModel } from '../src';
import { parseFlags } from './eval-support';
import { ablationTable, modelRows, sensorHealthTable } from './multimodal-report';
import { multimodalWindows } from './multimodal-data';
import { fitSeeded, normalWindowsAcrossDay, testWindows, TRAIN_DEVICES, TRAIN_HOURS_UTC, TRAIN_SEED, trainingWindows } from './multimodal-support';

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  const epochs = Number(flags.get('epochs') ?? 10);
  const minutes = Number(flags.get('minutes') ?? 6);
  const t0 = Date.now();
  const train = trainingWindows(TRAIN_DEVICES, minutes);
  const test = testWindows();
  console.log(
    `training windows ${train.length} (normal, ${TRAIN_DEVICES} pumps × ${minutes} min across ${TRAIN_HOURS_UTC.length} times of day), test windows ${test.length} (${((Date.now() - t0) / 1000).toFixed(0)} s)\n`,
  );
  const variants: [FusionKind, boolean][] = flags.has('health-only')
    ? []
    : [
        ['poe', true],
        ['moe', true],
        ['poe', false],
        ['moe', false],
      ];
  const rows = [];
  for (const [fusion, crossAttention] of variants) {
    const label = `${fusion.toUpperCase()}${crossAttention ? ' + attention' : ', no attention'}`;
    const started = Date.now();
    let model: MultimodalWindowModel;
    if (fusion === 'poe' && crossAttention && flags.has('main')) model = await loadMultimodalModel(flags.get('main')!);
    else model = fitSeeded(train, { fusion, crossAttention }, epochs).model;
    const main = fusion === 'poe' && crossAttention;
    rows.push(...modelRows(label, model, test, main || fusion === 'moe'));
    console.log(`${label}: ${((Date.now() - started) / 1000).toFixed(0)} s`);
    model.dispose();
  }
  console.log(`\n## Multimodal ablation (process faults: normal vs bearing_wear, overheating, cavitation windows)\n\n${ablationTable(rows)}\n`);
  const normalHealth = normalWindowsAcrossDay(TRAIN_SEED, TRAIN_DEVICES, minutes, TRAIN_HOURS_UTC).map((w) => w.health);
  const demo = multimodalWindows(parseScenario(readFileSync(path.join(__dirname, '..', '..', '..', 'simulators', 'scenarios', 'demo.yaml'), 'utf8'))).windows;
  console.log(`## Sensor health on simulated windows\n\n${sensorHealthTable(test, normalHealth, demo)}\n`);
  console.log(`total ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
