/**
 * A vision model as the `IMAGE` scorer: each window is scored from its camera frame — the latest frame in it, or
 * the one carried into it while not overdue (`AlignedWindow.carried`) — and a flagged window's root cause names
 * where in the frame the anomaly map concentrates (`topImageRegions`: boxes in frame pixels and their shares).
 *
 * A frame spans several windows (an image every 5 s, 3 s windows, 1 s hop: in three, carried into two more), so
 * the scorer names the observation each window rests on (`observationKey`: the frame's event time) and the
 * detector scores a frame once, when it first appears, and gives its later windows the same score, judged
 * against the threshold without learning from it again (see ObservationMemo). Reading the frame's pixels into the
 * model's input (decode, resize, channels) is the model's business: `input`, from @vigil/vision.
 *
 * @example
 *   const model = visionScoringModel(await loadLiveVisionModel(dir, { runtime: 'onnxruntime', cacheDir }));
 *   registry.register(imageWindowScorer(model, { mapSize: model.manifest.mapSize, input: (f) => imageFrameInput(f, model.manifest) }));
 */
import type { ImageFrame, RootCauseSummary } from '@vigil/contracts';
import type { ScoringModel } from '@vigil/ml';
import type { AlignedWindow, TimedEvent } from '../windows/types';
import { imageRegionName, topImageRegions } from './image-region';
import type { FrameInputs, ModalityScorer } from './modality-scorer';

/** The model's input name and the assessment's anomaly-map output (libs/vision's vision-scoring-model.ts). */
export const IMAGE_SCORER_INPUT = 'image';
export const IMAGE_SCORER_MAP = 'image_map';
/** Kept beside the model input in a window's frame: the source frame's `[height, width]`, for boxes in its pixels. */
const FRAME_SIZE = 'image_frame_size';

export interface ImageScorerOptions {
  /** The model's anomaly map size `[height, width]` (its manifest's `mapSize`). */
  mapSize: readonly [number, number];
  /** The frame as the model's `image` input (values 0..1 at its input size), or undefined when the model cannot read it. */
  input(frame: ImageFrame): Float32Array | undefined;
  /** A PNG/JPEG frame decoded into a frame `input` reads (see ModalityScorer.decodeFrame); absent: such frames go unscored. */
  decode?(frame: ImageFrame): Promise<ImageFrame>;
}

const ENCODED = new Set(['PNG', 'JPEG']);

/** Boxes named in a flagged window's root cause. */
const TOP_REGIONS = 3;

export function imageWindowScorer(model: ScoringModel, options: ImageScorerOptions): ModalityScorer {
  if (!model.inputs.some((i) => i.name === IMAGE_SCORER_INPUT))
    throw new Error(`${model.version}: an image scorer needs a model with an "${IMAGE_SCORER_INPUT}" input`);
  return {
    modality: 'IMAGE',
    model,
    observationKey: (w) => windowFrame(w)?.eventTimeMs,
    ...(options.decode ? { decodeFrame: (f: ImageFrame) => (ENCODED.has(f.encoding) ? options.decode!(f) : undefined) } : {}),
    frame(w) {
      const frame = windowFrame(w)?.value;
      const input = frame && options.input(frame);
      if (!input) return undefined;
      return { [IMAGE_SCORER_INPUT]: input, [FRAME_SIZE]: Float32Array.of(frame.height, frame.width) };
    },
    explain: (flagged) => flagged.map((f) => explainImage(f.inputs, f.reconstruction[IMAGE_SCORER_MAP], options.mapSize)),
  };
}

/** The frame a window is scored from: its own latest frame, else the one carried into it (the assembler carries it only while not overdue). */
export function windowFrame(w: AlignedWindow): TimedEvent<ImageFrame> | undefined {
  return (w.image as TimedEvent<ImageFrame>[]).at(-1) ?? (w.carried.IMAGE?.event as TimedEvent<ImageFrame> | undefined);
}

function explainImage(inputs: FrameInputs, map: Float32Array | undefined, mapSize: readonly [number, number]): RootCauseSummary {
  const size = inputs[FRAME_SIZE];
  const frameSize: [number, number] = size ? [size[0]!, size[1]!] : [mapSize[0], mapSize[1]];
  const regions = map ? topImageRegions(map, mapSize, frameSize, TOP_REGIONS) : [];
  const top = regions[0];
  return {
    summary: top
      ? `Image anomaly concentrated in box x ${top.x0}–${top.x1}, y ${top.y0}–${top.y1} of the ${frameSize[1]}×${frameSize[0]} frame (${Math.round(100 * top.share)} % of the anomaly map; peak at x ${top.peak.x}, y ${top.peak.y}).`
      : 'Image score over its threshold.',
    topChannels: regions.map((r) => ({ name: imageRegionName(r), share: r.share })),
    topTimeSteps: [],
    topLatents: [],
    modalityShares: { IMAGE: 1 },
  };
}
