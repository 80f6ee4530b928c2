/**
 * Contract checks beyond what Avro's types express. A decoded record that fails one of these is dead-lettered
 * with the list of violations as its reason.
 */
import type { AudioChunk, ImageFrame, SensorReading } from './generated/schemas';

/** Returns the violations; an empty array means valid. */
export type Validator<T> = (value: T) => string[];

/** Event times before 2000 or more than a day ahead are clock bugs, not data. */
const MIN_EVENT_TIME_MS = Date.UTC(2000, 0, 1);
const MAX_FUTURE_MS = 24 * 3_600_000;

function commonChecks(v: { deviceId: string; eventTimeMs: number; seq: number }, now: number): string[] {
  const out: string[] = [];
  if (v.deviceId.trim() === '') out.push('deviceId is empty');
  if (!Number.isFinite(v.eventTimeMs) || v.eventTimeMs < MIN_EVENT_TIME_MS || v.eventTimeMs > now + MAX_FUTURE_MS) {
    out.push(`eventTimeMs ${v.eventTimeMs} is outside [2000-01-01, now + 1 day]`);
  }
  if (!Number.isSafeInteger(v.seq) || v.seq < 0) out.push(`seq ${v.seq} is not a non-negative integer`);
  return out;
}

export const validateSensorReading: Validator<SensorReading> = (r) => {
  const out = commonChecks(r, Date.now());
  let channels = 0;
  // for…in rather than Object.entries: this runs for every consumed reading, and allocates nothing.
  for (const name in r.values) {
    channels++;
    const value = r.values[name]!;
    if (!Number.isFinite(value)) out.push(`channel ${name} is ${value}`);
  }
  if (channels === 0) out.push('values has no channels');
  return out;
};

export const validateAudioChunk: Validator<AudioChunk> = (a) => {
  const out = commonChecks(a, Date.now());
  if (a.sampleRate < 1000 || a.sampleRate > 384_000) out.push(`sampleRate ${a.sampleRate} Hz is implausible`);
  if (a.channels < 1 || a.channels > 32) out.push(`channels ${a.channels} is outside 1..32`);
  const bytesPerFrame = (a.encoding === 'PCM_S16LE' ? 2 : 4) * Math.max(1, a.channels);
  if (a.pcm.length === 0 || a.pcm.length % bytesPerFrame !== 0) {
    out.push(`pcm has ${a.pcm.length} bytes, not a positive multiple of ${bytesPerFrame} (${a.encoding} × ${a.channels} ch)`);
  }
  return out;
};

export const validateImageFrame: Validator<ImageFrame> = (f) => {
  const out = commonChecks(f, Date.now());
  if (f.width < 1 || f.height < 1 || f.width > 8192 || f.height > 8192) out.push(`size ${f.width}×${f.height} is implausible`);
  if (![1, 3, 4].includes(f.channels)) out.push(`channels ${f.channels} is not 1, 3 or 4`);
  const raw = { RAW_U8: 1, RAW_F32: 4 } as Record<string, number>;
  const bytes = raw[f.encoding];
  if (bytes !== undefined && f.data.length !== f.width * f.height * f.channels * bytes) {
    out.push(`data has ${f.data.length} bytes, expected ${f.width * f.height * f.channels * bytes} for ${f.encoding}`);
  }
  if (f.data.length === 0) out.push('data is empty');
  return out;
};
