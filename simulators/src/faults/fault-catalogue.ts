/**
 * What each fault type does to a synthetic device, per modality — the single source for both the generators
 * (which apply the effects) and the ground-truth labels (which name the modalities and channels affected).
 *
 * Physics, roughly: a worn bearing vibrates more, runs hotter, rings at its defect frequency and its harmonics and
 * adds broadband noise, and shows as a growing hot spot on the housing; an overheating motor draws more current and
 * warms the whole body; a cavitating pump loses discharge pressure and flow and crackles (broadband bursts);
 * a stuck sensor repeats its last value.
 *
 * @example
 *   FAULT_EFFECTS.bearing_wear.sensor; // [{ channel: 'vibration_rms', ... }, { channel: 'bearing_temp', ... }]
 */
import type { Modality } from '../contracts';
import type { FaultType } from '../scenario/scenario.types';

export type ChannelEffect =
  /** Adds `perSeverity × severity` (channel units) to the value. */
  | { channel: string; kind: 'offset'; perSeverity: number }
  /** Adds zero-mean noise with standard deviation `perSeverity × severity`. */
  | { channel: string; kind: 'noise'; perSeverity: number }
  /** Freezes the channel at its value when the fault began. */
  | { channel: string; kind: 'stuck' };

export interface AudioEffect {
  /** Amplitude (full scale = 1) of the bearing defect tone and its harmonics at severity 1. */
  defectHarmonics: number;
  /** Standard deviation of added white noise at severity 1. */
  broadband: number;
  /** Share of time the broadband noise is on (1 = continuous; cavitation comes in bursts). */
  burstDuty: number;
}

export interface ImageEffect {
  /** Peak temperature rise (°C) of a hot spot over the bearing at severity 1; its radius also grows with severity. */
  hotSpotC: number;
  /** Rise of the whole machine body (°C) at severity 1. */
  bodyC: number;
}

export interface FaultEffects {
  sensor: ChannelEffect[];
  audio: AudioEffect | undefined;
  image: ImageEffect | undefined;
}

export const FAULT_EFFECTS: Readonly<Record<FaultType, FaultEffects>> = {
  bearing_wear: {
    sensor: [
      { channel: 'vibration_rms', kind: 'offset', perSeverity: 6 },
      { channel: 'vibration_rms', kind: 'noise', perSeverity: 1.5 },
      { channel: 'bearing_temp', kind: 'offset', perSeverity: 25 },
    ],
    audio: { defectHarmonics: 0.08, broadband: 0.05, burstDuty: 1 },
    image: { hotSpotC: 45, bodyC: 0 },
  },
  overheating: {
    sensor: [
      { channel: 'motor_temp', kind: 'offset', perSeverity: 35 },
      { channel: 'motor_current', kind: 'offset', perSeverity: 6 },
    ],
    audio: undefined,
    image: { hotSpotC: 0, bodyC: 25 },
  },
  cavitation: {
    sensor: [
      { channel: 'pressure', kind: 'offset', perSeverity: -1.5 },
      { channel: 'pressure', kind: 'noise', perSeverity: 0.4 },
      { channel: 'flow', kind: 'offset', perSeverity: -12 },
    ],
    audio: { defectHarmonics: 0, broadband: 0.12, burstDuty: 0.35 },
    image: undefined,
  },
  sensor_stuck: {
    sensor: [{ channel: 'pressure', kind: 'stuck' }],
    audio: undefined,
    image: undefined,
  },
};

/** The sensor effects of a fault, with the scenario's channel override applied (same kind, other channels). */
export function sensorEffectsOf(type: FaultType, channelOverride: readonly string[] | undefined): ChannelEffect[] {
  const effects = FAULT_EFFECTS[type].sensor;
  if (!channelOverride || channelOverride.length === 0) return effects;
  const template = effects[0];
  if (!template) return [];
  return channelOverride.map((channel) => ({ ...template, channel }));
}

/** Distinct channels a fault touches on a synthetic sensor. */
export function affectedChannels(type: FaultType, channelOverride: readonly string[] | undefined): string[] {
  return [...new Set(sensorEffectsOf(type, channelOverride).map((e) => e.channel))];
}

/** Modalities a fault touches on a fully synthetic device. */
export function affectedModalities(type: FaultType): Modality[] {
  const effects = FAULT_EFFECTS[type];
  const modalities: Modality[] = [];
  if (effects.sensor.length > 0) modalities.push('SENSOR');
  if (effects.audio) modalities.push('AUDIO');
  if (effects.image) modalities.push('IMAGE');
  return modalities;
}
