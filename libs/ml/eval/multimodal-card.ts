/** The model card of the committed multimodal VAE (Markdown), from its training run's figures. */
import type { MultimodalWindowModel } from '../src';

export interface MultimodalCardInput {
  model: MultimodalWindowModel;
  data: Record<string, unknown>;
  /** Where the held-out normal scores in calibration-scores.json come from. */
  calibration: string;
  epochs: number;
  bestEpoch: number;
  trainSeconds: number;
  command: string;
  ablation: string;
  sensorHealth: string;
}

export function renderMultimodalCard(input: MultimodalCardInput): string {
  const { config } = input.model.vae;
  return `# ${input.model.version} — multimodal VAE for the synthetic pump fleet

Scores the detector's aligned 3 s windows (1 s hop) on sensor, sound and thermal image together, with any subset
of the three present. Per-modality encoders (Conv1D over the sensor window and the log-mel frames, Conv2D over
the thermal frame) emit token sequences; a masked **cross-modal attention** block lets each modality's tokens
attend to the others' before its **Gaussian expert**; experts are fused by **Product-of-Experts** with the prior
expert (\`fusion: '${config.fusion}'\`; the Mixture-of-Experts variant is in the ablation below); per-modality
decoders reconstruct every window. β-VAE loss (β = ${config.beta}) with MVAE's sub-sampled ELBO (joint + each
modality + a random pair per batch), so single-modality and pair posteriors are trained too. ${input.model.vae.countParams()} parameters.

**Score**: each present modality's per-element squared reconstruction error (from the fused posterior mean,
on standardised inputs) divided by its mean on the training windows, averaged over the present modalities:
≈ 1 on normal windows whatever subset a window carries; each modality's share of the sum names the root cause.

## Inputs (\`MultimodalInputs\`, one \`Float32Array\` per modality, any subset)

| modality | shape | from |
|---|---|---|
| sensor | [${config.sensor.steps}][${config.sensor.channels}] raw values of rpm, motor_current, vibration_rms, bearing_temp, motor_temp, pressure, flow | \`sensorFrame(window.sensor, start, end, channels, ${config.sensor.steps})\` |
| audio | [${config.audio.steps}][${config.audio.channels}] log-mel dB of the window's 16 kHz mono samples | \`audioLogMelFrames(samples, 16000, { frames: ${config.audio.steps}, mels: ${config.audio.channels} })\` |
| image | [${config.image.height}][${config.image.width}][${config.image.channels}] thermal pixels (RAW_U8 64×64 block-averaged) | \`downsampleImage(frame.data, 64, 64, 1, ${config.image.height}, ${config.image.width})\`; the latest frame while not overdue (period 5 s + 1 s) |

## Training

- Data: ${Object.entries(input.data)
    .map(([k, v]) => `${k}: ${String(v)}`)
    .join('; ')}. Windows flagged by sensor health are
  kept out of the training data.
- ${input.epochs} epochs max (best ${input.bestEpoch}), Adam 2e-3, batch 64, early stopping on held-out windows; ${Math.round(input.trainSeconds)} s on two shared cores (tfjs-node), data generation included.
- Thresholds: ${input.calibration} (\`calibration-scores.json\`; the detector's per-device SPOT thresholds start from them).
- Reproduce: \`${input.command}\`

## Held-out test fleet (seed 23; faults 60–180 s, 10 s ramp; demo severities and weaker ones; one camera outage)

ROC-AUC of the window score, normal windows vs the windows overlapping each fault (ramp included). "X alone" /
"X missing" score the same model with only X / without X in every window. The last row counts a window flagged
by sensor health as an alarm (how the detector reports a stuck sensor: as a *sensor fault*).

${input.ablation}

Full ablation (PoE vs MoE, with and without attention): \`nice npx tsx libs/ml/eval/multimodal.eval.ts\`.

## Sensor health (\`assessSensorHealth\`, \`PUMP_SENSOR_HEALTH_RULES\`)

${input.sensorHealth}

## Limits

- Trained on the simulator's synthetic pumps only; the replay scenario's real C-MAPSS + MIMII + magnetic-tile
  devices have other channels and shapes and need their own model.
- A stuck sensor reconstructs *well* (a frozen value is a plausible one); it is the sensor-health path's job.
`;
}
