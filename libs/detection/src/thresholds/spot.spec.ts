import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Dspot } from './dspot';
import { ISOLATED_EXCESS_CAP, Spot } from './spot';
import { InvalidThresholdOptionsError, InvalidThresholdStateError, ThresholdNotInferredError } from './threshold.errors';

interface SpotFixtureCase {
  kind: 'spot' | 'dspot';
  name: string;
  series: string;
  q: number;
  level: number;
  maxPeaks: number;
  depth?: number;
  tailThreshold: number;
  initialThreshold: number;
  initialMleThreshold: number;
  initialLibspotIsMle: boolean;
  /** libspot's anomaly threshold after each step. */
  thresholds: number[];
  /** Maximum-likelihood threshold (scipy GPD fit) on libspot's bookkeeping after each step. */
  mleThresholds: number[];
  /** Whether libspot kept its Grimshaw root (the maximum) rather than its moments fallback at that step. */
  libspotIsMle: boolean[];
  /** First step whose score lies between libspot's and the maximum-likelihood threshold (streams part there). */
  divergesAt: number | null;
  /** libspot step status: 0 normal, 1 peak, 2 anomaly. */
  statuses: number[];
}

/** Made by fixtures/make_spot_fixtures.py with libspot 3.1.0 (DSPOT's drift layer written around libspot.Spot). */
const fixture = JSON.parse(readFileSync(join(__dirname, '../../fixtures/spot-thresholds.json'), 'utf8')) as {
  series: Record<string, { init: number[]; stream: number[] }>;
  cases: SpotFixtureCase[];
};

/**
 * Stated tolerance: relative 1e-6 on every threshold, against libspot where libspot's GPD fit is the
 * likelihood maximum, and against the scipy maximum-likelihood threshold on libspot's bookkeeping at every
 * step. libspot 3 falls back to a method-of-moments fit when its Grimshaw search misses the root (the fixture
 * script measures how often: it keeps the maximum at 0 % to 96 % of steps depending on the series); we
 * always return the maximum, so there we match scipy instead. libspot's step outcomes (normal / peak /
 * anomaly) must match everywhere, up to the step where a score falls between its threshold and the
 * maximum-likelihood one (one case, step 975 of 3000), where we must take the maximum-likelihood side.
 */
const RELATIVE_TOLERANCE = 1e-6;

function build(c: SpotFixtureCase): Spot | Dspot {
  const options = { q: c.q, level: c.level, maxPeaks: c.maxPeaks };
  return c.kind === 'spot' ? new Spot(options) : new Dspot({ ...options, depth: c.depth! });
}

function statusOf(update: { isAnomaly: boolean; isPeak: boolean }): number {
  return update.isAnomaly ? 2 : update.isPeak ? 1 : 0;
}

describe('SPOT and DSPOT against libspot', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const { init, stream } = fixture.series[c.series]!;
    const detector = build(c).fit(init, { tailThreshold: c.tailThreshold });
    const relativeGap = (a: number, b: number) => Math.abs(a / b - 1);
    expect(relativeGap(detector.threshold, c.initialMleThreshold)).toBeLessThan(RELATIVE_TOLERANCE);
    if (c.initialLibspotIsMle) expect(relativeGap(detector.threshold, c.initialThreshold)).toBeLessThan(RELATIVE_TOLERANCE);
    let worstVsMle = 0;
    let worstVsLibspot = 0;
    const compared = c.divergesAt ?? stream.length;
    stream.slice(0, compared).forEach((score, i) => {
      const update = detector.update(score);
      expect(statusOf(update), `status at step ${i}`).toBe(c.statuses[i]);
      worstVsMle = Math.max(worstVsMle, relativeGap(detector.threshold, c.mleThresholds[i]!));
      if (c.libspotIsMle[i]) worstVsLibspot = Math.max(worstVsLibspot, relativeGap(detector.threshold, c.thresholds[i]!));
    });
    expect(worstVsMle).toBeLessThan(RELATIVE_TOLERANCE);
    expect(worstVsLibspot).toBeLessThan(RELATIVE_TOLERANCE);
    if (c.divergesAt !== null) {
      const score = stream[c.divergesAt]!;
      const mleThreshold = c.divergesAt > 0 ? c.mleThresholds[c.divergesAt - 1]! : c.initialMleThreshold;
      expect(detector.update(score).isAnomaly).toBe(score > mleThreshold);
    }
  });
});

