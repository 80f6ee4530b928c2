/**
 * A synthetic machine's operating state as a pure function of event time: a seeded sequence of operating
 * regimes (idle, part load, full load) with smooth transitions, a daily ambient-temperature swing and a per-device
 * character (rated speed, ambient offset, where its bearing sits in the camera view). Sensor, audio and image
 * generators all read the same profile, so a load change shows in every modality at once — and because it is a
 * function of time, not of call order, separate simulator processes agree on it.
 *
 * @example
 *   const profile = OperatingProfile.create(42, 'dev-0001', startMs, 60_000);
 *   profile.loadAt(startMs + 5_000);   // 0..1
 *   profile.rpmAt(startMs + 5_000);    // ≈ 1000..1550
 */
import { SeededRandom } from '../random/seeded-random';

export const REGIMES = [
  { name: 'idle', load: 0.15 },
  { name: 'part_load', load: 0.55 },
  { name: 'full_load', load: 0.9 },
] as const;

/** Mean time in one regime; real plants change set-points every few minutes, shortened so a 1-minute run sees changes. */
const MEAN_DWELL_MS = 25_000;
/** Speed ramps between regimes take a few seconds. */
const TRANSITION_MS = 4_000;
/** Temperatures follow load with a lag (thermal mass): approximated by averaging load over this past window. */
const THERMAL_WINDOW_MS = 20_000;
const DAY_MS = 86_400_000;

export interface DeviceCharacter {
  ratedRpm: number;
  ambientOffsetC: number;
  /** Pump impeller blades: the blade-pass tone is `blades × shaft frequency`. */
  blades: number;
  /** Bearing position in the thermal image, as fractions of width and height. */
  bearingX: number;
  bearingY: number;
  /** Ball-pass frequency of the outer race, as a multiple of shaft speed (≈ 3–5 for common bearings). */
  defectOrder: number;
}

interface Segment {
  startMs: number;
  load: number;
}

export class OperatingProfile {
  private constructor(
    readonly deviceId: string,
    readonly character: DeviceCharacter,
    private readonly segments: Segment[],
  ) {}

  static create(seed: number | string, deviceId: string, startMs: number, durationMs: number): OperatingProfile {
    const traits = SeededRandom.forKey(seed, deviceId, 'character');
    const character: DeviceCharacter = {
      ratedRpm: traits.uniform(1450, 1550),
      ambientOffsetC: traits.uniform(-2, 2),
      blades: 5 + traits.int(3),
      bearingX: traits.uniform(0.3, 0.7),
      bearingY: traits.uniform(0.35, 0.65),
      defectOrder: traits.uniform(3.2, 4.8),
    };
    const regimes = SeededRandom.forKey(seed, deviceId, 'regimes');
    // Segments start a thermal window before the run so the first temperatures are already settled.
    const segments: Segment[] = [];
    let t = startMs - THERMAL_WINDOW_MS - TRANSITION_MS;
    let regime = regimes.int(REGIMES.length);
    while (t < startMs + durationMs + TRANSITION_MS) {
      segments.push({ startMs: t, load: REGIMES[regime]!.load });
      t += Math.max(TRANSITION_MS * 2, regimes.exponential(MEAN_DWELL_MS));
      regime = (regime + 1 + regimes.int(REGIMES.length - 1)) % REGIMES.length;
    }
    return new OperatingProfile(deviceId, character, segments);
  }

  /** Load 0..1: the regime's load, ramped linearly over TRANSITION_MS after each change. */
  loadAt(timeMs: number): number {
    const i = this.segmentIndex(timeMs);
    const current = this.segments[i]!;
    const previous = this.segments[i - 1];
    if (!previous) return current.load;
    const progress = Math.min(1, (timeMs - current.startMs) / TRANSITION_MS);
    return previous.load + (current.load - previous.load) * progress;
  }

  /** Load as the machine's temperatures see it: the mean over the last THERMAL_WINDOW_MS. */
  thermalLoadAt(timeMs: number): number {
    const points = 8;
    let sum = 0;
    for (let k = 0; k < points; k++) sum += this.loadAt(timeMs - (THERMAL_WINDOW_MS * k) / (points - 1));
    return sum / points;
  }

  rpmAt(timeMs: number): number {
    return this.character.ratedRpm * (0.62 + 0.42 * this.loadAt(timeMs));
  }

  /** Ambient °C: a daily swing (coldest at 04:00 UTC) plus the device's place in the hall. */
  ambientAt(timeMs: number): number {
    const phase = (2 * Math.PI * ((timeMs % DAY_MS) - 4 * 3_600_000)) / DAY_MS;
    return 22 - 3 * Math.cos(phase) + this.character.ambientOffsetC;
  }

  private segmentIndex(timeMs: number): number {
    // Binary search: the last segment starting at or before timeMs.
    let lo = 0;
    let hi = this.segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.segments[mid]!.startMs <= timeMs) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}
