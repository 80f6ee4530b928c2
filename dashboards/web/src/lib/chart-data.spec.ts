import { describe, expect, it } from 'vitest';
import type { ApiDriftEvent, Feedback, RootCause, ShapReport } from '../api/types';
import {
  channelVsReconstruction,
  driftTestSeries,
  fleetRateSeries,
  heatOverlay,
  lossSeries,
  modalityShareBars,
  precisionByModel,
  prSeries,
  rankedChannels,
  shapBars,
  recentRates,
  rocSeries,
  scoreSeries,
  spectrogramCells,
  temporalHeat,
} from './chart-data';
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

  it('counts windows per second of tick time, whatever the tick interval, over complete seconds only', () => {
    const device = { deviceId: 'd', lastScore: 1, maxScore: 1, threshold: 2, lastWindowEndMs: 0 };
    const tick = (tickEndMs: number, windows: number, anomalies = 0) => ({ tickEndMs, devices: [{ ...device, windows, anomalies }] });
    // 4 windows a second, sent as one tick a second by a gateway ticking every 250 ms (empty ticks are not sent):
    // an assumed 250 ms tick would read 16/s.
    const ticks = [tick(900, 4), tick(1900, 4, 1), tick(2900, 4), tick(3150, 2), tick(3400, 2, 2), tick(5100, 4)];
    const data = fleetRateSeries(ticks, 5300);
    // Second 0 is the first heard (maybe partial), second 5 is still running, second 4 had no tick.
    expect(data).toEqual([
      [2, 3, 4, 5],
      [4, 4, 4, 0],
      [0.25, 0, 0.5, null],
    ]);
    expect(recentRates(data, 2)).toEqual({ perS: 2, share: 0.5 });
    expect(recentRates(data, 4)).toEqual({ perS: 3, share: 0.25 });
    expect(fleetRateSeries([], 5000)).toEqual([[], [], []]);
    expect(recentRates([[], [], []], 5)).toEqual({ perS: 0, share: null });
  });

  it('shapes a window’s channels, the training curves and the spectrogram for the charts', () => {
    const sensor = {
      modelVersion: 'm',
      score: 1,
      readings: 2,
      missingChannels: [],
      timesMs: [1000, 2000],
      channels: [{ name: 'rpm', values: [1, 2], reconstruction: [1.5, 2.5] }],
    };
    expect(channelVsReconstruction(sensor, 0)).toEqual([
      [1, 2],
      [1, 2],
      [1.5, 2.5],
    ]);
    expect(channelVsReconstruction(sensor, 3)).toEqual([[], [], []]);
    expect(lossSeries([{ epoch: 0, loss: 3, validationLoss: 2, reconstruction: null, kl: null }])).toEqual([[0], [3], [2]]);
    const evaluation = {
      split: 'test',
      positives: 1,
      negatives: 3,
      rocAuc: 1,
      prAuc: 1,
      roc: [
        { fpr: 0, tpr: 0 },
        { fpr: 0, tpr: 1 },
        { fpr: 1, tpr: 1 },
      ],
      pr: [{ recall: 1, precision: 1 }],
    };
    expect(rocSeries(evaluation)).toEqual([
      [0, 0, 1],
      [0, 1, 1],
      [0, 0, 1],
    ]);
    expect(prSeries(evaluation)).toEqual([[1], [1], [0.25]]);
    expect(rocSeries(null)).toEqual([[], [], []]);
    const spectrum = spectrogramCells({
      sampleRate: 16000,
      coverage: 1,
      frameMs: 10,
      mels: 2,
      db: [
        [-80, -20],
        [-40, -10],
      ],
    });
    expect(spectrum).toEqual({
      cells: [
        [0, 0, -80],
        [0, 1, -20],
        [1, 0, -40],
        [1, 1, -10],
      ],
      min: -80,
      max: -10,
    });
  });

  it('lays the anomaly map over the grey frame: grey where it is 0, red from twice the threshold', () => {
    const image = {
      modelVersion: 'v',
      frameTimeMs: 0,
      width: 2,
      height: 2,
      pixels: [
        [0.5, 0.5],
        [0.5, 0.5],
      ],
      map: [[0, 0.2]],
      score: 0.2,
      threshold: 0.1,
      isAnomaly: true,
    };
    const rgba = Array.from(heatOverlay(image));
    // Top-left: map 0 → grey 127.5 (clamped to 128); top-right: map 0.2 = 2 × threshold → pure red.
    expect(rgba.slice(0, 4)).toEqual([128, 128, 128, 255]);
    expect(rgba.slice(4, 8)).toEqual([255, 40, 40, 255]);
    // The one-row map covers both pixel rows.
    expect(rgba.slice(12, 16)).toEqual([255, 40, 40, 255]);
  });

  it('ranks root-cause channels and modality shares, largest first', () => {
    expect(rankedChannels(rootCause, 2)).toEqual([
      { name: 'vibration_rms', value: 0.7 },
      { name: 'temp', value: 0.2 },
    ]);
    expect(modalityShareBars(rootCause).map((b) => b.name)).toEqual(['SENSOR', 'AUDIO']);
    expect(rankedChannels(null)).toEqual([]);
  });

  it('ranks SHAP players by share with their signed values in the labels', () => {
    const report: ShapReport = {
      ...{ modality: 'SENSOR', modelVersion: 'm@v1', score: 3, threshold: 1, baseValue: 1, exact: true, coalitionsEvaluated: 8, computeMs: 4 },
      summary: 'flow drives the score',
      contributions: [
        { name: 'temp', value: -0.25, share: 0.1 },
        { name: 'flow', value: 2, share: 0.8 },
        { name: 'rpm', value: 0.25, share: 0.1 },
      ],
      processedAtMs: 0,
    };
    expect(shapBars(report, 2)).toEqual([
      { name: 'flow (+2.00)', value: 0.8 },
      { name: 'temp (-0.250)', value: 0.1 },
    ]);
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

  it('plots one drift test over the tested windows’ end, with its p-value, one point per window', () => {
    const e = (test: string, currentEndMs: number, statistic: number, detectedAtMs = 9000) =>
      ({ test, currentEndMs, statistic, pValue: statistic / 10, threshold: 0.05, detectedAtMs, modelVersion: 'm@v1' }) as ApiDriftEvent;
    // Detected in the same second (a catching-up drift service), tested on different windows.
    const events = [e('MMD', 3000, 0.3), e('KS', 1000, 0.5), e('MMD', 1000, 0.1), e('MMD', 3000, 0.4, 9500)];
    expect(driftTestSeries(events, 'MMD')).toEqual([
      [1, 3],
      [0.1, 0.4],
      [0.01, 0.04],
    ]);
    expect(driftTestSeries(events, 'WASSERSTEIN')).toEqual([[], [], []]);
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
