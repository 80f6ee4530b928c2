import { describe, expect, it } from 'vitest';
import {
  initialRetrainPolicyState,
  stepRetrainPolicy,
  type RetrainPolicyConfig,
  type RetrainPolicyEvent,
  type RetrainPolicyStep,
} from './retrain-trigger-policy';

const config: RetrainPolicyConfig = {
  persistenceWindows: 3,
  quietWindowsToClose: 2,
  cooldownMs: 10_000,
  minNormalSamples: 500,
  falseAlarmsToTrigger: 3,
  retrainTimeoutMs: 60_000,
};
const MINUTE = 60_000;

/** Runs events through the policy; windows are 1 s apart unless given. */
function run(events: RetrainPolicyEvent[]): RetrainPolicyStep[] {
  let state = initialRetrainPolicyState();
  return events.map((event) => {
    const step = stepRetrainPolicy(state, event, config);
    state = step.state;
    return step;
  });
}

const windows = (from: number, pattern: string, normalCount = 200): RetrainPolicyEvent[] =>
  [...pattern].map((c, i) => ({
    kind: 'window',
    atMs: from + i * 1_000,
    drifted: c === 'D',
    normalCount,
    driftEventId: c === 'D' ? `e${from + i}` : undefined,
  }));

const requests = (steps: RetrainPolicyStep[]) => steps.map((s, i) => (s.request ? i : -1)).filter((i) => i >= 0);

describe('stepRetrainPolicy', () => {
  it('asks once when drift persists over N windows, however long the episode lasts', () => {
    const steps = run(windows(MINUTE, '..DDDDDDDDDDDDDDDDDD'));
    expect(requests(steps)).toEqual([4]);
    expect(steps[4]!.request).toMatchObject({ reason: 'drift-persisted', episodeStartMs: MINUTE + 2_000, driftEventId: `e${MINUTE + 4}` });
  });

  it('ignores drift that does not persist (isolated false alarms of the tests)', () => {
    expect(requests(run(windows(MINUTE, 'D.DD.D.DD.DD.D')))).toEqual([]);
  });

  it('a failed or rejected retrain does not start a storm: the same episode never asks again', () => {
    const steps = run([
      ...windows(MINUTE, 'DDD'),
      { kind: 'retrain-finished', atMs: MINUTE + 5_000, outcome: 'rejected' },
      ...windows(MINUTE + 100_000, 'DDDDDD'),
    ]);
    expect(requests(steps)).toEqual([2]);
  });

  it('a new episode after quiet windows asks again once the cooldown has passed', () => {
    const steps = run([
      ...windows(MINUTE, 'DDD'),
      { kind: 'retrain-finished', atMs: MINUTE + 4_000, outcome: 'rejected' },
      ...windows(MINUTE + 5_000, '..DDD'), // new episode inside the cooldown: blocked
      ...windows(MINUTE + 20_000, '..DDD'), // next episode after the cooldown: asks
    ]);
    expect(requests(steps)).toEqual([2, 13]);
    expect(steps[8]!.blockedBy).toBe('cooldown');
  });

  it('waits for enough normal data, then asks within the same episode', () => {
    const steps = run(windows(MINUTE, 'DDDDD', 120));
    expect(steps[2]!.blockedBy).toBe('insufficient-normal-data');
    expect(requests(steps)).toEqual([4]);
  });

  it('does not ask while a retrain is in flight, until it times out', () => {
    const steps = run([...windows(MINUTE, 'DDD'), ...windows(MINUTE + 20_000, '..DDD'), ...windows(MINUTE + 90_000, '..DDD')]);
    expect(steps[7]!.blockedBy).toBe('in-flight');
    expect(requests(steps)).toEqual([2, 12]);
  });

  it('an operator-confirmed anomaly explains the episode: no request for it', () => {
    const steps = run([
      ...windows(MINUTE, 'DD'),
      { kind: 'operator-feedback', atMs: MINUTE + 2_500, verdict: 'confirmed-anomaly' },
      ...windows(MINUTE + 3_000, 'DDDD'),
    ]);
    expect(requests(steps)).toEqual([]);
    expect(steps[4]!.blockedBy).toBe('explained-by-fault');
  });

  it('operator false alarms count as evidence without statistical drift', () => {
    const feedback = (atMs: number): RetrainPolicyEvent => ({ kind: 'operator-feedback', atMs, verdict: 'false-alarm' });
    const steps = run([...windows(MINUTE, '....'), feedback(MINUTE + 5_000), feedback(MINUTE + 6_000), feedback(MINUTE + 7_000)]);
    expect(requests(steps)).toEqual([6]);
    expect(steps[6]!.request!.reason).toBe('operator-false-alarms');
  });

  it('a promotion resets the normal-data count; a model change voids the evidence', () => {
    const steps = run([
      ...windows(MINUTE, 'DDD'),
      { kind: 'retrain-finished', atMs: MINUTE + 3_000, outcome: 'promoted' },
      { kind: 'model-changed', atMs: MINUTE + 3_500 },
      ...windows(MINUTE + 20_000, 'DDDD', 100),
    ]);
    expect(requests(steps)).toEqual([2]);
    expect(steps[8]!.blockedBy).toBe('insufficient-normal-data');
    expect(steps[8]!.state.normalSinceRetrain).toBe(400);
  });

  it('does not mutate the previous state', () => {
    const state = initialRetrainPolicyState();
    stepRetrainPolicy(state, { kind: 'window', atMs: 1, drifted: true, normalCount: 5 }, config);
    expect(state).toEqual(initialRetrainPolicyState());
  });
});
