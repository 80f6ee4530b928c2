/**
 * One window's raw data for the drill-down: its time range from the stored result, its events read back from
 * Kafka, and the models run on them as the stream runs them — the sensor frame through `sensorFrame` and the
 * registry's sensor model (channels against their reconstruction), the audio through the fused model's log-mel
 * features, the camera frame through the image model (its anomaly map).
 */
import { Inject, Injectable, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { sensorFrame } from '@vigil/detection';
import { audioLogMelFrames } from '@vigil/ml';
import type { AudioChunk, ImageFrame, SensorReading } from '@vigil/contracts';
import type { AnomaliesRepository } from '../anomalies/anomalies.repository';
import { ANOMALIES_REPOSITORY } from '../api.tokens';
import { SENSOR_MODEL, VISION_MODEL } from '../predictions/predictions.service';
import type { LoadedSensorModel } from '../predictions/sensor-model.repository';
import type { VisionModelRepository } from '../predictions/vision-model.repository';
import type { RawWindowRepository } from './raw-window.repository';
import { channelSeries, floorNonFinite, frameInput, rows, stepTimes, windowFrame, windowSamples } from './window-data';
import { IMAGE_OVERDUE_MS, RAW_WINDOWS, SPECTROGRAM } from './windows.constants';
import type { WindowData } from './windows.schemas';

@Injectable()
export class WindowsService {
  constructor(
    @Inject(ANOMALIES_REPOSITORY) private readonly results: Pick<AnomaliesRepository, 'window'>,
    @Inject(RAW_WINDOWS) private readonly raw: Pick<RawWindowRepository, 'read'> | null,
    @Inject(SENSOR_MODEL) private readonly sensorModel: LoadedSensorModel,
    @Inject(VISION_MODEL) private readonly vision: VisionModelRepository,
  ) {}

  async data(deviceId: string, windowStartMs: number): Promise<WindowData> {
    const row = await this.results.window(deviceId, windowStartMs);
    if (!row) throw new NotFoundException({ error: 'not_found', message: `no result for ${deviceId} at window ${windowStartMs}` });
    if (!this.raw) throw new ServiceUnavailableException({ error: 'unavailable', message: 'this API reads no Kafka topics: raw windows are unavailable' });
    const windowEndMs = Number(row.window_end_ms);
    const events = await this.raw.read(deviceId, { fromMs: windowStartMs - IMAGE_OVERDUE_MS, toMs: windowEndMs });
    return {
      deviceId,
      windowStartMs,
      windowEndMs,
      sources: events.sources,
      sensor: this.sensor(
        events.sensor.filter((r) => r.eventTimeMs >= windowStartMs),
        windowStartMs,
        windowEndMs,
      ),
      audio: this.audio(events.audio, windowStartMs, windowEndMs),
      image: await this.image(events.image, windowStartMs, windowEndMs),
    };
  }

  private sensor(readings: SensorReading[], startMs: number, endMs: number): WindowData['sensor'] {
    if (readings.length === 0) return null;
    const { model, modelVersion } = this.sensorModel;
    const timed = readings.map((r) => ({ eventTimeMs: r.eventTimeMs, value: r, source: { topic: '', partition: 0, offset: '0' } }));
    const frame = sensorFrame(timed, startMs, endMs, model.channelNames, model.steps);
    const out = model.assess({ data: frame.data, batch: 1, steps: model.steps, channels: model.channels });
    return {
      modelVersion,
      score: out.scores[0]!,
      readings: readings.length,
      missingChannels: frame.missingChannels,
      timesMs: stepTimes(startMs, endMs, model.steps),
      channels: channelSeries(frame.data, out.reconstruction.data, model.channelNames, model.steps),
    };
  }

  private audio(chunks: AudioChunk[], startMs: number, endMs: number): WindowData['audio'] {
    const sampleRate = chunks[0]?.sampleRate;
    if (sampleRate === undefined) return null;
    const { samples, coverage } = windowSamples(chunks, startMs, endMs, sampleRate);
    if (coverage === 0) return null;
    const db = floorNonFinite(audioLogMelFrames(samples, sampleRate, SPECTROGRAM));
    return { sampleRate, coverage, frameMs: (endMs - startMs) / SPECTROGRAM.frames, mels: SPECTROGRAM.mels, db: rows(db, SPECTROGRAM.mels, 2) };
  }

  private async image(frames: ImageFrame[], startMs: number, endMs: number): Promise<WindowData['image']> {
    const frame = windowFrame(frames, startMs, endMs, IMAGE_OVERDUE_MS);
    if (!frame || !this.vision.available) return null;
    const model = await this.vision.model();
    const { inputSize, channels, mapSize, threshold, version } = model.manifest;
    const data = frameInput(frame, inputSize[0], inputSize[1], channels);
    if (!data) return null;
    const [scored] = await model.score([{ data, height: inputSize[0], width: inputSize[1], channels }]);
    return {
      modelVersion: `${this.vision.modelName}@${version}`,
      frameTimeMs: frame.eventTimeMs,
      width: inputSize[1],
      height: inputSize[0],
      pixels: rows(channels === 1 ? data : grey(data, channels), inputSize[1], 3),
      map: rows(scored!.map, mapSize[1], 5),
      score: scored!.score,
      threshold,
      isAnomaly: scored!.score > threshold,
    };
  }
}

/** Channel-interleaved pixels as their mean (what a grey picture of a colour frame shows). */
function grey(data: Float32Array, channels: number): Float32Array {
  const out = new Float32Array(data.length / channels);
  for (let p = 0; p < out.length; p++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += data[p * channels + c]!;
    out[p] = sum / channels;
  }
  return out;
}
