/**
 * MIMII machine sound as a device's microphone: the device's normal clips played end to end in chunks, looping.
 * Each join (clip to clip, and the loop back to the first) is an equal-power cross-fade of `SEAM_MS`: a hard splice
 * is a click every 10 s that no machine makes and that an audio model rightly calls abnormal.
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

/** Cross-fade at each join of the looped clips. */
export const SEAM_MS = 100;

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
  /** The looped sound per clip list (normal, abnormal), built once. */
  private readonly loops = new Map<readonly string[], Float32Array>();

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

  /** `length` samples from position `offset` of the clips played end to end, looping (see seamlessLoop). */
  private excerpt(files: readonly string[], offset: number, length: number): Float32Array {
    let loop = this.loops.get(files);
    if (!loop) {
      const clips = files.map((f) => this.clips.read(f));
      loop = seamlessLoop(
        clips.map((c) => c.samples),
        Math.round((clips[0]!.sampleRate * SEAM_MS) / 1000),
      );
      this.loops.set(files, loop);
    }
    const out = new Float32Array(length);
    for (let i = 0; i < length; i++) out[i] = loop[(offset + i) % loop.length]!;
    return out;
  }
}

/**
 * The clips end to end as one circular buffer whose joins are equal-power cross-fades of `seam` samples: each
 * clip's first `seam` samples fade in over the previous clip's last `seam` (the last clip's, for the first), which
 * are not played on their own. Sample i of a clip, seam ≤ i < length − seam, is played unchanged.
 */
export function seamlessLoop(clips: readonly Float32Array[], seam: number): Float32Array {
  const fade = Math.min(seam, ...clips.map((c) => Math.floor(c.length / 2)));
  const out = new Float32Array(clips.reduce((n, c) => n + c.length - fade, 0));
  let at = 0;
  clips.forEach((clip, k) => {
    const previous = clips[(k + clips.length - 1) % clips.length]!;
    for (let i = 0; i < fade; i++) {
      const t = ((i + 0.5) / fade) * (Math.PI / 2);
      out[at + i] = Math.sin(t) * clip[i]! + Math.cos(t) * previous[previous.length - fade + i]!;
    }
    out.set(clip.subarray(fade, clip.length - fade), at + fade);
    at += clip.length - fade;
  });
  return out;
}
