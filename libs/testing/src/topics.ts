import { TOPICS, withSuffix } from '@vigil/contracts';

/**
 * The pipeline's topics under a test's suffix (the detector's DETECTOR_TOPIC_SUFFIX), by the short names the
 * simulators' KafkaSink takes (sensor, audio, image, label) and the tests read back (results, shap, deadLetters).
 */
export function suffixedTopics(suffix: string) {
  return {
    sensor: withSuffix(TOPICS.sensorReadings, suffix),
    audio: withSuffix(TOPICS.audioChunks, suffix),
    image: withSuffix(TOPICS.imageFrames, suffix),
    label: withSuffix(TOPICS.groundTruth, suffix),
    results: withSuffix(TOPICS.anomalyResults, suffix),
    shap: withSuffix(TOPICS.shapExplanations, suffix),
    deadLetters: withSuffix(TOPICS.deadLetters, suffix),
  };
}
