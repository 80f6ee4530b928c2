/**
 * MIMII machine sound as a device's microphone: the device's normal clips played end to end in chunks, looping.
 * A fault with an audio effect cross-fades to the same machine's abnormal recording in proportion to its
 * severity (ramp included), so the sound turns abnormal as the fault grows. Clips are 16 kHz mono; chunks go
 * out as PCM_S16LE.
 *
 * @example
 *   const mic = new MimiiReplaySource('dev-0001', group, clips, faults, { chunkMs: 1000 });
 */
import type { AudioChunk } from '../contracts';
import { FAULT_EFFECTS } from '../faults/fault-catalogue';
import type { DeviceFaults, Fault } from '../faults/fault';
import type { FaultExpression, ModalitySource } from '../device/modality-source';
import { floatToPcm16 } from '../audio/pcm';

export const MIMII_ORIGIN = 'mimii';

/** One machine of the MIMII folder (`fan/id_02`): its clip files by class. */
export interface MimiiMachine {
  name: string;
  normal: string[];
  abnormal: string[];
}

/** Decoded clips, mono floats, by file path (the repository caches). */
export interface ClipReader {
  read(file: string): { sampleRate: number; samples: Float32Array };
}

export class MimiiReplaySource implements ModalitySource<'audio'> {
  readonly stream = 'audio' as const;
  readonly origin = MIMII_ORIGIN;
  readonly periodMs: number;
  readonly captureMs: number;

  constructor(
    readonly deviceId: string,
    private readonly machine: MimiiMachine,
    private readonly clips: ClipReader,
    private readonly faults: DeviceFaults,
    private readonly config: { chunkMs: number },
  ) {
    if (machine.normal.length === 0) throw new RangeError(`${machine.name}: no normal clips`);
    this.periodMs = config.chunkMs;
    this.captureMs = config.chunkMs;
  }

  expression(fault: Fault): FaultExpression | undefined {
    return FAULT_EFFECTS[fault.type].audio && this.machine.abnormal.length > 0 ? { channels: [] } : undefined;
  }

  sample(seq: number, eventTimeMs: number): AudioChunk {
    const sampleRate = this.clips.read(this.machine.normal[0]!).sampleRate;
    const n = Math.round((sampleRate * this.config.chunkMs) / 1000);
    const normal = this.excerpt(this.machine.normal, seq * n, n);
    const severity = this.faults.severityOf((type) => FAULT_EFFECTS[type].audio !== undefined, eventTimeMs + this.config.chunkMs / 2);
    if (severity > 0 && this.machine.abnormal.length > 0) {
      const abnormal = this.excerpt(this.machine.abnormal, seq * n, n);
      for (let i = 0; i < n; i++) normal[i] = (1 - severity) * normal[i]! + severity * abnormal[i]!;
    }
    return { deviceId: this.deviceId, eventTimeMs, seq, sampleRate, channels: 1, encoding: 'PCM_S16LE', pcm: floatToPcm16(normal) };
  }

  /** `length` samples from position `offset` of the clips played end to end, looping. */
  private excerpt(files: readonly string[], offset: number, length: number): Float32Array {
    const clips = files.map((f) => this.clips.read(f).samples);
    const total = clips.reduce((sum, c) => sum + c.length, 0);
    const out = new Float32Array(length);
    let position = offset % total;
    for (let i = 0; i < length;) {
      let clipIndex = 0;
      let start = position;
      while (start >= clips[clipIndex]!.length) start -= clips[clipIndex++]!.length;
      const clip = clips[clipIndex]!;
      const take = Math.min(length - i, clip.length - start);
      out.set(clip.subarray(start, start + take), i);
      i += take;
      position = (position + take) % total;
    }
    return out;
  }
}
