import { describe, expect, it } from 'vitest';
import type { ApiDriftEvent, Feedback, RootCause } from '../api/types';
import { driftSeries, fleetRateSeries, modalityShareBars, precisionByModel, rankedChannels, scoreSeries, temporalHeat } from './chart-data';
import { cellState, countStates, healthRows } from './health';
import { liveResult } from './test-results';

const rootCause: RootCause = {
  summary: 'vibration_rms drives the score',
  topChannels: [
    { name: 'temp', share: 0.2 },
    { name: 'vibration_rms', share: 0.7 },
    { name: 'pressure', share: 0.1 },
  ],
  topTimeSteps: [4, 2],
  topLatents: [3],
  modalityShares: { SENSOR: 0.8, AUDIO: 0.2 },
};

describe('chart data', () => {
  it('orders a device’s windows by time, one point per window (a replayed window replaces the first)', () => {
    const data = scoreSeries([
      liveResult({ windowStartMs: 5000, fusedScore: 2 }),
      liveResult({ windowStartMs: 4000, fusedScore: 1 }),
      liveResult({ windowStartMs: 5000, fusedScore: 3 }),
    ]);
    expect(data).toEqual([
      [7, 8],
      [1, 3],
      [4, 4],
    ]);
  });

  it('turns telemetry ticks into events per second and an anomaly rate (null when nothing came)', () => {
    const device = { deviceId: 'd', lastScore: 1, maxScore: 1, threshold: 2, lastWindowEndMs: 0 };
    const data = fleetRateSeries(
      [
        {
          tickEndMs: 1000,
          devices: [
            { ...device, windows: 2, anomalies: 1 },
            { ...device, windows: 2, anomalies: 0 },
          ],
        },
        { tickEndMs: 1250, devices: [] },
      ],
      250,
    );
    expect(data).toEqual([
      [1, 1.25],
      [16, 0],
      [0.25, null],
    ]);
  });

  it('ranks root-cause channels and modality shares, largest first', () => {
    expect(rankedChannels(rootCause, 2)).toEqual([
      { name: 'vibration_rms', value: 0.7 },
      { name: 'temp', value: 0.2 },
    ]);
    expect(modalityShareBars(rootCause).map((b) => b.name)).toEqual(['SENSOR', 'AUDIO']);
    expect(rankedChannels(null)).toEqual([]);
  });

  it('weights the named time steps by rank on a heat-map row', () => {
    expect(temporalHeat(rootCause)).toEqual({
      steps: [0, 1, 2, 3, 4],
      cells: [
        [0, 0, 0],
        [1, 0, 0],
        [2, 0, 0.5],
        [3, 0, 0],
        [4, 0, 1],
      ],
    });
    expect(temporalHeat(null)).toEqual({ steps: [], cells: [] });
  });

  it('computes alarm precision per model from the newest verdict of each window', () => {
    const f = (kind: Feedback['kind'], windowStartMs: number, createdAtMs: number, modelVersion = 'v1'): Feedback => ({
      feedbackId: `${kind}${windowStartMs}${createdAtMs}`,
      createdAtMs,
      deviceId: 'dev-0001',
      kind,
      windowStartMs,
      rangeStartMs: windowStartMs,
      rangeEndMs: windowStartMs + 1,
      faultType: null,
      modelVersion,
      operator: 'ops',
      reason: '',
    });
    const rows = precisionByModel([f('CONFIRM', 1, 10), f('DISMISS', 1, 5), f('DISMISS', 2, 6), f('CONFIRM', 3, 7), f('CONFIRM', 9, 1, 'v2')]);
    expect(rows).toEqual([
      { modelVersion: 'v1', confirmed: 2, dismissed: 1, precision: 2 / 3 },
      { modelVersion: 'v2', confirmed: 1, dismissed: 0, precision: 1 },
    ]);
  });

  it('aligns drift statistics of several tests on one time axis', () => {
    const e = (test: string, detectedAtMs: number, statistic: number) => ({ test, detectedAtMs, statistic }) as ApiDriftEvent;
    expect(driftSeries([e('MMD', 2000, 0.3), e('KS', 1000, 0.5), e('MMD', 1000, 0.1)])).toEqual({
      tests: ['KS', 'MMD'],
      data: [
        [1, 2],
        [0.5, null],
        [0.1, 0.3],
      ],
    });
  });
});

describe('fleet health grid', () => {
  const now = 100_000;
  it('names each cell: ok, anomalous, sensor fault (missing modality), offline, no data', () => {
    const r = liveResult({
      windowStartMs: now - 4000,
      modalities: [{ modality: 'SENSOR', score: 9, threshold: 4, isAnomaly: true }],
      missingModalities: ['AUDIO'],
      isAnomaly: true,
    });
    expect(['SENSOR', 'AUDIO', 'IMAGE', 'FUSED'].map((m) => cellState(r, m as 'SENSOR', now, 30_000))).toEqual([
      'anomalous',
      'sensor-fault',
      'no-data',
      'anomalous',
    ]);
    expect(cellState(r, 'SENSOR', now + 60_000, 30_000)).toBe('offline');
    expect(cellState(undefined, 'SENSOR', now, 30_000)).toBe('no-data');
  });

  it('sorts rows by device and counts the states', () => {
    const latest = new Map([
      ['b', liveResult({ deviceId: 'b', windowStartMs: now - 4000 })],
      ['a', liveResult({ deviceId: 'a', windowStartMs: now - 4000 })],
    ]);
    const rows = healthRows(latest, now, 30_000);
    expect(rows.map((r) => r.deviceId)).toEqual(['a', 'b']);
    expect(countStates(rows)).toMatchObject({ ok: 4, 'no-data': 4 });
  });
});
