/**
 * Synthetic machine sound of a motor-driven pump, chunk by chunk with continuous phase: shaft-speed harmonics,
 * the impeller's blade-pass tone, 100 Hz magnetic hum and coloured background noise, all following the device's
 * speed and load. Faults add the bearing defect tone with its harmonics, broadband noise, or cavitation bursts
 * (catalogue in `fault-catalogue.ts`). Output: mono PCM_S16LE.
 *
 * @example
 *   const audio = new SyntheticAudioSource(seed, profile, faults, { chunkMs: 1000, sampleRate: 16000 });
 *   audio.sample(0, startMs).pcm.length; // 32000 bytes
 */
import type { AudioChunk } from '../contracts';
import { FAULT_EFFECTS } from '../faults/fault-catalogue';
import type { DeviceFaults, Fault } from '../faults/fault';
import { SeededRandom } from '../random/seeded-random';
import type { FaultExpression, ModalitySource } from '../device/modality-source';
import type { OperatingProfile } from '../device/operating-profile';
import { floatToPcm16 } from './pcm';

const DEFECT_HARMONICS = 8;
/** Scales a uniform draw in [-0.5, 0.5) to unit variance. */
const UNIT_UNIFORM = Math.sqrt(12);
/** Cavitation bursts switch on and off in blocks of this length. */
const BURST_BLOCK_MS = 40;

interface Tone {
  /** Multiple of the shaft frequency, or a fixed frequency in Hz when `fixedHz` is set. */
  order: number;
  fixedHz?: number;
  amplitude: number;
  /** Fault tones draw their starting phase from the fault stream. */
  fault?: boolean;
}

export class SyntheticAudioSource implements ModalitySource<'audio'> {
  readonly stream = 'audio' as const;
  readonly origin = 'synthetic';
  readonly periodMs: number;
  readonly captureMs: number;
  private readonly samplesPerChunk: number;
  private readonly rng: SeededRandom;
  /** Fault sound draws from its own stream, so a healthy device's sound does not depend on faults elsewhere in time. */
  private readonly faultRng: SeededRandom;
  /** Phase of each tone, carried across chunks so chunk borders do not click. */
  private readonly phases = new Map<string, number>();
  private colouredNoise = 0;

  constructor(
    seed: number | string,
    private readonly profile: OperatingProfile,
    private readonly faults: DeviceFaults,
    private readonly config: { chunkMs: number; sampleRate: number },
  ) {
    this.periodMs = config.chunkMs;
    this.captureMs = config.chunkMs;
    this.samplesPerChunk = Math.round((config.sampleRate * config.chunkMs) / 1000);
    this.rng = SeededRandom.forKey(seed, profile.deviceId, 'audio');
    this.faultRng = SeededRandom.forKey(seed, profile.deviceId, 'audio', 'faults');
  }

  expression(fault: Fault): FaultExpression | undefined {
    return FAULT_EFFECTS[fault.type].audio ? { channels: [] } : undefined;
  }

  sample(seq: number, eventTimeMs: number): AudioChunk {
    const signal = this.render(eventTimeMs);
    return {
      deviceId: this.profile.deviceId,
      eventTimeMs,
      seq,
      sampleRate: this.config.sampleRate,
      channels: 1,
      encoding: 'PCM_S16LE',
      pcm: floatToPcm16(signal),
    };
  }

  /** One chunk as floats in [-1, 1]; speed and fault severity are taken at the chunk's middle. */
  render(eventTimeMs: number): Float32Array {
    const n = this.samplesPerChunk;
    const sr = this.config.sampleRate;
    const mid = eventTimeMs + this.config.chunkMs / 2;
    const shaftHz = this.profile.rpmAt(mid) / 60;
    const load = this.profile.loadAt(mid);
    const character = this.profile.character;
    const tones: Array<Tone & { key: string }> = [
      { key: 'shaft1', order: 1, amplitude: 0.05 },
      { key: 'shaft2', order: 2, amplitude: 0.03 },
      { key: 'shaft3', order: 3, amplitude: 0.015 },
      { key: 'blade', order: character.blades, amplitude: 0.03 + 0.06 * load },
      { key: 'hum', order: 0, fixedHz: 100, amplitude: 0.02 + 0.02 * load },
    ];
    let broadband = 0;
    let burstDuty = 1;
    for (const { fault, severity } of this.faults.activeAt(mid)) {
      const effect = FAULT_EFFECTS[fault.type].audio;
      if (!effect) continue;
      for (let k = 1; k <= DEFECT_HARMONICS && effect.defectHarmonics > 0; k++) {
        tones.push({ key: `defect${k}`, order: character.defectOrder * k, amplitude: (effect.defectHarmonics * severity) / Math.sqrt(k), fault: true });
      }
      broadband = Math.max(broadband, effect.broadband * severity);
      burstDuty = Math.min(burstDuty, effect.burstDuty);
    }

    const out = new Float32Array(n);
    for (const tone of tones) {
      const hz = tone.fixedHz ?? tone.order * shaftHz;
      if (hz >= sr / 2) continue; // above Nyquist: would alias
      const step = (2 * Math.PI * hz) / sr;
      const phase0 = this.phases.get(tone.key) ?? (tone.fault ? this.faultRng : this.rng).uniform(0, 2 * Math.PI);
      // Rotate a unit vector instead of calling sin() per sample: two multiply-adds per sample and tone.
      const cosStep = Math.cos(step);
      const sinStep = Math.sin(step);
      let re = Math.cos(phase0);
      let im = Math.sin(phase0);
      for (let i = 0; i < n; i++) {
        out[i]! += tone.amplitude * im;
        const nextRe = re * cosStep - im * sinStep;
        im = re * sinStep + im * cosStep;
        re = nextRe;
      }
      this.phases.set(tone.key, (phase0 + step * n) % (2 * Math.PI));
    }

    const burstBlock = Math.max(1, Math.round((BURST_BLOCK_MS * sr) / 1000));
    let coloured = this.colouredNoise;
    let burstOn = true;
    for (let i = 0; i < n; i++) {
      // Background: low-passed (one-pole) plus a little white noise, like a hall full of machines. Unit-variance
      // uniform draws instead of normals: 5× cheaper (this loop runs 16 000 times per chunk), and the low-pass
      // sums enough of them to be Gaussian anyway.
      coloured = 0.95 * coloured + 0.05 * UNIT_UNIFORM * (this.rng.next() - 0.5);
      let sample = out[i]! + 0.06 * coloured + 0.006 * UNIT_UNIFORM * (this.rng.next() - 0.5);
      if (broadband > 0) {
        if (i % burstBlock === 0) burstOn = burstDuty >= 1 || this.faultRng.chance(burstDuty);
        if (burstOn) sample += broadband * this.faultRng.normal();
      }
      out[i] = sample;
    }
    this.colouredNoise = coloured;
    return out;
  }
}
