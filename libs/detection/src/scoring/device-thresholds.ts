/**
 * One streaming SPOT threshold per (device, modality), all starting from the same calibration (the model's
 * held-out normal scores) and then adapting to each device's own score stream. State per device serialises
 * to strings for the detector's compacted checkpoint topic and restores exactly.
 *
 * @example
 *   const thresholds = new DeviceThresholds({ SENSOR: calibrationScores }, { q: 1e-3 });
 *   const { threshold, isAnomaly } = thresholds.judge('dev-1', 'SENSOR', score);
 *   const saved = thresholds.stateOf('dev-1');   // { SENSOR: '{"kind":"spot",...}' }
 *   thresholds.restore('dev-1', saved);
 */
import { Spot, type SpotOptions, type SpotState } from '../thresholds/spot';

export interface Judgement {
  threshold: number;
  isAnomaly: boolean;
}

export class DeviceThresholds {
  private readonly templates = new Map<string, SpotState>();
  private readonly live = new Map<string, Spot>();

  constructor(calibration: Record<string, ArrayLike<number>>, options: Partial<SpotOptions> = {}) {
    for (const [modality, scores] of Object.entries(calibration)) {
      this.templates.set(modality, new Spot(options).fit(scores).toState());
    }
  }

  get modalities(): string[] {
    return [...this.templates.keys()];
  }

  judge(deviceId: string, modality: string, score: number): Judgement {
    const { threshold, isAnomaly } = this.spotFor(deviceId, modality).update(score);
    return { threshold, isAnomaly };
  }

  /** The threshold a score would be judged against now, without learning from it (replayed windows). */
  peek(deviceId: string, modality: string, score: number): Judgement {
    const threshold = this.spotFor(deviceId, modality).threshold;
    return { threshold, isAnomaly: score > threshold };
  }

  stateOf(deviceId: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const modality of this.templates.keys()) {
      const spot = this.live.get(key(deviceId, modality));
      if (spot) out[modality] = JSON.stringify(spot.toState());
    }
    return out;
  }

  restore(deviceId: string, states: Record<string, string>): void {
    for (const [modality, json] of Object.entries(states)) {
      if (this.templates.has(modality)) this.live.set(key(deviceId, modality), Spot.fromState(JSON.parse(json) as SpotState));
    }
  }

  forget(deviceId: string): void {
    for (const modality of this.templates.keys()) this.live.delete(key(deviceId, modality));
  }

  private spotFor(deviceId: string, modality: string): Spot {
    const k = key(deviceId, modality);
    let spot = this.live.get(k);
    if (!spot) {
      const template = this.templates.get(modality);
      if (!template) throw new Error(`no calibration for modality ${modality}`);
      spot = Spot.fromState(template);
      this.live.set(k, spot);
    }
    return spot;
  }
}

function key(deviceId: string, modality: string): string {
  return `${deviceId}\u0000${modality}`;
}
