/**
 * Synchronous predictions with the stream's own pieces: the registry's sensor model (concurrent requests share
 * one forward pass through libs/detection's MicroBatcher), the SPOT threshold calibrated on the model's held-out
 * scores (read with `peek`: a posted sample never moves a threshold), and the detector's window explanation.
 */
import { BadRequestException, Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { DeviceThresholds, explainSensorWindow, MicroBatcher } from '@vigil/detection';
import { concatWindows } from '@vigil/ml';
import { API_CONFIG, type ApiConfig } from '../config/api.config';
import type { LoadedSensorModel } from './sensor-model.repository';
import { explainImage } from './image-scoring';
import type { ImagePredictionRequest, Prediction, TimeseriesPredictionRequest } from './predictions.schemas';
import type { VisionModelRepository } from './vision-model.repository';
import { decodeForModel } from '@vigil/vision';

export const SENSOR_MODEL = Symbol('SENSOR_MODEL');
export const VISION_MODEL = Symbol('VISION_MODEL');

interface Scored {
  score: number;
  reconstruction: Float32Array<ArrayBufferLike>;
}

@Injectable()
export class PredictionsService {
  private readonly thresholds: DeviceThresholds;
  private readonly batcher: MicroBatcher<Float32Array, Scored>;

  constructor(
    @Inject(SENSOR_MODEL) private readonly loaded: LoadedSensorModel,
    @Inject(VISION_MODEL) private readonly vision: VisionModelRepository,
    @Inject(API_CONFIG) cfg: ApiConfig,
  ) {
    this.thresholds = new DeviceThresholds({ SENSOR: loaded.calibrationScores }, { q: cfg.API_THRESHOLD_RISK });
    const { model } = loaded;
    this.batcher = new MicroBatcher(
      (frames) => {
        const size = model.steps * model.channels;
        const out = model.assess(concatWindows(frames.map((data) => ({ data, batch: 1, steps: model.steps, channels: model.channels }))));
        return frames.map((_, i): Scored => ({ score: out.scores[i]!, reconstruction: out.reconstruction.data.slice(i * size, (i + 1) * size) }));
      },
      { maxBatch: 64, deadlineMs: 1 },
    );
  }

  async timeseries(req: TimeseriesPredictionRequest): Promise<Prediction> {
    const { model, modelVersion } = this.loaded;
    if (req.window.length !== model.steps || req.window.some((row) => row.length !== model.channels)) {
      throw new BadRequestException({
        error: 'validation',
        issues: [{ field: 'window', reason: `must be ${model.steps} steps × ${model.channels} channels (${model.channelNames.join(', ')})` }],
      });
    }
    const frame = Float32Array.from(req.window.flat());
    const [scored] = await this.batcher.submit([frame]);
    const { threshold, isAnomaly } = this.thresholds.peek('prediction', 'SENSOR', scored!.score);
    return {
      modelVersion,
      modality: 'SENSOR',
      score: scored!.score,
      threshold,
      isAnomaly,
      rootCause: explainSensorWindow(model, frame, scored!.reconstruction),
    };
  }

  /** One frame through the image model; its calibrated threshold; where the anomaly map peaks. */
  async image(req: ImagePredictionRequest): Promise<Prediction> {
    if (!this.vision.available)
      throw new ServiceUnavailableException({ error: 'unavailable', message: `no image model "${this.vision.modelName}" in the registry` });
    const model = await this.vision.model();
    let frame;
    try {
      frame = await decodeForModel(model, Buffer.from(req.image, 'base64'));
    } catch {
      throw new BadRequestException({ error: 'validation', issues: [{ field: 'image', reason: 'not a PNG or JPEG image this model can read' }] });
    }
    const [scored] = await model.score([frame]);
    const { threshold, mapSize, version } = model.manifest;
    return {
      modelVersion: `${this.vision.modelName}@${version}`,
      modality: 'IMAGE',
      score: scored!.score,
      threshold,
      isAnomaly: scored!.score > threshold,
      rootCause: explainImage(scored!.map, mapSize),
    };
  }
}