describe('checkpoint and resume', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('serialise → resume gives identical thresholds: %s', (_name, c) => {
    const { init, stream } = fixture.series[c.series]!;
    const original = build(c).fit(init, { tailThreshold: c.tailThreshold });
    const half = Math.floor(stream.length / 2);
    for (const score of stream.slice(0, half)) original.update(score);
    const saved = JSON.stringify(original.toState());
    const resumed = c.kind === 'spot' ? Spot.fromState(JSON.parse(saved)) : Dspot.fromState(JSON.parse(saved));
    for (const score of stream.slice(half)) {
      const a = { ...original.update(score) };
      const b = { ...resumed.update(score) };
      expect(b).toEqual(a);
    }
    expect(JSON.stringify(resumed.toState())).toBe(JSON.stringify(original.toState()));
  });

  it('keeps the state bounded by maxPeaks however long the stream', () => {
    const c = fixture.cases[0]!;
    const { init, stream } = fixture.series[c.series]!;
    const spot = new Spot({ q: c.q, maxPeaks: 60 }).fit(init);
    const before = JSON.stringify(spot.toState()).length;
    for (let round = 0; round < 5; round++) for (const score of stream) spot.update(score);
    expect(spot.toState().peaks.size).toBe(60);
    // Only digits of the counters grow.
    expect(JSON.stringify(spot.toState()).length).toBeLessThan(before + 400);
  });

  it('rejects states of another kind, version or shape', () => {
    const c = fixture.cases[0]!;
    const state = new Spot({ q: c.q }).fit(fixture.series[c.series]!.init).toState();
    expect(() => Spot.fromState({ ...state, version: 2 } as never)).toThrow(InvalidThresholdStateError);
    expect(() => Dspot.fromState(state as never)).toThrow(InvalidThresholdStateError);
    expect(() => Spot.fromState({ ...state, peaks: { ...state.peaks, size: state.peaks.size + 1 } })).toThrow(InvalidThresholdStateError);
  });
});

