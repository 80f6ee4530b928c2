/**
 * Closed windows between the batch that closed them and their durability: their events' offsets stay held (no
 * partition commits past them), their scoring runs without the batch waiting for it, and a failure of either
 * is kept for the next batch to raise (which makes kafkajs replay from the committed offsets).
 *
 * Why the batch does not wait: kafkajs fetches again only once every batch of its last fetch has returned. A
 * handler that waited for the micro-batcher's deadline and the model calls held back the next events of every
 * partition; with sound and images, three topics' batches queued behind the workers, and windows waited for
 * the fetch instead of for their data. Waiting comes back only as backpressure: past `maxScoringWindows`
 * windows in scoring, or `maxPendingOutputs` outputs the sink has not written, `start` resolves only once the
 * new windows are scored (respectively durable).
 *
 * @example
 *   const inFlight = new WindowsInFlight({ maxScoringWindows: 256, maxPendingOutputs: 20_000 }, hooks);
 *   await inFlight.start(windows, (ws) => scoring.process(ws), () => scoring.pendingOutputs);
 *   inFlight.heldOffset('sensor.readings.v1#3');   // commits on that partition stop here
 */
import { type AlignedWindow, keepMinOffset } from '@vigil/detection';

export interface WindowsInFlightLimits {
  maxScoringWindows: number;
  maxPendingOutputs: number;
}

export interface WindowsInFlightHooks {
  scoringFailed(err: unknown): void;
  writeFailed(err: unknown): void;
  written(): void;
}

/** What scoring returns: resolves once scored, with the durability of the outputs still to come. */
export type ProcessWindows = (windows: AlignedWindow[]) => Promise<{ durable: Promise<void> }>;

export class WindowsInFlight {
  /** Smallest offsets per topic-partition of each group of windows not yet durable. */
  private readonly held = new Set<Map<string, string>>();
  private scoringWindows = 0;
  /** Neither set's promises reject: failures go to `failure`. */
  private readonly scoring = new Set<Promise<void>>();
  private readonly durable = new Set<Promise<void>>();
  private failure: unknown;
  private failed = false;

  constructor(
    private readonly limits: WindowsInFlightLimits,
    private readonly hooks: WindowsInFlightHooks,
  ) {}

  /**
   * Holds the windows' offsets now (before the caller computes its commit), starts their scoring and returns
   * without waiting for it unless scoring or the sink is behind (see the module note).
   */
  async start(windows: AlignedWindow[], process: ProcessWindows, pendingOutputs: () => number): Promise<void> {
    const held = new Map<string, string>();
    for (const w of windows) for (const [key, offset] of w.heldOffsets) keepMinOffset(held, key, offset);
    this.held.add(held);
    this.scoringWindows += windows.length;
    const processing = process(windows);
    const scored = processing.then(
      () => {},
      (err: unknown) => {
        this.fail(err);
        this.hooks.scoringFailed(err);
      },
    );
    void scored.then(() => (this.scoringWindows -= windows.length));
    // A failed write keeps its offsets held (never committed) until the replay after the next rejoin (reset()).
    const settled = processing.then(
      ({ durable }) =>
        durable.then(
          () => {
            this.held.delete(held);
            this.hooks.written();
          },
          (err: unknown) => {
            this.fail(err);
            this.hooks.writeFailed(err);
          },
        ),
      () => {}, // reported by `scored`
    );
    track(this.scoring, scored);
    track(this.durable, settled);
    if (this.scoringWindows > this.limits.maxScoringWindows) await scored;
    if (pendingOutputs() > this.limits.maxPendingOutputs) await settled;
  }

  /** Smallest offset of `partitionKey` (`topic#partition`) among windows not yet durable. */
  heldOffset(partitionKey: string): string | undefined {
    const into = new Map<string, string>();
    for (const pending of this.held) {
      const offset = pending.get(partitionKey);
      if (offset !== undefined) keepMinOffset(into, partitionKey, offset);
    }
    return into.get(partitionKey);
  }

  /** The first failure since the last take or reset, once: the caller fails its batch with it. */
  takeFailure(): { error: unknown } | undefined {
    if (!this.failed) return undefined;
    const error = this.failure;
    this.failed = false;
    this.failure = undefined;
    return { error };
  }

  /** Waits for every started window's scoring, then `flush` (the sink's buffers), then their durability. */
  async drain(flush: () => Promise<void>): Promise<void> {
    await Promise.all([...this.scoring]);
    await flush();
    await Promise.all([...this.durable]);
  }

  /** After a rejoin: the replay re-emits whatever had not become durable, so nothing stays held for it. */
  reset(): void {
    this.held.clear();
    this.failed = false;
    this.failure = undefined;
  }

  get windowsInScoring(): number {
    return this.scoringWindows;
  }

  private fail(err: unknown): void {
    if (this.failed) return;
    this.failed = true;
    this.failure = err;
  }
}

function track(set: Set<Promise<void>>, p: Promise<void>): void {
  set.add(p);
  void p.then(() => set.delete(p));
}
