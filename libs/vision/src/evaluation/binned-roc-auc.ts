/**
 * ROC-AUC over tens of millions of pixels without sorting them: scores are binned into a fine histogram per class
 * and the AUC is summed bin by bin (ties within a bin count half, as in the rank formula). With 2¹⁶ bins the
 * error against the exact AUC is far below the third decimal that is reported.
 *
 * @example
 *   const auc = new BinnedRocAuc(0, maxScore);
 *   auc.add(map, mask); // per image
 *   auc.value();
 */
export class BinnedRocAuc {
  private readonly positives: Float64Array;
  private readonly negatives: Float64Array;

  constructor(
    private readonly lo: number,
    private readonly hi: number,
    private readonly bins = 1 << 16,
  ) {
    this.positives = new Float64Array(bins);
    this.negatives = new Float64Array(bins);
  }

  add(scores: ArrayLike<number>, labels: ArrayLike<number>): void {
    const scale = this.bins / (this.hi - this.lo || 1);
    for (let i = 0; i < scores.length; i++) {
      const bin = Math.min(this.bins - 1, Math.max(0, Math.floor((scores[i]! - this.lo) * scale)));
      if (labels[i]) this.positives[bin]! += 1;
      else this.negatives[bin]! += 1;
    }
  }

  value(): number {
    let negativesBelow = 0;
    let area = 0;
    let totalPositives = 0;
    for (let b = 0; b < this.bins; b++) {
      area += this.positives[b]! * (negativesBelow + this.negatives[b]! / 2);
      negativesBelow += this.negatives[b]!;
      totalPositives += this.positives[b]!;
    }
    return area / (totalPositives * negativesBelow);
  }
}
