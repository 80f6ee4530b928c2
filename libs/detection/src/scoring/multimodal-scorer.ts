/**
 * The multimodal VAE as a scorer: one `FUSED` score per window from whatever of sensor, sound and image the
 * window carries (a sparse camera's latest frame counts while it is not overdue: `AlignedWindow.carried`),
 * with each modality's share of the score for the root cause. Frames are built exactly as the training data
 * was (libs/ml/eval/multimodal-data.ts): the sensor window interpolated onto the model's steps, the window's
 * audio samples as log-mel frames, the latest thermal frame block-averaged to the model's size.
 *
 * @example
 *   const scorer = multimodalWindowScorer(multimodalScoringModel(await loadMultimodalModel(dir)), shapes);
 */
import type { AudioChunk, ImageFrame, RootCauseSummary, StreamModality } from '@vigil/contracts';
import { decodePcm } from '@vigil/features';
import { audioLogMelFrames, downsampleImage, type ScoringModel } from '@vigil/ml';
import { describeChannels, describeModalityShares } from '../root-cause/root-cause-summary';
import { explainSensorWindow } from '../root-cause/window-explanation';
import type { AlignedWindow, TimedEvent } from '../windows/types';
import { sensorFrame } from '../windows/sensor-frame';
import type { FlaggedFrame, FrameInputs, ModalityScorer } from './modality-scorer';

/** What the fused model was trained on, from its manifest's metadata. */
export interface MultimodalFrameShapes {
  sensor: { channels: readonly string[]; steps: number };
  audio: { sampleRate: number; frames: number; mels: number };
  image: { height: number; width: number; channels: number; overdueAfterMs: number };
}

/** Share of the window's audio samples the chunks must cover for the window to count as having sound. */
const MIN_AUDIO_COVERAGE = 0.9;

const MODALITY_OF_INPUT = { sensor: 'SENSOR', audio: 'AUDIO', image: 'IMAGE' } as const satisfies Record<string, StreamModality>;

export function multimodalWindowScorer(model: ScoringModel, shapes: MultimodalFrameShapes): ModalityScorer {
  const names = new Set(model.inputs.map((i) => i.name));
  const sensorModel = { steps: shapes.sensor.steps, channels: shapes.sensor.channels.length, channelNames: shapes.sensor.channels };
  return {
    modality: 'FUSED',
    model,
    frame(w) {
      const inputs: FrameInputs = {};
      const present = (name: keyof typeof MODALITY_OF_INPUT, data: Float32Array | undefined) => {
        if (!names.has(name)) return;
        inputs[name] = data ?? new Float32Array(0);
        inputs[`${name}_present`] = Float32Array.of(data ? 1 : 0);
      };
      const readings = w.sensor as AlignedWindow<{ values: Record<string, number> }>['sensor'];
      present('sensor', readings.length > 0 ? sensorFrame(readings, w.startMs, w.endMs, shapes.sensor.channels, shapes.sensor.steps).data : undefined);
      const samples = audioSamples(w.audio as TimedEvent<AudioChunk>[], w.startMs, w.endMs, shapes.audio.sampleRate);
      present('audio', samples ? audioLogMelFrames(samples, shapes.audio.sampleRate, { frames: shapes.audio.frames, mels: shapes.audio.mels }) : undefined);
      present('image', imageInput(w, shapes.image));
      const any = Object.keys(MODALITY_OF_INPUT).some((m) => inputs[`${m}_present`]?.[0] === 1);
      return any ? inputs : undefined;
    },
    explain(flagged: readonly FlaggedFrame[]): RootCauseSummary[] {
      return flagged.map((f) => {
        const shares = modalitySharesOf(f.shares ?? {});
        const modalityText = describeModalityShares(shares);
        const sensor =
          f.inputs.sensor_present?.[0] === 1 && f.reconstruction.sensor
            ? explainSensorWindow(sensorModel, f.inputs.sensor!, f.reconstruction.sensor)
            : undefined;
        const channelText = sensor ? describeChannels(sensor.topChannels, undefined, shapes.sensor.steps) : undefined;
        return {
          summary:
            [modalityText, channelText && `In the sensor window: ${channelText.charAt(0).toLowerCase()}${channelText.slice(1)}`].filter(Boolean).join(' ') ||
            'Fused score over its threshold.',
          topChannels: sensor?.topChannels ?? [],
          topTimeSteps: sensor?.topTimeSteps ?? [],
          topLatents: [],
          modalityShares: shares,
        };
      });
    },
  };
}

/** A fused model's shares by input name (`sensor`, `audio`, `image`) as shares by modality (`SENSOR`, …). */
export function modalitySharesOf(inputShares: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(inputShares).map(([input, share]) => [MODALITY_OF_INPUT[input as keyof typeof MODALITY_OF_INPUT] ?? input, share]));
}

/** The window's samples from the chunks that overlap it; undefined when under 90 % of it is covered. */
function audioSamples(chunks: readonly TimedEvent<AudioChunk>[], startMs: number, endMs: number, sampleRate: number): Float32Array | undefined {
  const length = Math.round(((endMs - startMs) / 1000) * sampleRate);
  const out = new Float32Array(length);
  let covered = 0;
  for (const { value: chunk } of chunks) {
    if (chunk.sampleRate !== sampleRate || chunk.channels !== 1) continue; // another microphone set-up than trained on
    const samples = decodePcm(chunk.pcm, chunk.encoding);
    const offset = Math.round(((chunk.eventTimeMs - startMs) / 1000) * sampleRate);
    if (offset >= length || offset + samples.length <= 0) continue;
    for (let i = Math.max(0, -offset); i < samples.length && offset + i < length; i++) {
      out[offset + i] = samples[i]!;
      covered++;
    }
  }
  return covered >= MIN_AUDIO_COVERAGE * length ? out : undefined;
}

/** The latest raw frame in the window, or carried into it, unless it is overdue. */
function imageInput(w: AlignedWindow, shape: MultimodalFrameShapes['image']): Float32Array | undefined {
  const own = (w.image as TimedEvent<ImageFrame>[]).at(-1);
  const carried = w.carried.IMAGE as { event: TimedEvent<ImageFrame>; ageMs: number } | undefined;
  const latest = own ?? carried?.event;
  if (!latest || w.endMs - latest.eventTimeMs > shape.overdueAfterMs) return undefined;
  const frame = latest.value;
  if (frame.encoding !== 'RAW_U8' || frame.channels !== shape.channels) return undefined;
  if (frame.width % shape.width !== 0 || frame.height % shape.height !== 0) return undefined;
  return downsampleImage(frame.data, frame.width, frame.height, frame.channels, shape.height, shape.width);
}
