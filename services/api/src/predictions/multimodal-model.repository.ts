/**
 * The only file that reads the fused multimodal VAE from disk (`API_MULTIMODAL_MODEL`, the registry's newest
 * version, as the detector serves it as FUSED): the scorer with the frame shapes from its manifest's metadata,
 * the held-out normal scores its threshold starts from, and the window length it was trained on. Loaded on
 * first use, so the API starts without it.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type ModalityScorer, type MultimodalFrameShapes, multimodalFrameShapes, multimodalWindowScorer } from '@vigil/detection';
import { CALIBRATION_SCORES_FILE, loadMultimodalModel, MULTIMODAL_MODEL_FILE, ModelRegistry, multimodalScoringModel, readCalibrationScores } from '@vigil/ml';

export interface LoadedMultimodalModel {
  scorer: ModalityScorer;
  shapes: MultimodalFrameShapes;
  /** The version the detector writes into FUSED results (`multimodal-pump@v1`). */
  modelVersion: string;
  /** Window length of the training data: a posted window is read as this long. */
  windowMs: number;
  calibrationScores: number[];
}

const DEFAULT_WINDOW_MS = 3000;

export class MultimodalModelRepository {
  private loading?: Promise<LoadedMultimodalModel>;

  constructor(
    private readonly modelsDir: string,
    readonly modelName: string,
  ) {}

  get available(): boolean {
    return existsSync(join(this.modelsDir, this.modelName));
  }

  model(): Promise<LoadedMultimodalModel> {
    this.loading ??= this.load();
    return this.loading;
  }

  private async load(): Promise<LoadedMultimodalModel> {
    const dir = await new ModelRegistry(this.modelsDir).latest(this.modelName);
    const manifest = JSON.parse(await readFile(join(dir, MULTIMODAL_MODEL_FILE), 'utf8')) as { metadata?: unknown };
    const model = multimodalScoringModel(await loadMultimodalModel(dir));
    const { shapes, windowMs } = multimodalFrameShapes(model.multimodal.vae.config, manifest.metadata, dir);
    const scores = await readCalibrationScores(dir);
    if (scores === undefined) throw new Error(`${dir} has no ${CALIBRATION_SCORES_FILE}: its threshold needs held-out normal scores`);
    return {
      scorer: multimodalWindowScorer(model, shapes),
      shapes,
      modelVersion: model.version,
      windowMs: windowMs ?? DEFAULT_WINDOW_MS,
      calibrationScores: scores,
    };
  }
}
