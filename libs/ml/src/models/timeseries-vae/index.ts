export * from './types';
export * from './constants';
export * from './timeseries-vae-config';
export { cnnEncoder, transformerEncoder, encoder, decoder } from './encoders';
export { MultiHeadSelfAttention, type MultiHeadSelfAttentionArgs } from './multi-head-self-attention.layer';
export { vaeLoss, type VaeLossParts } from './vae-loss';
export { TimeSeriesVae } from './timeseries-vae';
import './multi-head-self-attention.onnx';
