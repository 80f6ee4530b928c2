/**
 * Root-cause benchmark on C-MAPSS FD001: breaks each channel in turn in held-out normal windows of validation
 * engines and prints top-1 / top-3 accuracy of the channel ranking per fault kind (kinds and sizes printed with
 * it), at the stated fault sizes and at half of them.
 *
 * Default model: a PCA window model (a real linear autoencoder) fitted here on normal windows of the fit
 * engines (per-regime z-scored sensors from @vigil/datasets). `--model <dir>` plugs in a committed VAE instead
 * (e.g. models/cmapss-fd001-cnn/v1, loaded through @vigil/ml's loadWindowModel; raw sensors, the model scales
 * them itself; engines split as it was trained, seed 7). Only that path loads TensorFlow.js.
 *
 * Run: npm run bench:root-cause -- [--windows 40] [--latent 16] [--model models/cmapss-fd001-cnn/v1]
 * Data: VIGIL_DATA_DIR (default <repo root>/../shared/data), read by @vigil/datasets.
 * Goal (issue #7): top-1 ≥ 0.9 and top-3 ≥ 0.98.
 */
import type { WindowBatch, WindowModel } from '@vigil/ml';
import { cmapssWindows, labelByRul, loadCmapssExperiment, loadCmapssSubset, SENSOR_NAMES, splitUnits, unitsOf, type CmapssRow } from '@vigil/datasets';
import { PcaWindowModel } from './pca-window-model';
import { printRootCauseBenchmark, runRootCauseBenchmark, type RootCauseBenchmarkData } from './root-cause-benchmark';

function flag(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

/** Windows `indices` of a batch, copied into a new batch. */
function pick(batch: WindowBatch, indices: readonly number[]): WindowBatch {
  const size = batch.steps * batch.channels;
  const data = new Float32Array(indices.length * size);
  indices.forEach((index, k) => data.set(batch.data.subarray(index * size, (index + 1) * size), k * size));
  return { data, batch: indices.length, steps: batch.steps, channels: batch.channels };
}

const every = (count: number, step: number, offset = 0) => Array.from({ length: Math.floor((count - offset) / step) }, (_, i) => offset + i * step);

async function pcaSetup(latentDim: number): Promise<{ model: WindowModel; data: RootCauseBenchmarkData; description: string }> {
  const experiment = await loadCmapssExperiment({ subset: 'FD001', windowLength: 30, seed: 42 });
  const normalHeldOut = experiment.validation.labels.flatMap((label, i) => (label === 'normal' ? [i] : []));
  const train = experiment.train.batch;
  const start = performance.now();
  const model = PcaWindowModel.fit(train, { latentDim, channelNames: experiment.sensors, iterations: 40 });
  const description =
    `PCA (k=${latentDim}) fitted in ${((performance.now() - start) / 1000).toFixed(1)} s on ${train.batch} normal windows of ` +
    `${experiment.fitUnits.length} engines; ${normalHeldOut.length} normal held-out windows of ${experiment.validationUnits.length} other engines`;
  return {
    model,
    description,
    data: { calibration: pick(train, every(train.batch, 7)), heldOut: pick(experiment.validation.batch, normalHeldOut), background: pick(train, [0, 1, 2, 3]) },
  };
}

async function committedModelSetup(dir: string): Promise<{ model: WindowModel; data: RootCauseBenchmarkData; description: string }> {
  const { loadWindowModel } = await import('@vigil/ml');
  const { model } = await loadWindowModel(dir);
  const data = await loadCmapssSubset('FD001');
  const split = splitUnits(unitsOf(data.train), { validationFraction: 0.2, seed: 7 });
  const columns = model.channelNames.map((name) => SENSOR_NAMES.indexOf(name));
  const raw = (rows: readonly CmapssRow[]) => cmapssWindows(rows, (row) => columns.map((c) => row.sensors[c]!), { length: model.steps });
  const normal = (windows: ReturnType<typeof raw>) =>
    pick(
      windows.batch,
      windows.meta.flatMap((m, i) => (labelByRul(m.rul) === 'normal' ? [i] : [])),
    );
  const train = normal(raw(data.train.filter((r) => split.train.has(r.unit))));
  const heldOut = normal(raw(data.train.filter((r) => split.validation.has(r.unit))));
  return {
    model,
    description: `${dir} (${model.version}); ${train.batch} normal windows of its ${split.train.size} training engines, ${heldOut.batch} normal held-out windows`,
    data: { calibration: pick(train, every(train.batch, 7)), heldOut, background: pick(train, [0, 1, 2, 3]) },
  };
}

async function main(): Promise<void> {
  const windows = Number(flag('windows') ?? 40);
  const modelDir = flag('model');
  const { model, data, description } = modelDir ? await committedModelSetup(modelDir) : await pcaSetup(Number(flag('latent') ?? 16));
  console.log(`C-MAPSS FD001, 30 steps × ${model.channels} sensors. Model: ${description}`);
  // The stated sizes, then half of them: where the ranking starts to fail is part of the honest figure.
  for (const magnitude of [1, 0.5]) {
    console.log('');
    printRootCauseBenchmark(runRootCauseBenchmark(model, data, { windows, shapWindows: 2, shapCoalitions: 128, seed: 1, magnitude }));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
