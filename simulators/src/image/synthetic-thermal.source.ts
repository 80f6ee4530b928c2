/**
 * Synthetic thermal camera looking at a pump: a warm machine body on an ambient background, a hotter motor end
 * and a warm bearing housing, all following the device's load with thermal lag. Faults heat the bearing (a hot
 * spot whose peak and radius grow with severity) or the whole body. Frames are RAW_U8, one channel, with a fixed
 * radiometric scale (`TEMPERATURE_SCALE`) so consumers can turn pixels back into °C.
 *
 * @example
 *   const camera = new SyntheticThermalSource(seed, profile, faults, { periodMs: 5000, width: 64, height: 64 });
 *   const frame = camera.sample(0, startMs); // frame.data.length === 64 * 64
 *   pixelToCelsius(frame.data[0]);
 */
import type { ImageFrame } from '../contracts';
import { FAULT_EFFECTS } from '../faults/fault-catalogue';
import type { DeviceFaults, Fault } from '../faults/fault';
import { SeededRandom } from '../random/seeded-random';
import type { FaultExpression, ModalitySource } from '../device/modality-source';
import type { OperatingProfile } from '../device/operating-profile';

/** Pixel value p ↔ temperature: °C = minC + p × stepC (15 … 117 °C in 0.4 °C steps). */
export const TEMPERATURE_SCALE = { minC: 15, stepC: 0.4 } as const;
const PIXEL_NOISE_C = 0.3;

export function celsiusToPixel(celsius: number): number {
  return Math.max(0, Math.min(255, Math.round((celsius - TEMPERATURE_SCALE.minC) / TEMPERATURE_SCALE.stepC)));
}

export function pixelToCelsius(pixel: number): number {
  return TEMPERATURE_SCALE.minC + pixel * TEMPERATURE_SCALE.stepC;
}

/** Per-pixel weights that do not change between frames: where the body, motor and bearing are. */
interface SceneMasks {
  body: Float32Array;
  motor: Float32Array;
  /** Squared distance to the bearing centre, in pixels². */
  bearingDistance2: Float32Array;
}

export class SyntheticThermalSource implements ModalitySource<'image'> {
  readonly stream = 'image' as const;
  readonly captureMs = 0;
  readonly origin = 'synthetic';
  readonly periodMs: number;
  private readonly rng: SeededRandom;
  private readonly masks: SceneMasks;

  constructor(
    seed: number | string,
    private readonly profile: OperatingProfile,
    private readonly faults: DeviceFaults,
    private readonly config: { periodMs: number; width: number; height: number },
  ) {
    this.periodMs = config.periodMs;
    this.rng = SeededRandom.forKey(seed, profile.deviceId, 'image');
    this.masks = buildMasks(config.width, config.height, profile.character.bearingX, profile.character.bearingY);
  }

  expression(fault: Fault): FaultExpression | undefined {
    return FAULT_EFFECTS[fault.type].image ? { channels: [] } : undefined;
  }

  sample(seq: number, eventTimeMs: number): ImageFrame {
    const { width, height } = this.config;
    return { deviceId: this.profile.deviceId, eventTimeMs, seq, width, height, channels: 1, encoding: 'RAW_U8', data: Buffer.from(this.render(eventTimeMs)) };
  }

  /** Temperatures rendered to pixels. */
  render(eventTimeMs: number): Uint8Array {
    const ambient = this.profile.ambientAt(eventTimeMs);
    const thermal = this.profile.thermalLoadAt(eventTimeMs);
    let bodyRise = 8 + 22 * thermal;
    const motorRise = 10 + 30 * thermal;
    const bearingRise = 5 + 12 * thermal;
    let hotSpotC = 0;
    let hotSpotSeverity = 0;
    for (const { fault, severity } of this.faults.activeAt(eventTimeMs)) {
      const effect = FAULT_EFFECTS[fault.type].image;
      if (!effect) continue;
      bodyRise += effect.bodyC * severity;
      if (effect.hotSpotC * severity > hotSpotC) {
        hotSpotC = effect.hotSpotC * severity;
        hotSpotSeverity = severity;
      }
    }
    const base = 0.05 * Math.min(this.config.width, this.config.height);
    const bearingSigma2 = 2 * base * base;
    // The fault's hot spot spreads as it worsens: radius from 1× to 3× the housing's.
    const hotSpotSigma2 = 2 * (base * (1 + 2 * hotSpotSeverity)) ** 2;
    const pixels = new Uint8Array(this.config.width * this.config.height);
    const { body, motor, bearingDistance2 } = this.masks;
    for (let i = 0; i < pixels.length; i++) {
      const d2 = bearingDistance2[i]!;
      let celsius = ambient + body[i]! * bodyRise + motor[i]! * motorRise + bearingRise * Math.exp(-d2 / bearingSigma2);
      if (hotSpotC > 0) celsius += hotSpotC * Math.exp(-d2 / hotSpotSigma2);
      pixels[i] = celsiusToPixel(celsius + PIXEL_NOISE_C * this.rng.normal());
    }
    return pixels;
  }
}

function buildMasks(width: number, height: number, bearingX: number, bearingY: number): SceneMasks {
  const body = new Float32Array(width * height);
  const motor = new Float32Array(width * height);
  const bearingDistance2 = new Float32Array(width * height);
  const soft = (distanceInside: number) => 1 / (1 + Math.exp(-distanceInside / 1.2)); // edges blur over ~2 px
  const bx = bearingX * width;
  const by = bearingY * height;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      // Body: a rectangle over the middle 80 % × 50 %; motor: its left third.
      const inBody = Math.min(x - 0.1 * width, 0.9 * width - x, y - 0.25 * height, 0.75 * height - y);
      body[i] = soft(inBody);
      motor[i] = soft(Math.min(inBody, 0.35 * width - x));
      bearingDistance2[i] = (x - bx) ** 2 + (y - by) ** 2;
    }
  }
  return { body, motor, bearingDistance2 };
}
