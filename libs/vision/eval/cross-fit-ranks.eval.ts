/**
 * Report only, run after the choice: does the cross-fitted synthetic validation set (out-of-fold train/good vs the same
 * images with one pasted defect each) order the training knobs as the real test defects do? For each trained model
 * directory it reads the validation table the trainer wrote (view × image score × σ, manifest.settings.validation),
 * scores the test split once per view (the fused map before smoothing), computes the same settings' test image
 * ROC-AUC, and prints both with Spearman's rank correlation (rank-agreement.ts). Nothing here feeds back into training.
 *
 *   nice npx tsx libs/vision/eval/cross-fit-ranks.eval.ts [model-dir ...]   (default: models/mtd-feature-vae/vae models/mtd-gaussian)
 */
import { loadavg } from 'node:os';
import * as path from 'node:path';
import { GOOD, listMvtecCategory, resolveDataDir } from '@vigil/datasets';
import { rocAuc } from '@vigil/ml';
import { defaultCacheDir } from '../scripts/provision-backbone';
import { decodeForModel } from '../src/evaluation/mvtec-evaluation';
import { smoothMap, topKMean } from '../src/maps/anomaly-map';
import { GaussianVisionModel } from '../src/models/gaussian/gaussian-model';
import { rankAgreement } from '../src/validation/rank-agreement';

const root = path.resolve(__dirname, '../../..');
const dirs = process.argv.length > 2 ? process.argv.slice(2) : [path.join(root, 'models/mtd-feature-vae/vae'), path.join(root, 'models/mtd-gaussian')];

interface ValidationTable {
  sigmas: number[];
  table: { view: string; topK: number; auc: number[] }[];
}

async function main(): Promise<void> {
  const category = listMvtecCategory(path.join(resolveDataDir(), 'mtd', 'magnetic_tile'));
  const labels = category.test.map((s) => (s.defectType === GOOD ? 0 : 1));
  const crack = category.test.flatMap((s, i) => (s.defectType === 'crack' || s.defectType === GOOD ? [i] : []));
  const rows: { name: string; validation: number; test: number; crack: number }[] = [];
  console.log(
    `load average at start ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  for (const dir of dirs) {
    const model = await GaussianVisionModel.load(dir, defaultCacheDir());
    const { sigmas, table } = model.manifest.settings.validation as ValidationTable;
    const views = model.evaluationViews();
    const fused: Float32Array[][] = views.map(() => []);
    for (let start = 0; start < category.test.length; start += 8) {
      const images = await Promise.all(category.test.slice(start, start + 8).map((s) => decodeForModel(model, s.imagePath)));
      const features = await model.features(images);
      for (const [v, view] of views.entries()) fused[v]!.push(...(await view.model.fusedMaps(features)));
    }
    for (const row of table) {
      const v = views.findIndex((view) => view.name.trim().startsWith(row.view.replace(/ \(.*$/, '')));
      const [h, w] = views[v]!.model.manifest.mapSize;
      sigmas.forEach((sigma, s) => {
        const scores = fused[v]!.map((m) => topKMean(smoothMap(m, h, w, sigma), row.topK));
        rows.push({
          name: `${path.basename(dir)}: ${row.view}, ${row.topK > 1 ? `top-${row.topK} mean` : 'max'}, σ ${sigma}`,
          validation: row.auc[s]!,
          test: rocAuc(scores, labels),
          crack: rocAuc(
            crack.map((i) => scores[i]!),
            crack.map((i) => labels[i]!),
          ),
        });
      });
    }
    await model.dispose();
  }
  console.log(`${'setting'.padEnd(64)} validation   test  crack`);
  for (const r of rows) console.log(`${r.name.padEnd(64)} ${r.validation.toFixed(4).padStart(10)} ${r.test.toFixed(4)} ${r.crack.toFixed(4)}`);
  const agreement = rankAgreement(rows.map((r) => [r.validation, r.test] as const));
  console.log(
    `${rows.length} settings: Spearman (validation vs test image ROC-AUC) ${agreement.spearman.toFixed(2)}; pairs differing by ≥ 0.002 on both ordered alike ${agreement.agreeing} of ${agreement.pairs}`,
  );
  console.log(
    `load average at end ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
