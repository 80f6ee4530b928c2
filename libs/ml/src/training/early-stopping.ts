/**
 * Early stopping on a monitored loss: stop after `patience` epochs without an improvement of more than
 * `minDelta`, and remember which epoch was best so the trainer can restore its weights.
 *
 * @example
 *   const stopper = new EarlyStopping({ patience: 5, minDelta: 1e-4 });
 *   if (stopper.update(epoch, valLoss).improved) snapshot();
 *   if (stopper.shouldStop) break;
 */

export interface EarlyStoppingOptions {
  patience: number;
  minDelta: number;
  /** Epochs before this one neither count as stale nor set the best (e.g. while KL annealing still ramps). */
  startEpoch?: number;
}

export class EarlyStopping {
  bestEpoch = -1;
  bestLoss = Number.POSITIVE_INFINITY;
  private staleEpochs = 0;

  constructor(private readonly options: EarlyStoppingOptions) {
    if (!(options.patience >= 1)) throw new Error(`patience must be ≥ 1, got ${options.patience}`);
  }

  update(epoch: number, loss: number): { improved: boolean } {
    if (epoch < (this.options.startEpoch ?? 0)) return { improved: false };
    if (Number.isFinite(loss) && loss < this.bestLoss - this.options.minDelta) {
      this.bestLoss = loss;
      this.bestEpoch = epoch;
      this.staleEpochs = 0;
      return { improved: true };
    }
    this.staleEpochs++;
    return { improved: false };
  }

  get shouldStop(): boolean {
    return this.staleEpochs >= this.options.patience;
  }
}
