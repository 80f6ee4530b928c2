/**
 * The only file that reads training runs from the model registry folder: each window-model version's
 * `model.json` (its `training` summary with per-epoch losses, its `metrics`; a multimodal model keeps them under
 * `metadata`) and, when its evaluation stored them, the score/label pairs in `evaluation-scores.json`.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export const EVALUATION_SCORES_FILE = 'evaluation-scores.json';

export interface EvaluationScores {
  /** Which data the scores are of, e.g. "C-MAPSS FD001 test engines, RUL ≤ 30 anomalous". */
  split: string;
  scores: number[];
  labels: number[];
}

export class TrainingRepository {
  constructor(readonly root: string) {}

  /** The version's manifest, or undefined when `name`/`version` is no window-model version folder. */
  async manifest(name: string, version: string): Promise<Record<string, unknown> | undefined> {
    const file = join(this.root, name, version, 'model.json');
    return existsSync(file) ? (JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>) : undefined;
  }

  async evaluationScores(name: string, version: string): Promise<EvaluationScores | undefined> {
    const file = join(this.root, name, version, EVALUATION_SCORES_FILE);
    return existsSync(file) ? (JSON.parse(await readFile(file, 'utf8')) as EvaluationScores) : undefined;
  }
}
