/**
 * Operating-condition (flight regime) clustering from the 3 C-MAPSS settings. FD002/FD004 fly six regimes whose
 * settings sit in tight, well-separated clusters, so k-means on standardised settings recovers them exactly;
 * FD001/FD003 have one. Initialisation is deterministic (farthest-point), and centroids are sorted so regime
 * ids are stable across runs. The fitted model is plain JSON so a saved model can assign regimes the same way.
 *
 * @example
 *   const regimes = fitOperatingConditions(trainRows, CONDITION_COUNT.FD002);
 *   const id = regimes.assign(row.settings);            // 0..5
 *   const again = OperatingConditions.fromJSON(JSON.parse(JSON.stringify(regimes)));
 */

export interface OperatingConditionsJson {
  kind: 'cmapss-operating-conditions';
  version: 1;
  /** Centroids in raw setting units, `[k][settings]`. */
  centroids: number[][];
  /** Per-setting scale used for distances (the training std; 1 where the setting is constant). */
  scale: number[];
}

export class OperatingConditions {
  constructor(
    readonly centroids: readonly (readonly number[])[],
    readonly scale: readonly number[],
  ) {
    if (centroids.length === 0) throw new RangeError('at least one operating condition is required');
    for (const c of centroids) if (c.length !== scale.length) throw new RangeError('centroid and scale lengths differ');
  }

  get count(): number {
    return this.centroids.length;
  }

  /** Index of the nearest centroid in standardised setting space. */
  assign(settings: ArrayLike<number>): number {
    let best = 0;
    let bestDistance = Number.POSITIVE_INFINITY;
    this.centroids.forEach((centroid, k) => {
      const d = scaledDistance(settings, centroid, this.scale);
      if (d < bestDistance) {
        bestDistance = d;
        best = k;
      }
    });
    return best;
  }

  toJSON(): OperatingConditionsJson {
    return { kind: 'cmapss-operating-conditions', version: 1, centroids: this.centroids.map((c) => [...c]), scale: [...this.scale] };
  }

  static fromJSON(json: OperatingConditionsJson): OperatingConditions {
    if (json?.kind !== 'cmapss-operating-conditions' || json.version !== 1) throw new TypeError('not a v1 cmapss-operating-conditions object');
    return new OperatingConditions(json.centroids, json.scale);
  }
}

function scaledDistance(a: ArrayLike<number>, b: ArrayLike<number>, scale: readonly number[]): number {
  let sum = 0;
  for (let j = 0; j < scale.length; j++) {
    const d = (a[j]! - b[j]!) / scale[j]!;
    sum += d * d;
  }
  return sum;
}

/** k-means on the rows' settings (standardised), deterministic farthest-point init, at most `maxIterations` Lloyd steps. */
export function fitOperatingConditions(rows: readonly { settings: ArrayLike<number> }[], k: number, maxIterations = 50): OperatingConditions {
  if (rows.length === 0) throw new RangeError('no rows to cluster');
  if (!Number.isInteger(k) || k < 1 || k > rows.length) throw new RangeError(`k must be an integer in 1..${rows.length}, got ${k}`);
  const dims = rows[0]!.settings.length;
  const points = rows.map((r) => Array.from(r.settings));
  const scale = Array.from({ length: dims }, (_, j) => {
    const values = points.map((p) => p[j]!);
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    const std = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
    return std > 0 ? std : 1;
  });

  const centroids: number[][] = [points[0]!];
  const nearest = points.map((p) => scaledDistance(p, centroids[0]!, scale));
  while (centroids.length < k) {
    let far = 0;
    for (let i = 1; i < points.length; i++) if (nearest[i]! > nearest[far]!) far = i;
    centroids.push(points[far]!);
    for (let i = 0; i < points.length; i++) nearest[i] = Math.min(nearest[i]!, scaledDistance(points[i]!, points[far]!, scale));
  }

  const assignment = new Int32Array(points.length).fill(-1);
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    const model = new OperatingConditions(centroids, scale);
    let changed = false;
    points.forEach((p, i) => {
      const c = model.assign(p);
      if (c !== assignment[i]) {
        assignment[i] = c;
        changed = true;
      }
    });
    if (!changed) break;
    for (let c = 0; c < k; c++) {
      const members = points.filter((_, i) => assignment[i] === c);
      if (members.length === 0) continue; // keep an empty cluster's centroid where it was
      centroids[c] = Array.from({ length: dims }, (_, j) => members.reduce((s, p) => s + p[j]!, 0) / members.length);
    }
  }
  const ordered = [...centroids].sort((a, b) => a.reduce((acc, v, j) => acc || v - b[j]!, 0));
  return new OperatingConditions(ordered, scale);
}
