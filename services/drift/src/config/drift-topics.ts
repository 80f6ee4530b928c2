import { TOPICS, withSuffix } from '@vigil/contracts';
import type { DriftConfig } from './drift.config';

/** The catalogue topics the drift service reads and writes, with the configured suffix (isolated test pipelines). */
export function driftTopics(cfg: Pick<DriftConfig, 'DRIFT_TOPIC_SUFFIX'>) {
  const sfx = cfg.DRIFT_TOPIC_SUFFIX;
  const t = <K extends keyof typeof TOPICS>(k: K): (typeof TOPICS)[K] => withSuffix(TOPICS[k] as never, sfx) as (typeof TOPICS)[K];
  return {
    latents: t('latentVectors'),
    results: t('anomalyResults'),
    feedback: t('operatorFeedback'),
    driftEvents: t('driftEvents'),
    retrainRequests: t('retrainRequests'),
    deadLetters: t('deadLetters'),
  };
}

export type DriftTopics = ReturnType<typeof driftTopics>;
