/**
 * Which C-MAPSS sensors carry information. In FD001 seven sensors are constant or nearly so (s1, s5, s10, s16,
 * s18, s19 take one value; s6 takes two, 98% of rows at one of them), leaving the 14 used throughout the
 * literature. `selectInformativeSensors` derives the same list from data: a sensor is dropped when, within an
 * operating condition, one value covers at least `maxModeFraction` of the rows (weighted over conditions) —
 * a mode test rather than a variance cut-off because the sensors' scales differ by four orders of magnitude and
 * s6's tiny spread is quantisation, not signal.
 *
 * @example
 *   const sensors = selectInformativeSensors(train, { conditionOf: (r) => regimes.assign(r.settings) });
 *   // FD001 → ['s2','s3','s4','s7','s8','s9','s11','s12','s13','s14','s15','s17','s20','s21']
 */
import { SENSOR_NAMES, type CmapssRow } from './cmapss-format';

/** The 14 informative FD001 sensors (checked against train_FD001.txt in sensor-selection.spec.ts). */
export const FD001_INFORMATIVE_SENSORS: readonly string[] = ['s2', 's3', 's4', 's7', 's8', 's9', 's11', 's12', 's13', 's14', 's15', 's17', 's20', 's21'];

export interface SensorSelectionOptions {
  /** Drop a sensor whose most frequent value covers at least this share of rows. Default 0.95. */
  maxModeFraction?: number;
  /** Operating condition of a row; the test runs within each condition. Default: one condition. */
  conditionOf?: (row: CmapssRow) => number;
}

export interface SensorSpread {
  sensor: string;
  /** Row-weighted mean over conditions of the share of rows at the sensor's modal value. */
  modeFraction: number;
  /** Row-weighted mean of within-condition standard deviations. */
  std: number;
}

/** Per-sensor spread statistics behind the selection, for reports. */
export function sensorSpread(rows: readonly CmapssRow[], conditionOf: (row: CmapssRow) => number = () => 0): SensorSpread[] {
  if (rows.length === 0) throw new RangeError('no rows');
  const groups = new Map<number, CmapssRow[]>();
  for (const row of rows) {
    const c = conditionOf(row);
    const group = groups.get(c);
    if (group) group.push(row);
    else groups.set(c, [row]);
  }
  return SENSOR_NAMES.map((sensor, s) => {
    let modeFraction = 0;
    let std = 0;
    for (const group of groups.values()) {
      const weight = group.length / rows.length;
      const counts = new Map<number, number>();
      let sum = 0;
      for (const row of group) {
        const v = row.sensors[s]!;
        counts.set(v, (counts.get(v) ?? 0) + 1);
        sum += v;
      }
      const mean = sum / group.length;
      const variance = group.reduce((acc, row) => acc + (row.sensors[s]! - mean) ** 2, 0) / group.length;
      modeFraction += weight * (Math.max(...counts.values()) / group.length);
      std += weight * Math.sqrt(variance);
    }
    return { sensor, modeFraction, std };
  });
}

/** Sensors that vary within operating conditions, in s1…s21 order. */
export function selectInformativeSensors(rows: readonly CmapssRow[], options: SensorSelectionOptions = {}): string[] {
  const maxModeFraction = options.maxModeFraction ?? 0.95;
  return sensorSpread(rows, options.conditionOf)
    .filter((s) => s.std > 0 && s.modeFraction < maxModeFraction)
    .map((s) => s.sensor);
}

/** Indices into `CmapssRow.sensors` for sensor names; throws on an unknown name. */
export function sensorIndices(sensors: readonly string[]): number[] {
  return sensors.map((name) => {
    const index = SENSOR_NAMES.indexOf(name);
    if (index < 0) throw new RangeError(`unknown C-MAPSS sensor "${name}" (expected s1..s21)`);
    return index;
  });
}
