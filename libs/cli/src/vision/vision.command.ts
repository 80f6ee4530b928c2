/**
 * `vigil vision train|score|evaluate`: image anomaly models on MVTec-layout folders.
 *
 *   vigil vision train --data <category-dir> --out <model-dir> [--model feature-vae|gaussian|conv-vae] [--sizes 256,320] [--dims 160] [--share 2] [--folds 5] [--pool-radii 0,1] [--sigmas 0,1,2,3,4] [--top-ks 1,10]
 *   vigil vision score --model <model-dir> --images <folder-or-glob> --out <scores.csv> [--maps <dir>]
 *   vigil vision evaluate --model <model-dir> --data <category-dir> [--baseline <model-dir>...] [--json <file>]
 *
 * @example
 *   program.addCommand(visionCommand({ log: (line) => console.error(line) }));
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { processEnv } from '@vigil/config';
import { decodeImage, listMvtecCategory } from '@vigil/datasets';
import { writeCalibrationScores } from '@vigil/ml';
import {
  cacheDirFrom,
  decodeForModel,
  evaluateOnCategory,
  evaluateViewsOnCategory,
  GaussianVisionModel,
  loadVisionModel,
  resolveImageFiles,
  trainCalibratedVisionModel,
  type VisionModel,
  writeHeatMap,
} from '@vigil/vision';

export interface VisionIo {
  log(line: string): void;
  /** Download cache holding the converted backbone (default: VIGIL_CACHE_DIR or ~/.cache/vigil). */
  cacheDir?: string;
}

/** Published image ROC-AUC on MTD (from DifferNet, WACV 2021), printed beside our figures. */
export const MTD_ANCHORS = { GANomaly: 0.766, GeoTrans: 0.755, DifferNet: 0.977 } as const;

const nonNegative = (value: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number ≥ 0');
  return n;
};

const sizeList = (value: string): number[] => {
  const sizes = value.split(',').map(Number);
  if (sizes.some((n) => !Number.isInteger(n) || n < 32 || n % 32 !== 0))
    throw new InvalidArgumentError('expected sizes that are multiples of 32, e.g. 256,320');
  return sizes;
};

const numberList = (value: string): number[] => {
  const values = value.split(',').map(Number);
  if (values.length === 0 || values.some((n) => !Number.isFinite(n) || n < 0))
    throw new InvalidArgumentError('expected numbers ≥ 0, comma-separated, e.g. 0,1,2');
  return values;
};

const positiveList = (value: string): number[] => {
  const values = value.split(',').map(Number);
  if (values.some((n) => !Number.isInteger(n) || n <= 0)) throw new InvalidArgumentError('expected positive integers, comma-separated, e.g. 1,10');
  return values;
};

const positiveInt = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
};

function cacheDirOf(io: VisionIo): string {
  return io.cacheDir ?? cacheDirFrom(processEnv());
}

