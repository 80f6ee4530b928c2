/**
 * Starts one training job in a worker thread and hands back its progress, its result and a way to cancel it
 * (a shared flag the worker polls after every epoch). The only file of the trainer that touches worker_threads.
 */
import { Worker } from 'node:worker_threads';
import type { TrainingJob, WorkerMessage } from './training-job';

export type TrainingOutcome = Extract<WorkerMessage, { kind: 'done' | 'cancelled' | 'failed' }>;
export type TrainingProgress = Extract<WorkerMessage, { kind: 'progress' }>;

export interface RunningTraining {
  result: Promise<TrainingOutcome>;
  cancel(): void;
}

export interface TrainingRunner {
  start(job: TrainingJob, onProgress: (progress: TrainingProgress) => void): RunningTraining;
}

/** The worker is TypeScript: it gets tsx's CommonJS hook, as the service itself runs under tsx. */
const WORKER_EXEC_ARGV = ['--require', 'tsx/cjs'];

export class WorkerTrainingRunner implements TrainingRunner {
  start(job: TrainingJob, onProgress: (progress: TrainingProgress) => void): RunningTraining {
    const cancelFlag = new SharedArrayBuffer(4);
    const worker = new Worker(require.resolve('./training.worker.ts'), { workerData: { job, cancelFlag }, execArgv: WORKER_EXEC_ARGV });
    const result = new Promise<TrainingOutcome>((resolve) => {
      worker.on('message', (message: WorkerMessage) => {
        if (message.kind === 'progress') onProgress(message);
        else resolve(message);
      });
      worker.on('error', (error) => resolve({ kind: 'failed', message: error.message }));
      worker.on('exit', (code) => resolve({ kind: 'failed', message: `training worker exited with code ${code}` }));
    }).finally(() => void worker.terminate());
    return { result, cancel: () => Atomics.store(new Int32Array(cancelFlag), 0, 1) };
  }
}
