import { describe, expect, it } from 'vitest';
import { explainSensorWindow } from './window-explanation';

const model = { steps: 6, channels: 3, channelNames: ['temp', 'pressure', 'flow'], channelScale: [1, 100, 1] };

describe('explainSensorWindow', () => {
  it('names the channel and steps that carry the reconstruction error, in units of each channel’s spread', () => {
    const recon = new Float32Array(18).fill(10);
    const frame = recon.slice();
    frame[3 * 3 + 0] = 14; // temp off by 4 spreads at step 3
    frame[4 * 3 + 0] = 12; // and by 2 at step 4
    frame[1 * 3 + 1] = 60; // pressure off by 50 units = 0.5 of its spread
    const report = explainSensorWindow(model, frame, recon);
    expect(report.topChannels.map((c) => c.name)).toEqual(['temp', 'pressure', 'flow']);
    expect(report.topChannels[0]!.share).toBeCloseTo(20 / 20.25, 5);
    expect(report.topTimeSteps).toEqual([1, 3, 4]); // steps without error are not named
    expect(report.summary).toMatch(/^Error is concentrated in temp \(99 %\), then pressure \(1 %\), peaking at step 4 of 6\./);
    expect(report.modalityShares).toEqual({ SENSOR: 1 });
    const withLatents = explainSensorWindow(model, frame, recon, [4, 1]);
    expect(withLatents.topLatents).toEqual([4, 1]);
    expect(withLatents.summary).toMatch(/ Latent dimensions 4 and 1 move the score most\.$/);
  });

  it('says so when the reconstruction is perfect', () => {
    const frame = new Float32Array(18).fill(3);
    expect(explainSensorWindow(model, frame, frame).summary).toBe('No reconstruction error.');
  });
});
