/**
 * The only file that reads the fused multimodal VAE from disk (`API_MULTIMODAL_MODEL`, the registry's newest
 * version, as the detector serves it as FUSED): the scorer with the frame shapes from its manifest's metadata,
 * the held-out normal scores its threshold starts from, and the window length it was trained on. Loaded on
 * first use, so the API starts without it.
 *
 * The metadata → frame shapes step repeats services/detector's multimodal-model.loader.ts (a service may not
 * import another's files); it belongs in libs/detection beside `multimodalWindowScorer` (see the report).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type ModalityScorer, type MultimodalFrameShapes, multimodalWindowScorer } from '@vigil/detection';
import { loadMultimodalModel, MULTIMODAL_MODEL_FILE, ModelRegistry, multimodalInputShape, multimodalScoringModel } from '@vigil/ml';
import { z } from 'zod';

export interface LoadedMultimodalModel {
  scorer: ModalityScorer;
  shapes: MultimodalFrameShapes;
  /** The version the detector writes into FUSED results (`multimodal-pump@v1`). */
  modelVersion: string;
  /** Window length of the training data: a posted window is read as this long. */
  windowMs: number;
  calibrationScores: number[];
}

const metadata = z.object({
  features: z.object({
    sensor: z.object({ channels: z.array(z.string()).min(1) }),
    audio: z.object({ sampleRate: z.number().positive() }),
    image: z.object({ overdueAfterMs: z.number().positive() }),
  }),
  data: z.object({ windowMs: z.number().positive() }).partial().default({}),
});

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
    const parsed = metadata.safeParse(manifest.metadata);
    if (!parsed.success) throw new Error(`${dir}: model metadata lacks the frame shapes (${parsed.error.issues.map((i) => i.path.join('.')).join(', ')})`);
    const model = multimodalScoringModel(await loadMultimodalModel(dir));
    const config = model.multimodal.vae.config;
    const [steps] = multimodalInputShape(config, 'sensor');
    const [frames, mels] = multimodalInputShape(config, 'audio');
    const [height, width, channels] = multimodalInputShape(config, 'image');
    const { features, data } = parsed.data;
    const shapes: MultimodalFrameShapes = {
      sensor: { channels: features.sensor.channels, steps: steps! },
      audio: { sampleRate: features.audio.sampleRate, frames: frames!, mels: mels! },
      image: { height: height!, width: width!, channels: channels!, overdueAfterMs: features.image.overdueAfterMs },
    };
    const { scores } = JSON.parse(await readFile(join(dir, 'calibration-scores.json'), 'utf8')) as { scores: number[] };
    return {
      scorer: multimodalWindowScorer(model, shapes),
      shapes,
      modelVersion: model.version,
      windowMs: data.windowMs ?? DEFAULT_WINDOW_MS,
      calibrationScores: scores,
    };
  }
}
