/**
 * When to ask for a retrain, as a pure state machine: `stepRetrainPolicy(state, event, config)` returns the next
 * state and, at most once per drift episode, a retrain request.
 *
 *  - Evidence: drift persisting over `persistenceWindows` evaluated windows in a row, or `falseAlarmsToTrigger`
 *    operator "false alarm" verdicts since the last retrain (the model misjudges normal behaviour).
 *  - Episode: opens on the first drifted window (or on enough false alarms) and closes after
 *    `quietWindowsToClose` non-drifted windows in a row. One request per episode, so a lasting shift asks once,
 *    not on every window.
 *  - Blocks: a retrain in flight (until it finishes or `retrainTimeoutMs` passes), the cooldown since the last
 *    request or finished retrain, fewer than `minNormalSamples` normal (unflagged) vectors since the last
 *    promotion, and an operator-confirmed anomaly in the episode (the shift is a fault; training on it would
 *    teach the model the fault).
 *
 * @example
 *   let state = initialRetrainPolicyState();
 *   const { state: next, request } = stepRetrainPolicy(state, { kind: 'window', atMs, drifted: true, normalCount: 200 }, config);
 */

export interface RetrainPolicyConfig {
  persistenceWindows: number;
  quietWindowsToClose: number;
  cooldownMs: number;
  minNormalSamples: number;
  falseAlarmsToTrigger: number;
  retrainTimeoutMs: number;
}

export const DEFAULT_RETRAIN_POLICY: RetrainPolicyConfig = {
  persistenceWindows: 3,
  quietWindowsToClose: 3,
  cooldownMs: 30 * 60_000,
  minNormalSamples: 1_000,
  falseAlarmsToTrigger: 5,
  retrainTimeoutMs: 60 * 60_000,
};

export interface RetrainPolicyState {
  consecutiveDrifted: number;
  consecutiveQuiet: number;
  inEpisode: boolean;
  episodeStartMs: number | null;
  episodeRequested: boolean;
  episodeExplainedByFault: boolean;
  falseAlarms: number;
  normalSinceRetrain: number;
  lastRequestAtMs: number | null;
  lastFinishedAtMs: number | null;
  retrainInFlight: boolean;
  lastDriftEventId: string | null;
}

export type RetrainPolicyEvent =
  | { kind: 'window'; atMs: number; drifted: boolean; normalCount: number; driftEventId?: string }
  | { kind: 'operator-feedback'; atMs: number; verdict: 'false-alarm' | 'confirmed-anomaly' }
  | { kind: 'retrain-finished'; atMs: number; outcome: 'promoted' | 'rejected' | 'failed' | 'cancelled' }
  | { kind: 'model-changed'; atMs: number };

export type RetrainBlock = 'in-flight' | 'cooldown' | 'insufficient-normal-data' | 'explained-by-fault' | 'already-requested';

export interface RetrainRequestDecision {
  reason: 'drift-persisted' | 'operator-false-alarms';
  episodeStartMs: number;
  driftEventId: string | null;
  normalSamples: number;
}

export interface RetrainPolicyStep {
  state: RetrainPolicyState;
  request: RetrainRequestDecision | null;
  /** Why evidence did not become a request (for a metric and a log line). */
  blockedBy: RetrainBlock | null;
}

export function initialRetrainPolicyState(): RetrainPolicyState {
  return {
    consecutiveDrifted: 0,
    consecutiveQuiet: 0,
    inEpisode: false,
    episodeStartMs: null,
    episodeRequested: false,
    episodeExplainedByFault: false,
    falseAlarms: 0,
    normalSinceRetrain: 0,
    lastRequestAtMs: null,
    lastFinishedAtMs: null,
    retrainInFlight: false,
    lastDriftEventId: null,
  };
}

function openEpisode(state: RetrainPolicyState, atMs: number): void {
  if (state.inEpisode) return;
  Object.assign(state, { inEpisode: true, episodeStartMs: atMs, episodeRequested: false, episodeExplainedByFault: false });
}

function blockFor(state: RetrainPolicyState, atMs: number, config: RetrainPolicyConfig): RetrainBlock | null {
  if (state.episodeRequested) return 'already-requested';
  if (state.episodeExplainedByFault) return 'explained-by-fault';
  if (state.retrainInFlight) return 'in-flight';
  const lastActivity = Math.max(state.lastRequestAtMs ?? -Infinity, state.lastFinishedAtMs ?? -Infinity);
  if (atMs - lastActivity < config.cooldownMs) return 'cooldown';
  if (state.normalSinceRetrain < config.minNormalSamples) return 'insufficient-normal-data';
  return null;
}

function applyEvent(state: RetrainPolicyState, event: RetrainPolicyEvent, config: RetrainPolicyConfig): void {
  switch (event.kind) {
    case 'window':
      state.normalSinceRetrain += event.normalCount;
      if (event.drifted) {
        state.consecutiveDrifted++;
        state.consecutiveQuiet = 0;
        state.lastDriftEventId = event.driftEventId ?? state.lastDriftEventId;
        openEpisode(state, event.atMs);
      } else {
        state.consecutiveDrifted = 0;
        state.consecutiveQuiet++;
        if (state.inEpisode && state.consecutiveQuiet >= config.quietWindowsToClose) state.inEpisode = false;
      }
      return;
    case 'operator-feedback':
      if (event.verdict === 'false-alarm') state.falseAlarms++;
      else if (state.inEpisode) state.episodeExplainedByFault = true;
      return;
    case 'retrain-finished':
      state.retrainInFlight = false;
      state.lastFinishedAtMs = event.atMs;
      if (event.outcome === 'promoted') {
        state.normalSinceRetrain = 0;
        state.falseAlarms = 0;
      }
      return;
    case 'model-changed':
      // A new live model has a new latent space and a new reference: evidence against the old one is void.
      Object.assign(state, {
        consecutiveDrifted: 0,
        consecutiveQuiet: 0,
        inEpisode: false,
        episodeStartMs: null,
        episodeRequested: false,
        episodeExplainedByFault: false,
        falseAlarms: 0,
      });
      return;
  }
}

export function stepRetrainPolicy(
  previous: RetrainPolicyState,
  event: RetrainPolicyEvent,
  config: RetrainPolicyConfig = DEFAULT_RETRAIN_POLICY,
): RetrainPolicyStep {
  const state: RetrainPolicyState = { ...previous };
  if (state.retrainInFlight && state.lastRequestAtMs !== null && event.atMs - state.lastRequestAtMs >= config.retrainTimeoutMs) state.retrainInFlight = false;
  applyEvent(state, event, config);

  const driftPersisted = state.consecutiveDrifted >= config.persistenceWindows;
  const operatorEvidence = state.falseAlarms >= config.falseAlarmsToTrigger;
  if (!driftPersisted && !operatorEvidence) return { state, request: null, blockedBy: null };
  if (operatorEvidence) openEpisode(state, event.atMs);

  const blockedBy = blockFor(state, event.atMs, config);
  if (blockedBy) return { state, request: null, blockedBy: blockedBy === 'already-requested' ? null : blockedBy };

  const request: RetrainRequestDecision = {
    reason: driftPersisted ? 'drift-persisted' : 'operator-false-alarms',
    episodeStartMs: state.episodeStartMs ?? event.atMs,
    driftEventId: state.lastDriftEventId,
    normalSamples: state.normalSinceRetrain,
  };
  Object.assign(state, { episodeRequested: true, retrainInFlight: true, lastRequestAtMs: event.atMs, falseAlarms: 0 });
  return { state, request, blockedBy: null };
}
