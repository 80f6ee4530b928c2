import { TOPICS, withSuffix } from '@vigil/contracts';
import type { DetectorConfig } from './detector.config';

/** The catalogue topics the detector reads and writes, with the configured suffix (isolated test pipelines). */
export function detectorTopics(cfg: Pick<DetectorConfig, 'DETECTOR_TOPIC_SUFFIX'>) {
  const sfx = cfg.DETECTOR_TOPIC_SUFFIX;
  const t = <K extends keyof typeof TOPICS>(k: K): (typeof TOPICS)[K] => withSuffix(TOPICS[k] as never, sfx) as (typeof TOPICS)[K];
  return {
    sensor: t('sensorReadings'),
    audio: t('audioChunks'),
    image: t('imageFrames'),
    results: t('anomalyResults'),
    latents: t('latentVectors'),
    shap: t('shapExplanations'),
    deadLetters: t('deadLetters'),
    late: t('lateEvents'),
    checkpoints: t('detectorCheckpoints'),
  };
}

export type DetectorTopics = ReturnType<typeof detectorTopics>;
