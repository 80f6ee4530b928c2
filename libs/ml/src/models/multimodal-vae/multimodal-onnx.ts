/**
 * ONNX export of the multimodal VAE's parts: per modality its tokenizer, its expert head (with the cross-modal
 * attention, converted by `cross-modal-attention.onnx.ts`) and its decoder. Fusion (PoE/MoE) is a few
 * element-wise ops on the experts' outputs and stays in the caller (see `gaussian-experts.ts`).
 *
 * @example
 *   for (const [name, part] of Object.entries(exportMultimodalParts(vae))) writeFileSync(`${name}.onnx`, part.model);
 */
import { exportToOnnx, type OnnxExport } from '../../onnx';
import './cross-modal-attention.onnx';
import type { MultimodalVae } from './multimodal-vae';

/** Keyed by part name (`sensor_tokenizer`, `sensor_expert`, `sensor_decoder`, …), in `vae.parts` order. */
export function exportMultimodalParts(vae: MultimodalVae): Record<string, OnnxExport> {
  return Object.fromEntries(vae.parts.map((part) => [part.name, exportToOnnx(part)]));
}
