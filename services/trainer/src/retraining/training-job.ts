/** What the main thread sends the training worker, and what comes back (structured-clone friendly). */
import type { WindowBatch } from '@vigil/ml';

export interface TrainingJob {
  requestId: string;
  modelName: string;
  registryRoot: string;
  trackingUri?: string;
  runsDir: string;
  workDir: string;
  channelNames: string[];
  train: WindowBatch;
  calibration: WindowBatch;
  heldOut: WindowBatch;
  epochs: number;
  latentDim: number;
  /** KL weight once annealed. */
  klBeta: number;
  seed: number;
  dataSource: string;
}

export interface JobScores {
  heldOut: number[];
  calibration: number[];
}

export type WorkerMessage =
  | { kind: 'progress'; epoch: number; epochs: number; loss: number; validationLoss: number }
  | { kind: 'done'; runId: string; version: string; challenger: JobScores; champion: JobScores | null; championSource: string | null }
  | { kind: 'cancelled' }
  | { kind: 'failed'; message: string };
