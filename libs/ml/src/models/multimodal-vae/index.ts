export * from './types';
export { DEFAULT_MULTIMODAL_VAE_CONFIG } from './constants';
export { resolveMultimodalVaeConfig, inputSize as multimodalInputSize, inputShape as multimodalInputShape } from './multimodal-vae-config';
export { CrossModalAttention, type CrossModalAttentionArgs } from './cross-modal-attention.layer';
export { type GaussianExpert, klToStandardNormal, mixtureWeights, productOfExperts, reparameterise } from './gaussian-experts';
export { MultimodalVae, RECONSTRUCTION_ELEMENTS, type MultimodalErrors, type MultimodalLossParts, type MultimodalTensorBatch } from './multimodal-vae';
export {
  MultimodalInputError,
  MultimodalWindowModel,
  packBatch as packMultimodalBatch,
  disposeBatch as disposeMultimodalBatch,
  type MultimodalCalibration,
  type MultimodalInferenceRuntime,
  type MultimodalScalers,
} from './multimodal-window-model';
export {
  DEFAULT_MULTIMODAL_TRAINING,
  fitMultimodalVae,
  MultimodalTrainingDataError,
  type FittedMultimodalVae,
  type MultimodalEpochLog,
  type MultimodalTrainingOptions,
} from './multimodal-trainer';
export { loadMultimodalModel, saveMultimodalModel, MULTIMODAL_MODEL_FILE, MULTIMODAL_WEIGHTS_FILE, type MultimodalModelManifest } from './multimodal-model-files';
export { audioLogMelFrames, downsampleImage, LogMelFramer, type LogMelFrameOptions } from './multimodal-features';
export { exportMultimodalParts } from './multimodal-onnx';
export { multimodalScoringModel, presenceInput, type MultimodalModelAssessment, type MultimodalScoringModel } from './multimodal-scoring-model';
export { OnnxMultimodalRuntime, UnsupportedFusionError } from './multimodal-onnx-runtime';