export function visionCommand(io: VisionIo): Command {
  const vision = new Command('vision').description('image anomaly models (MVTec AD layout): train, score, evaluate');

  vision
    .command('train')
    .description('fit a model on <data>/train/good; threshold calibrated on good images scored out of fold (K-fold cross-fit; the conv VAE: a held-out split)')
    .requiredOption('--data <category-dir>', 'MVTec-layout category folder')
    .requiredOption('--out <model-dir>', 'where the model is written')
    .addOption(new Option('--model <kind>', 'model kind').choices(['gaussian', 'feature-vae', 'conv-vae']).default('gaussian'))
    .option('--size <pixels>', 'conv VAE input size, square', positiveInt, 64)
    .option('--sizes <list>', 'Gaussian input sizes, comma-separated multiples of 32; the maps are fused', sizeList, [256])
    .option('--epochs <n>', 'conv VAE training epochs', positiveInt, 10)
    .option('--dims <n>', 'principal axes of the 344 feature channels kept by the Gaussian (PCA on train); 344: every channel, no PCA', positiveInt, 160)
    .option('--vae-epochs <n>', 'feature VAE epochs (200k patches each)', positiveInt, 4)
    .option('--beta <β>', 'feature VAE KL weight', nonNegative, 0.1)
    .option('--sigmas <list>', 'candidate smoothings of the map (cells of its grid), chosen on the synthetic validation set', numberList, [0, 1, 2, 3, 4])
    .option('--share <cells>', 'Gaussian covariances shared over share×share blocks of positions (memory ÷ share²)', positiveInt, 1)
    .option(
      '--top-ks <list>',
      'candidate image scores: mean of the k largest map cells (1 = the maximum), chosen on the synthetic validation set',
      positiveList,
      [1],
    )
    .option(
      '--folds <k>',
      'cross-fitting folds of train/good (Gaussian, feature VAE): each image is scored by the model fitted on the other folds',
      positiveInt,
      5,
    )
    .option('--pool-radii <list>', 'candidate neighbourhood radii for the shared covariances, chosen on the synthetic validation set', numberList, [0])
    .addOption(
      new Option(
        '--serve <which>',
        "best: the view with the best validation ROC-AUC serves (a feature VAE's Gaussian may win); own-kind: only the trained kind's views",
      )
        .choices(['best', 'own-kind'])
        .default('best'),
    )
    .addOption(
      new Option('--flips <n>', 'flip variants per training image (flips hurt aligned parts, see the model card)').choices(['1', '2', '4']).default('1'),
    )
    .action(
      async (opts: {
        data: string;
        out: string;
        model: 'gaussian' | 'feature-vae' | 'conv-vae';
        size: number;
        sizes: number[];
        epochs: number;
        dims: number;
        sigmas: number[];
        share: number;
        poolRadii: number[];
        topKs: number[];
        vaeEpochs: number;
        beta: number;
        flips: string;
        folds: number;
        serve: 'best' | 'own-kind';
      }) => {
        const started = Date.now();
        const { model, calibrationScores, calibrationSource } = await trainCalibratedVisionModel({
          dataDir: opts.data,
          kind: opts.model,
          cacheDir: cacheDirOf(io),
          inputSize: [opts.size, opts.size],
          convVae: { epochs: opts.epochs },
          flipVariants: Number(opts.flips) as 1 | 2 | 4,
          folds: opts.folds,
          gaussian: { sizes: opts.sizes, dims: opts.dims, share: opts.share, poolRadius: opts.poolRadii[0]! },
          validation: { sigmas: opts.sigmas, poolRadii: opts.poolRadii, topKs: opts.topKs },
          featureVae: { epochs: opts.vaeEpochs, beta: opts.beta },
          serve: opts.serve,
          log: io.log,
        });
        await model.save(opts.out);
        await writeCalibrationScores(opts.out, calibrationScores, calibrationSource);
        io.log(
          `${model.manifest.version} written to ${opts.out} (calibration-scores.json: ${calibrationSource}) in ${((Date.now() - started) / 1000).toFixed(0)} s`,
        );
        await model.dispose();
      },
    );

  vision
    .command('score')
    .description('score images; CSV columns file,score,threshold,is_anomaly')
    .requiredOption('--model <model-dir>', 'a trained vision model')
    .requiredOption('--images <folder-or-glob>', 'images to score')
    .requiredOption('--out <scores.csv>', 'CSV to write')
    .option('--maps <dir>', 'write a PNG heat map per image here')
    .action(async (opts: { model: string; images: string; out: string; maps?: string }) => {
      const files = resolveImageFiles(opts.images);
      if (files.length === 0) throw new InvalidArgumentError(`no images match ${opts.images}`);
      const model = await loadVisionModel(opts.model, { cacheDir: cacheDirOf(io) });
      const { threshold, mapSize } = model.manifest;
      if (opts.maps) mkdirSync(opts.maps, { recursive: true });
      const rows = ['file,score,threshold,is_anomaly'];
      for (let start = 0; start < files.length; start += 8) {
        const batch = files.slice(start, start + 8);
        const images = await Promise.all(batch.map((f) => decodeForModel(model, f)));
        const results = await model.score(images);
        for (const [k, file] of batch.entries()) {
          const { score, map } = results[k]!;
          rows.push(`${csvField(file)},${score.toFixed(6)},${threshold.toFixed(6)},${score > threshold}`);
          if (opts.maps) await writeHeatMap(path.join(opts.maps, `${path.parse(file).name}.png`), map, mapSize, await greyFor(model, file), threshold);
        }
      }
      writeFileSync(opts.out, `${rows.join('\n')}\n`);
      io.log(`${files.length} images scored → ${opts.out}${opts.maps ? ` (heat maps in ${opts.maps})` : ''}`);
      await model.dispose();
    });

  vision
    .command('evaluate')
    .description('image and pixel ROC-AUC per defect type on <data>/test, beside baselines and published anchors')
    .requiredOption('--model <model-dir>', 'the model to evaluate')
    .requiredOption('--data <category-dir>', 'MVTec-layout category folder')
    .option('--baseline <model-dir...>', 'more models evaluated in the same run')
    .option('--json <file>', 'also write the figures as JSON')
    .action(async (opts: { model: string; data: string; baseline?: string[]; json?: string }) => {
      const category = listMvtecCategory(opts.data);
      const rows: { name: string; perType: Record<string, number>; all: number; pixel: number }[] = [];
      for (const dir of [opts.model, ...(opts.baseline ?? [])]) {
        const model = await loadVisionModel(dir, { cacheDir: cacheDirOf(io) });
        if (model instanceof GaussianVisionModel) {
          // The fused model, the Gaussian on the same features and each input size alone, from one backbone pass.
          const views = model.evaluationViews();
          const reports = await evaluateViewsOnCategory(
            model,
            views.map((v) => v.model.manifest),
            (images) =>
              model.scoreViews(
                images,
                views.map((v) => v.model),
              ),
            category,
          );
          views.forEach((v, i) =>
            rows.push({
              name: i === 0 ? `${path.basename(dir)}: ${v.name}` : v.name,
              perType: reports[i]!.image.perType,
              all: reports[i]!.image.all,
              pixel: reports[i]!.pixel,
            }),
          );
        } else {
          const report = await evaluateOnCategory(model, category);
          rows.push({ name: `${path.basename(dir)} (${model.manifest.kind})`, perType: report.image.perType, all: report.image.all, pixel: report.pixel });
        }
        await model.dispose();
      }
      const types = category.defectTypes;
      io.log(`image ROC-AUC on ${category.name} (${category.test.length} test images), pixel ROC-AUC over all test pixels`);
      io.log(['model'.padEnd(62), ...types.map((t) => t.padStart(9)), 'all types'.padStart(10), 'pixel'.padStart(7)].join(' '));
      for (const row of rows) {
        io.log(
          [
            row.name.padEnd(62),
            ...types.map((t) => (row.perType[t] ?? Number.NaN).toFixed(3).padStart(9)),
            row.all.toFixed(3).padStart(10),
            row.pixel.toFixed(3).padStart(7),
          ].join(' '),
        );
      }
      for (const [name, auc] of Object.entries(MTD_ANCHORS))
        io.log([`${name} (published, MTD)`.padEnd(62), ...types.map(() => '-'.padStart(9)), auc.toFixed(3).padStart(10), '-'.padStart(7)].join(' '));
      if (opts.json) writeFileSync(opts.json, `${JSON.stringify({ category: category.name, rows, anchors: MTD_ANCHORS }, null, 2)}\n`);
    });

  return vision;
}

function greyFor(model: VisionModel, file: string) {
  return decodeImage(file, { size: model.manifest.inputSize, channels: 1 });
}

function csvField(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
