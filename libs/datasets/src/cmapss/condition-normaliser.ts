/**
 * Per-operating-condition z-normalisation of selected sensors, fitted on training rows only. In multi-regime
 * subsets (FD002/FD004) the regime explains most of each sensor's variance; normalising within the regime leaves
 * the degradation trend. The normaliser is serialisable (toJSON/fromJSON) so a saved model carries the exact
 * statistics it was trained with.
 *
 * @example
 *   const normaliser = fitConditionNormaliser(trainRows, { sensors, conditions });
 *   const z = normaliser.transformRow(row);              // Float32Array, one value per selected sensor
 *   const saved = JSON.stringify(normaliser);            // later: ConditionNormaliser.fromJSON(JSON.parse(saved))
 */
import { type CmapssRow } from './cmapss-format';
import { OperatingConditions, type OperatingConditionsJson } from './operating-conditions';
import { sensorIndices } from './sensor-selection';

export interface ConditionNormaliserJson {
  kind: 'cmapss-condition-normaliser';
  version: 1;
  sensors: string[];
  conditions: OperatingConditionsJson;
  /** `[condition][sensor]` training means and standard deviations (std 1 where a sensor was constant). */
  mean: number[][];
  std: number[][];
}

export class ConditionNormaliser {
  private readonly indices: number[];

  constructor(
    readonly sensors: readonly string[],
    readonly conditions: OperatingConditions,
    readonly mean: readonly (readonly number[])[],
    readonly std: readonly (readonly number[])[],
  ) {
    this.indices = sensorIndices(sensors);
    if (mean.length !== conditions.count || std.length !== conditions.count) throw new RangeError('one mean/std row per condition is required');
  }

  /** The row's condition id. */
  conditionOf(row: Pick<CmapssRow, 'settings'>): number {
    return this.conditions.assign(row.settings);
  }

  /** The selected sensors of one row, z-normalised with its condition's statistics. */
  transformRow(row: Pick<CmapssRow, 'settings' | 'sensors'>): Float32Array {
    const c = this.conditionOf(row);
    const mean = this.mean[c]!;
    const std = this.std[c]!;
    return Float32Array.from(this.indices, (s, j) => (row.sensors[s]! - mean[j]!) / std[j]!);
  }

  toJSON(): ConditionNormaliserJson {
    return {
      kind: 'cmapss-condition-normaliser',
      version: 1,
      sensors: [...this.sensors],
      conditions: this.conditions.toJSON(),
      mean: this.mean.map((m) => [...m]),
      std: this.std.map((s) => [...s]),
    };
  }

  static fromJSON(json: ConditionNormaliserJson): ConditionNormaliser {
    if (json?.kind !== 'cmapss-condition-normaliser' || json.version !== 1) throw new TypeError('not a v1 cmapss-condition-normaliser object');
    return new ConditionNormaliser(json.sensors, OperatingConditions.fromJSON(json.conditions), json.mean, json.std);
  }
}

export interface FitNormaliserOptions {
  sensors: readonly string[];
  conditions: OperatingConditions;
}

/** Fits per-condition mean and population std of each selected sensor. A condition with no rows throws. */
export function fitConditionNormaliser(trainRows: readonly CmapssRow[], options: FitNormaliserOptions): ConditionNormaliser {
  const { sensors, conditions } = options;
  const indices = sensorIndices(sensors);
  const k = conditions.count;
  const count = new Float64Array(k);
  const sum = Array.from({ length: k }, () => new Float64Array(indices.length));
  const sumSq = Array.from({ length: k }, () => new Float64Array(indices.length));
  for (const row of trainRows) {
    const c = conditions.assign(row.settings);
    count[c]! += 1;
    indices.forEach((s, j) => {
      const v = row.sensors[s]!;
      sum[c]![j]! += v;
      sumSq[c]![j]! += v * v;
    });
  }
  const mean: number[][] = [];
  const std: number[][] = [];
  for (let c = 0; c < k; c++) {
    const n = count[c]!;
    if (n === 0) throw new RangeError(`operating condition ${c} has no training rows`);
    mean.push(Array.from(sum[c]!, (s) => s / n));
    std.push(
      Array.from(sumSq[c]!, (sq, j) => {
        const m = mean[c]![j]!;
        const sd = Math.sqrt(Math.max(0, sq / n - m * m));
        // Relative floor: below it the "spread" is float rounding of a constant sensor, not signal.
        return sd > 1e-9 * Math.max(1, Math.abs(m)) ? sd : 1;
      }),
    );
  }
  return new ConditionNormaliser(sensors, conditions, mean, std);
}
