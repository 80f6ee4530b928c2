/**
 * Runs in a worker thread (training is synchronous tfjs and would block the service's event loop, its Kafka
 * heartbeats and its HTTP endpoints): train the challenger through `trainAndRegister()` — the same code as the
 * CLI and the eval scripts — score champion and challenger on the same held-out windows, report progress, stop
 * after the current epoch when the shared cancel flag is set.
 */
import { mulberry32 } from '@vigil/features';
import { parentPort, workerData } from 'node:worker_threads';
import {
  CALIBRATION_SCORES_FILE,
  createTracking,
  dataFingerprint,
  loadWindowModel,
  ModelRegistry,
  readCalibrationScores,
  readSensorHealthFile,
  scoreWindows,
  SENSOR_HEALTH_FILE,
  trainAndRegister,
  TrainingCancelledError,
} from '@vigil/ml';
import type { JobScores, TrainingJob, WorkerMessage } from './training-job';

const { job, cancelFlag } = workerData as { job: TrainingJob; cancelFlag: SharedArrayBuffer };
const cancelled = new Int32Array(cancelFlag);
const post = (message: WorkerMessage) => parentPort!.postMessage(message);

/** The served version's folder, or undefined before the model has one. */
async function championDir(): Promise<string | undefined> {
  const served = new ModelRegistry(job.registryRoot);
  return (await served.versions(job.modelName)).length === 0 ? undefined : served.latest(job.modelName);
}

async function championScores(): Promise<{ scores: JobScores; source: string } | null> {
  const source = await championDir();
  if (source === undefined) return null;
  const { model } = await loadWindowModel(source);
  try {
    // A champion without its own calibration scores is judged on its scores of the challenger's calibration set.
    const calibration = (await readCalibrationScores(source)) ?? Array.from(scoreWindows(model, job.calibration));
    return { scores: { heldOut: Array.from(scoreWindows(model, job.heldOut)), calibration }, source };
  } finally {
    model.vae.dispose();
  }
}

async function main(): Promise<void> {
  // tfjs's weight initialisers draw from Math.random: seeded here (this thread runs nothing else), the same data
  // and seed give the same challenger, so champion/challenger decisions are reproducible.
  Math.random = mulberry32(job.seed);
  const { tracker, registry } = createTracking({ trackingUri: job.trackingUri, localRunsDir: job.runsDir, registryRoot: job.registryRoot });
  let challenger: JobScores = { heldOut: [], calibration: [] };
  // The sensors' health rules are not learned: the challenger keeps the champion's, or once served it would
  // check its channels for stuck values and dropouts only (no ranges, no rate limits).
  const champion = await championDir();
  const healthRules = champion === undefined ? undefined : await readSensorHealthFile(champion);
  const outcome = await trainAndRegister({
    name: job.modelName,
    fit: {
      windows: job.train,
      channelNames: job.channelNames,
      model: { encoder: 'cnn', latentDim: job.latentDim },
      training: {
        epochs: job.epochs,
        seed: job.seed,
        earlyStopping: { patience: 3, minDelta: 1e-4 },
        klAnnealing: { kind: 'linear', beta: job.klBeta, warmupEpochs: 5 },
      },
    },
    manifest: {
      kind: 'timeseries-vae',
      data: {
        fingerprint: dataFingerprint([job.train.data], { steps: job.train.steps, channels: job.train.channels }),
        source: job.dataSource,
        windows: job.train.batch,
        steps: job.train.steps,
        stride: 0,
      },
    },
    tracker,
    registry,
    runName: `retrain-${job.requestId}`,
    tags: { 'vigil.retrainRequest': job.requestId },
    workDir: job.workDir,
    shouldCancel: () => Atomics.load(cancelled, 0) === 1,
    onEpoch: (log, epochs) => post({ kind: 'progress', epoch: log.epoch, epochs, loss: log.loss, validationLoss: log.validationLoss }),
    evaluate: (model) => {
      challenger = { heldOut: Array.from(scoreWindows(model, job.heldOut)), calibration: Array.from(scoreWindows(model, job.calibration)) };
      return {
        metrics: { heldOutMeanScore: mean(challenger.heldOut) },
        files: {
          [CALIBRATION_SCORES_FILE]: `${JSON.stringify({ source: `calibration windows of ${job.dataSource}`, scores: challenger.calibration })}\n`,
          ...(healthRules === undefined ? {} : { [SENSOR_HEALTH_FILE]: healthRules }),
        },
      };
    },
  });
  outcome.fitted.model.vae.dispose();
  const championRun = await championScores();
  post({
    kind: 'done',
    runId: outcome.run.runId,
    version: outcome.version.version,
    challenger,
    champion: championRun?.scores ?? null,
    championSource: championRun?.source ?? null,
  });
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);

main().catch((error: unknown) =>
  post(error instanceof TrainingCancelledError ? { kind: 'cancelled' } : { kind: 'failed', message: (error as Error).stack ?? String(error) }),
);
