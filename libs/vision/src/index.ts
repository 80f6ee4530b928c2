/**
 * Image anomaly detection for Vigil: EfficientNet-Lite2 features (ONNX), a multi-size per-position Gaussian, a
 * feature β-VAE, anomaly maps, MVTec-layout evaluation and seeded augmentation.
 *
 * @example
 *   import { trainVisionModel, loadVisionModel, evaluateOnCategory } from '@vigil/vision';
 */
export * from './augmentation/image-augmentation';
export * from './backbone/backbone-files';
export * from './backbone/efficientnet-lite.constants';
export * from './backbone/feature-backbone';
export * from './evaluation/binned-roc-auc';
export * from './evaluation/mvtec-evaluation';
export * from './evaluation/threshold';
export * from './features/backbone-input';
export * from './features/resize-image';
export * from './io/image-files';
export * from './maps/anomaly-map';
export * from './maps/heat-map-png';
export * from './models/feature-vae/feature-vae';
export * from './models/gaussian/gaussian-model';
export * from './models/load-vision-model';
export * from './models/vision-model';
export * from './training/good-split';
export * from './training/train-vision-model';
export * from './live/conv-vae-onnx';
export * from './live/vision-scoring-model';
export * from './live/image-frame-input';
