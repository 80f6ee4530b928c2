/**
 * Fixed-length vibration windows from CWRU recordings, `[batch][length][1]` like WindowBatch, with each window's
 * condition. Recordings at another rate are resampled first (polyphase) so the windows share one time base; the
 * 48 kHz normal file then lines up with the 12 kHz faults.
 *
 * @example
 *   const signals = await Promise.all(filterCwru(index, { loadHp: 0 }).map((r) => loadCwruSignal(r)));
 *   const { batch, meta } = cwruWindows(signals, { length: 2048, hop: 1024, sampleRateHz: 12000 });
 *   const isFault = meta.map((m) => !m.recording.isNormal);
 */
import { frameSignal } from '@vigil/features';
import { toSampleRate } from '../audio/audio-features';
import { type CwruSignal } from './cwru-files';
import { type CwruRecording } from './cwru-index';

export interface CwruWindowMeta {
  recording: CwruRecording;
  /** First sample of the window, at the output rate. */
  start: number;
}

export interface CwruWindowOptions {
  length: number;
  /** Default: length (no overlap). */
  hop?: number;
  /** Resample every signal to this rate. Default: keep rates (then all signals must share one). */
  sampleRateHz?: number;
}

export function cwruWindows(
  signals: readonly CwruSignal[],
  options: CwruWindowOptions,
): {
  batch: { data: Float32Array; batch: number; steps: number; channels: number };
  meta: CwruWindowMeta[];
  sampleRateHz: number;
} {
  const { length, hop = length } = options;
  const rate = options.sampleRateHz ?? signals[0]?.sampleRateHz ?? 0;
  const parts = signals.map((s) => {
    if (options.sampleRateHz === undefined && s.sampleRateHz !== rate) {
      throw new RangeError(`${s.recording.file} is at ${s.sampleRateHz} Hz, others at ${rate} Hz: pass sampleRateHz to resample`);
    }
    return { signal: s, frames: frameSignal(toSampleRate(s.signal, s.sampleRateHz, rate), length, hop) };
  });
  const total = parts.reduce((n, p) => n + p.frames.batch, 0);
  const data = new Float32Array(total * length);
  const meta: CwruWindowMeta[] = [];
  let offset = 0;
  for (const { signal, frames } of parts) {
    data.set(frames.data, offset);
    offset += frames.data.length;
    for (let b = 0; b < frames.batch; b++) meta.push({ recording: signal.recording, start: b * hop });
  }
  return { batch: { data, batch: total, steps: length, channels: 1 }, meta, sampleRateHz: rate };
}
