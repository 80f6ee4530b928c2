/**
 * Loads an audio VAE folder (registry kind `audio-vae`, e.g. models/mimii-pump-audio-vae/v1) as an `AUDIO`
 * scorer: clips of the detector's window length, features from the manifest, the window model on the serving
 * runtime the sensor model uses (DETECTOR_INFERENCE_RUNTIME), thresholds from its calibration scores (which must
 * be window scores of that length: mimii-live.eval.ts writes them for 3 s windows). A folder with a
 * `latent-density.json` scores a window by its latent's distance to the nearest known machine's normal (the
 * calibration scores are then those distances), else by reconstruction error.
 */
import { audioWindowScorer } from '@vigil/detection';
import { audioClipScoringModel, loadLatentDensity, loadWindowModel, logMelFeaturesOf, type OnnxSessionHost, OnnxVaeWindowRuntime } from '@vigil/ml';
import type { LoadedScorer } from './model-holder';
import { requireCalibrationScores, type ServingRuntime } from './sensor-model.loader';

export async function loadAudioScorer(
  versionDir: string,
  windowMs: number,
  runtime: ServingRuntime = 'onnxruntime',
  host: OnnxSessionHost = 'in-thread',
): Promise<LoadedScorer> {
  const calibrationScores = await requireCalibrationScores(versionDir);
  const { model, manifest } = await loadWindowModel(versionDir);
  if (manifest.kind !== 'audio-vae') throw new Error(`${versionDir} is a ${manifest.kind}, not an audio-vae`);
  const features = logMelFeaturesOf(manifest);
  const onnx = runtime === 'onnxruntime' ? await OnnxVaeWindowRuntime.create(model, { host }) : undefined;
  const density = await loadLatentDensity(versionDir);
  const clip = audioClipScoringModel(model, features, Math.round((windowMs / 1000) * features.sampleRate), { runtime: onnx, density });
  return { scorer: audioWindowScorer(clip), source: versionDir, calibrationScores };
}
