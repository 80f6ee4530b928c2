import { mulberry32 } from '@vigil/features';
import { describe, expect, it } from 'vitest';
import { audioLogMelFrames, LogMelFramer } from './multimodal-features';

describe('LogMelFramer', () => {
  it('gives audioLogMelFrames’ frames bit for bit, one frame at a time', () => {
    const random = mulberry32(13);
    const samples = Float32Array.from({ length: 48_000 }, (_, i) => 0.3 * Math.sin((2 * Math.PI * 120 * i) / 16_000) + 0.05 * (random() - 0.5));
    const whole = audioLogMelFrames(samples, 16_000, { frames: 24, mels: 32 });
    const framer = new LogMelFramer(samples.length, 16_000, { frames: 24, mels: 32 });
    for (let t = 0; t < 24; t++) expect(framer.frame(samples, t)).toEqual(whole.subarray(t * 32, (t + 1) * 32));
  });

  it('calls interior only the frames that read no padding', () => {
    const framer = new LogMelFramer(48_000, 16_000, { frames: 24, mels: 32 }); // hop 2000, nFft 4096
    const interior = Array.from({ length: 24 }, (_, t) => framer.isInterior(t));
    expect(interior.indexOf(true)).toBe(2);
    expect(interior.lastIndexOf(true)).toBe(22);
  });
});
