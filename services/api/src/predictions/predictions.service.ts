/**
 * Synchronous predictions with the stream's own pieces: the registry's sensor model (concurrent requests share
 * one forward pass through libs/detection's MicroBatcher), the SPOT threshold calibrated on the model's held-out
 * scores (read with `peek`: a posted sample never moves a threshold), and the detector's window explanation.
 */
import { BadRequestException, Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { DeviceThresholds, explainSensorWindow, MicroBatcher, modalitySharesOf, stackInputs } from '@vigil/detection';
import { concatWindows } from '@vigil/ml';
import { decodeForModel } from '@vigil/vision';
import { API_CONFIG, type ApiConfig } from '../config/api.config';
import { AudioClipError, decodeAudioClip, scoreClip } from './audio-clip';
import type { AudioModelRepository } from './audio-model.repository';
import { decodeFrame, ImageFrameError } from './image-frame';
import { explainImage } from './image-scoring';
import type { MultimodalModelRepository } from './multimodal-model.repository';
import { minimumWindowSamples, type MultimodalParts, multimodalWindow } from './multimodal-window';
import type {
  AudioPrediction,
  AudioPredictionRequest,
  ImagePredictionRequest,
  MultimodalPrediction,
  MultimodalPredictionRequest,
  Prediction,
  TimeseriesPredictionRequest,
} from './predictions.schemas';
import type { LoadedSensorModel } from './sensor-model.repository';
import type { VisionModelRepository } from './vision-model.repository';

export const SENSOR_MODEL = Symbol('SENSOR_MODEL');
export const VISION_MODEL = Symbol('VISION_MODEL');
export const AUDIO_MODEL = Symbol('AUDIO_MODEL');
export const MULTIMODAL_MODEL = Symbol('MULTIMODAL_MODEL');

/** The fused model's inputs and the modalities they are. */
const PRESENCE = [
  ['sensor', 'SENSOR'],
  ['audio', 'AUDIO'],
  ['image', 'IMAGE'],
] as const;

/** A 400 naming one field. */
function invalid(field: string, reason: string): BadRequestException {
  return new BadRequestException({ error: 'validation', issues: [{ field, reason }] });
}

function unavailable(what: string, name: string): ServiceUnavailableException {
  return new ServiceUnavailableException({ error: 'unavailable', message: `no ${what} model "${name}" in the registry` });
}

interface Scored {
  score: number;
  reconstruction: Float32Array<ArrayBufferLike>;
}

@Injectable()
export class PredictionsService {
  private readonly thresholds: DeviceThresholds;
  private readonly batcher: MicroBatcher<Float32Array, Scored>;
  /** The fused model's threshold, fitted on its calibration scores once the model is loaded. */
  private fusedThresholds?: DeviceThresholds;

  constructor(
    @Inject(SENSOR_MODEL) private readonly loaded: LoadedSensorModel,
    @Inject(VISION_MODEL) private readonly vision: VisionModelRepository,
    @Inject(AUDIO_MODEL) private readonly audioModel: AudioModelRepository,
    @Inject(MULTIMODAL_MODEL) private readonly multimodalModel: MultimodalModelRepository,
    @Inject(API_CONFIG) private readonly cfg: ApiConfig,
  ) {
    this.thresholds = new DeviceThresholds({ SENSOR: loaded.calibrationScores }, { q: cfg.API_THRESHOLD_RISK });
    const { model } = loaded;
    this.batcher = new MicroBatcher(
      async (frames) => {
        const size = model.steps * model.channels;
        const out = await loaded.assess(concatWindows(frames.map((data) => ({ data, batch: 1, steps: model.steps, channels: model.channels }))));
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

  /** A clip's log-mel context windows through the audio VAE in one pass; its worst window against the calibrated threshold. */
  async audio(req: AudioPredictionRequest): Promise<AudioPrediction> {
    if (!this.audioModel.available) throw unavailable('audio', this.audioModel.modelName);
    const { model, modelVersion, threshold, features } = await this.audioModel.model();
    try {
      const { samples, sampleRate } = decodeAudioClip(req.audio);
      const verdict = scoreClip(model, features, samples, sampleRate);
      if (!Number.isFinite(verdict.score)) throw invalid('audio.data', 'the clip’s features leave the model’s numeric range');
      return { ...verdict, modelVersion, modality: 'AUDIO', threshold, isAnomaly: verdict.score > threshold };
    } catch (err) {
      if (err instanceof AudioClipError) throw invalid(`audio.${err.field}`, err.message);
      throw err;
    }
  }

  /** Whatever of sensor, sound and image the window carries, through the fused model's own frame builder and threshold. */
  async multimodal(req: MultimodalPredictionRequest): Promise<MultimodalPrediction> {
    if (!this.multimodalModel.available) throw unavailable('multimodal', this.multimodalModel.modelName);
    const loaded = await this.multimodalModel.model();
    const { scorer, shapes, windowMs, modelVersion } = loaded;
    const parts = await this.multimodalParts(req, shapes, windowMs);
    const inputs = scorer.frame(multimodalWindow(parts, shapes, windowMs));
    if (!inputs) throw invalid('(body)', 'nothing in the window the fused model can use');
    const { scores, reconstruction, latent, shares } = scorer.model.assess(stackInputs(scorer.model, [inputs]));
    const score = scores[0]!;
    if (!Number.isFinite(score)) throw invalid('(body)', 'the window’s values leave the model’s numeric range');
    this.fusedThresholds ??= new DeviceThresholds({ FUSED: loaded.calibrationScores }, { q: this.cfg.API_THRESHOLD_RISK });
    const { threshold, isAnomaly } = this.fusedThresholds.peek('prediction', 'FUSED', score);
    const [rootCause] = scorer.explain([{ inputs, reconstruction, mean: latent.mean, logVar: latent.logVar, shares: shares?.[0] }], 0);
    const present = PRESENCE.filter(([input]) => inputs[`${input}_present`]?.[0] === 1).map(([, modality]) => modality);
    return {
      modelVersion,
      modality: 'FUSED',
      score,
      threshold,
      isAnomaly,
      rootCause: rootCause!,
      presentModalities: present,
      modalityShares: modalitySharesOf(shares?.[0] ?? {}),
    };
  }

  private async multimodalParts(
    req: MultimodalPredictionRequest,
    shapes: { sensor: { channels: readonly string[] }; image: { height: number; width: number; channels: number } },
    windowMs: number,
  ): Promise<MultimodalParts> {
    const parts: MultimodalParts = {};
    if (req.sensor) {
      const channels = shapes.sensor.channels.length;
      if (req.sensor.some((row) => row.length !== channels))
        throw invalid('sensor', `each row must have ${channels} values (${shapes.sensor.channels.join(', ')})`);
      parts.sensor = req.sensor;
    }
    if (req.audio) {
      try {
        parts.audio = decodeAudioClip(req.audio);
      } catch (err) {
        if (err instanceof AudioClipError) throw invalid(`audio.${err.field}`, err.message);
        throw err;
      }
      const needed = minimumWindowSamples(windowMs, parts.audio.sampleRate);
      if (parts.audio.samples.length < needed) throw invalid('audio.data', `at least ${needed} samples (90 % of the ${windowMs} ms window) are needed`);
    }
    if (req.image) {
      try {
        parts.image = await decodeFrame(Buffer.from(req.image, 'base64'), shapes.image);
      } catch (err) {
        if (err instanceof ImageFrameError) throw invalid('image', err.message);
        throw err;
      }
    }
    return parts;
  }
}