describe('SPOT behaviour', () => {
  const { init } = fixture.series['exponential']!;

  it('defaults its tail threshold to the exact level quantile of the sample', () => {
    const spot = new Spot({ q: 1e-3, level: 0.98 }).fit(init);
    const sorted = [...init].sort((a, b) => a - b);
    const position = (sorted.length - 1) * 0.98;
    const lower = Math.floor(position);
    expect(spot.tailThreshold).toBeCloseTo(sorted[lower]! + (position - lower) * (sorted[lower + 1]! - sorted[lower]!), 12);
    expect(spot.threshold).toBeGreaterThan(spot.tailThreshold);
  });

  it('flags scores above the threshold without learning from them', () => {
    const spot = new Spot({ q: 1e-3 }).fit(init);
    const before = spot.toState();
    const update = spot.update(before.threshold * 10);
    expect(update).toEqual({ threshold: before.threshold, isAnomaly: true, isPeak: false });
    expect(spot.toState()).toEqual({ ...before, lastWasAnomaly: true });
  });

  it('with learnIsolatedAnomalies, learns the first anomaly of a run and not the rest, across a checkpoint', () => {
    const spot = new Spot({ q: 1e-3, learnIsolatedAnomalies: true }).fit(init);
    const peaks = spot.peakCount;
    const high = spot.threshold * 3;
    expect(spot.update(high).isAnomaly).toBe(true);
    expect(spot.peakCount).toBe(peaks + 1); // isolated: learned
    const resumed = Spot.fromState(JSON.parse(JSON.stringify(spot.toState())));
    expect(resumed.update(resumed.threshold * 3).isAnomaly).toBe(true);
    expect(resumed.peakCount).toBe(peaks + 1); // the run goes on: not learned
    resumed.update(0);
    resumed.update(resumed.threshold * 3);
    expect(resumed.peakCount).toBe(peaks + 2); // a new run
  });

  it('with learnIsolatedAnomalies, learns a glitch far over the threshold as a capped peak: counted, but not stretching the tail', () => {
    const spot = new Spot({ q: 1e-3, learnIsolatedAnomalies: true }).fit(init);
    const before = spot.threshold;
    const peaks = spot.peakCount;
    expect(spot.update(before * 100).isAnomaly).toBe(true);
    expect(spot.peakCount).toBe(peaks + 1);
    // Learned at the tail threshold + ISOLATED_EXCESS_CAP × z_q's excess: the same as a score exactly there.
    const capped = new Spot({ q: 1e-3, learnIsolatedAnomalies: true }).fit(init);
    capped.update(capped.tailThreshold + ISOLATED_EXCESS_CAP * (before - capped.tailThreshold));
    expect(spot.threshold).toBeCloseTo(capped.threshold, 12);
    expect(spot.threshold).toBeLessThan(before * 1.5);
    // A modest isolated anomaly (under the cap) is learned as it is.
    const modest = new Spot({ q: 1e-3, learnIsolatedAnomalies: true }).fit(init);
    const exact = new Spot({ q: 1e-3, discardAnomalies: false }).fit(init);
    modest.update(before * 1.2);
    exact.update(before * 1.2);
    expect(modest.threshold).toBe(exact.threshold);
  });

  it('with learnIsolatedAnomalies, keeps the alarm rate near q on a long stationary stream, where the paper’s rule overshoots', () => {
    let state = 12345;
    const exp = () => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return -Math.log(1 - state / 4294967296);
    };
    const calibration = Array.from({ length: 2000 }, exp);
    const stream = Array.from({ length: 150_000 }, exp);
    const rate = (spot: Spot) => stream.filter((x) => spot.update(x).isAnomaly).length / stream.length;
    const paper = rate(new Spot({ q: 1e-3 }).fit(calibration));
    const isolated = rate(new Spot({ q: 1e-3, learnIsolatedAnomalies: true }).fit(calibration));
    expect(paper).toBeGreaterThan(4e-3);
    expect(isolated).toBeGreaterThan(0.5e-3);
    expect(isolated).toBeLessThan(2e-3);
  });

  it('tracks the q-quantile of the score distribution (exponential: −ln q)', () => {
    // For Exp(1) the exact q-quantile is −ln q; POT with 250 peaks gets within a few percent.
    const spot = new Spot({ q: 1e-3, maxPeaks: 250 }).fit(init);
    for (const score of fixture.series['exponential']!.stream) spot.update(score);
    expect(spot.threshold).toBeGreaterThan(-Math.log(1e-3) * 0.85);
    expect(spot.threshold).toBeLessThan(-Math.log(1e-3) * 1.15);
  });

  it('ignores NaN scores: not flagged, not learned from (SPOT and DSPOT)', () => {
    for (const detector of [new Spot({ q: 1e-3 }).fit(init), new Dspot({ q: 1e-3, depth: 10 }).fit(init)]) {
      const before = JSON.stringify(detector.toState());
      expect(detector.update(Number.NaN).isAnomaly).toBe(false);
      expect(JSON.stringify(detector.toState())).toBe(before);
    }
  });

  it('throws named errors on misuse', () => {
    expect(() => new Spot().update(1)).toThrow(ThresholdNotInferredError);
    expect(() => new Spot().threshold).toThrow(ThresholdNotInferredError);
    expect(() => new Spot({ q: 0.05, level: 0.98 })).toThrow(InvalidThresholdOptionsError);
    expect(() => new Spot({ maxPeaks: 1 })).toThrow(InvalidThresholdOptionsError);
    expect(() => new Dspot({ depth: 0 })).toThrow(InvalidThresholdOptionsError);
    expect(() => new Dspot({ depth: 10 }).fit([1, 2, 3])).toThrow(InvalidThresholdOptionsError);
  });
});

describe('DSPOT behaviour', () => {
  it('follows a level shift that makes SPOT alarm on every score', () => {
    const { init } = fixture.series['drifting']!;
    const spot = new Spot({ q: 1e-3 }).fit(init);
    const dspot = new Dspot({ q: 1e-3, depth: 20 }).fit(init);
    const last = init[init.length - 1]!;
    let spotAlarms = 0;
    let dspotAlarms = 0;
    // A slow ramp to +20 over 4000 scores, noise-free: a drift, not an anomaly.
    for (let i = 0; i < 4000; i++) {
      const score = last + (20 * i) / 4000 + 0.3 * Math.sin(i);
      if (spot.update(score).isAnomaly) spotAlarms++;
      if (dspot.update(score).isAnomaly) dspotAlarms++;
    }
    expect(spotAlarms).toBeGreaterThan(1000);
    expect(dspotAlarms).toBe(0);
    expect(dspot.driftLevel).toBeGreaterThan(last + 19);
  });
});
