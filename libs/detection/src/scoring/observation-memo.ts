/**
 * One outcome per observation, per device: a sparse camera's frame sits in (or is carried into) every window of
 * its period — an image every 5 s in 3 s windows with a 1 s hop is in about five — and scoring it in each would
 * feed its per-device SPOT the same observation five times, a tail of duplicates that drags the threshold. The
 * detector scores an observation once, in the first window that has it, and the device's later windows with the
 * same observation take that outcome (judged against the threshold without learning from it again).
 *
 * Only each device's latest observation is kept: bounded by the fleet, and a frame older than the latest is
 * never carried. Outcomes are promises, so a window framed while the first one is still being scored (the same
 * call, or the next call of that device) waits for it instead of scoring the frame again.
 *
 * @example
 *   const memo = new ObservationMemo<Scored>();
 *   const prior = memo.get('dev-1', frameTimeMs);            // undefined → score it:
 *   const settle = memo.claim('dev-1', frameTimeMs);  …  settle(scored);
 */
import type { AlignedWindow } from '../windows/types';
import type { FrameInputs, ModalityScorer } from './modality-scorer';

export class ObservationMemo<T> {
  private readonly latest = new Map<string, { key: number; outcome: Promise<T | undefined> }>();

  /** The outcome of the device's observation `key` when it is the latest one claimed for the device. */
  get(deviceId: string, key: number): Promise<T | undefined> | undefined {
    const entry = this.latest.get(deviceId);
    return entry?.key === key ? entry.outcome : undefined;
  }

  /** Marks `key` as the device's latest observation, being scored; call the returned function with its outcome. */
  claim(deviceId: string, key: number): (outcome: T | undefined) => void {
    let settle!: (outcome: T | undefined) => void;
    const outcome = new Promise<T | undefined>((resolve) => (settle = resolve));
    this.latest.set(deviceId, { key, outcome });
    return settle;
  }

  /** Drops the device's claim on `key` if it is still the latest (its scoring failed: a retry scores it afresh). */
  release(deviceId: string, key: number): void {
    if (this.latest.get(deviceId)?.key === key) this.latest.delete(deviceId);
  }

  forget(deviceId: string): void {
    this.latest.delete(deviceId);
  }

  get devices(): number {
    return this.latest.size;
  }
}

/** The windows of one scoring call for one scorer: those to score, and how their outcomes reach every window. */
export interface FramedWindows<T> {
  /** Windows resting on an observation not scored before (or on none named): their model inputs, to score. */
  fresh: { window: AlignedWindow; inputs: FrameInputs }[];
  /**
   * Hands back the fresh windows' outcomes (in `fresh` order; undefined when scoring failed) and gives every
   * window that has one: the fresh ones, and the repeated ones (`repeated: true`) with their observation's outcome.
   */
  settle(outcomes: readonly T[] | undefined): Promise<Map<AlignedWindow, { outcome: T; repeated: boolean }>>;
}

/**
 * Frames `windows` for `scorer`, each observation once per device (`ModalityScorer.observationKey`): a window whose
 * observation was claimed before — in an earlier call or earlier in this one — is not framed again but waits for
 * that outcome. Windows without a key are all fresh, as before.
 */
export function frameOnce<T>(
  scorer: Pick<ModalityScorer, 'frame' | 'observationKey'>,
  memo: ObservationMemo<T>,
  windows: readonly AlignedWindow[],
): FramedWindows<T> {
  const fresh: { window: AlignedWindow; inputs: FrameInputs; key?: number; settle?: (outcome: T | undefined) => void }[] = [];
  const repeats: { window: AlignedWindow; prior: Promise<T | undefined> }[] = [];
  for (const window of windows) {
    const key = scorer.observationKey?.(window);
    const prior = key === undefined ? undefined : memo.get(window.deviceId, key);
    if (prior) {
      repeats.push({ window, prior });
      continue;
    }
    const inputs = scorer.frame(window);
    if (inputs) fresh.push({ window, inputs, key, settle: key === undefined ? undefined : memo.claim(window.deviceId, key) });
  }
  return {
    fresh,
    async settle(outcomes) {
      const out = new Map<AlignedWindow, { outcome: T; repeated: boolean }>();
      fresh.forEach((f, i) => {
        const outcome = outcomes?.[i];
        f.settle?.(outcome);
        if (outcome !== undefined) out.set(f.window, { outcome, repeated: false });
        else if (f.key !== undefined) memo.release(f.window.deviceId, f.key);
      });
      for (const { window, prior } of repeats) {
        const outcome = await prior;
        if (outcome !== undefined) out.set(window, { outcome, repeated: true });
      }
      return out;
    },
  };
}
