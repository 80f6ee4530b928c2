/**
 * SQL for `vigil.anomaly_results`, built only from values a zod schema has validated (ClickHouse 18.16 has no
 * query parameters). Strings are quoted with `sqlString` as well, so a value that slipped past validation still
 * cannot leave its literal. Pages are ordered newest first by (window_start_ms, device_id), and the cursor is the
 * last row's pair, so a page is a range scan however deep the client pages (no OFFSET).
 *
 * @example
 *   anomaliesSql('vigil', { verdict: 'anomaly', limit: 50, deviceId: 'dev-0001' })
 */
import { z } from 'zod';
import type { AnomalyQuery } from './anomaly.schemas';

export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
}

const cursorSchema = z.object({ w: z.number().int().min(0), d: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/) }).strict();
export type Cursor = z.infer<typeof cursorSchema>;

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

export function decodeCursor(s: string): Cursor {
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(s, 'base64url').toString('utf8')));
  } catch {
    throw new InvalidCursorError('cursor is not one this API issued');
  }
}

/** A ClickHouse string literal. */
export function sqlString(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function sqlNumber(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`not a finite number: ${x}`);
  return String(x);
}

export const RESULT_COLUMNS =
  'device_id, window_start_ms, window_end_ms, model_version, modalities, modality_scores, modality_thresholds, missing_modalities, fused_score, fused_threshold, is_anomaly, root_cause_summary, processed_at_ms';

/**
 * Conditions of a query: on the window key (device, window start, cursor) and on the verdict (modality, verdict,
 * scores). `column` names the verdict columns (the latest version's aggregates in the second step).
 */
export function keyFilters(q: Omit<AnomalyQuery, 'limit'>): string[] {
  const where: string[] = [];
  if (q.deviceId !== undefined) where.push(`device_id = ${sqlString(q.deviceId)}`);
  if (q.from !== undefined) where.push(`window_start_ms >= ${sqlNumber(q.from)}`);
  if (q.to !== undefined) where.push(`window_start_ms < ${sqlNumber(q.to)}`);
  if (q.cursor !== undefined) {
    const c = decodeCursor(q.cursor);
    where.push(`(window_start_ms < ${sqlNumber(c.w)} OR (window_start_ms = ${sqlNumber(c.w)} AND device_id < ${sqlString(c.d)}))`);
  }
  return where;
}

export function verdictFilters(q: Omit<AnomalyQuery, 'limit'>, column: (name: string) => string = (n) => n): string[] {
  const where: string[] = [];
  if (q.modality !== undefined) where.push(`has(${column('modalities')}, ${sqlString(q.modality)})`);
  if (q.verdict === 'anomaly') where.push(`${column('is_anomaly')} = 1`);
  if (q.verdict === 'normal') where.push(`${column('is_anomaly')} = 0`);
  if (q.minScore !== undefined) where.push(`${column('fused_score')} >= ${sqlNumber(q.minScore)}`);
  if (q.maxScore !== undefined) where.push(`${column('fused_score')} <= ${sqlNumber(q.maxScore)}`);
  return where;
}

/**
 * Step 1 of a page: the keys of the next `limit + 1` matching windows, newest first, read without FINAL (on
 * ClickHouse 18.16 FINAL merges the whole table: seconds over a million rows, against tens of ms for this scan).
 */
export function anomalyKeysSql(database: string, q: AnomalyQuery): string {
  const where = [...keyFilters(q), ...verdictFilters(q)];
  return [
    `SELECT device_id, window_start_ms FROM ${database}.anomaly_results`,
    where.length > 0 ? `WHERE ${where.join(' AND ')}` : '',
    `ORDER BY window_start_ms DESC, device_id DESC LIMIT ${sqlNumber(q.limit + 1)}`,
  ]
    .filter(Boolean)
    .join(' ');
}

/** The columns of a result, each the value of the latest version of its window (what FINAL would keep). */
export const LATEST_COLUMNS = [
  'window_end_ms',
  'model_version',
  'modalities',
  'modality_scores',
  'modality_thresholds',
  'missing_modalities',
  'fused_score',
  'fused_threshold',
  'is_anomaly',
  'root_cause_summary',
]
  .map((c) => `argMax(${c}, processed_at_ms) AS latest_${c}`)
  .concat('max(processed_at_ms) AS latest_processed_at_ms')
  .join(', ');

/**
 * Step 2: the latest version of each of those windows, through the primary key, re-checked against the verdict
 * filters (a window whose newer version no longer matches drops out of the page).
 */
export function anomalyRowsSql(database: string, keys: ReadonlyArray<{ deviceId: string; windowStartMs: number }>, q: AnomalyQuery): string {
  const devices = [...new Set(keys.map((k) => k.deviceId))];
  const starts = keys.map((k) => k.windowStartMs);
  const having = verdictFilters(q, (n) => `latest_${n}`);
  return [
    `SELECT device_id, window_start_ms, ${LATEST_COLUMNS} FROM ${database}.anomaly_results`,
    `WHERE device_id IN (${devices.map(sqlString).join(', ')}) AND window_start_ms >= ${sqlNumber(Math.min(...starts))} AND window_start_ms <= ${sqlNumber(Math.max(...starts))}`,
    `AND (device_id, window_start_ms) IN (${keys.map((k) => `(${sqlString(k.deviceId)}, ${sqlNumber(k.windowStartMs)})`).join(', ')})`,
    'GROUP BY device_id, window_start_ms',
    having.length > 0 ? `HAVING ${having.join(' AND ')}` : '',
    'ORDER BY window_start_ms DESC, device_id DESC',
  ]
    .filter(Boolean)
    .join(' ');
}

export function windowSql(database: string, deviceId: string, windowStartMs: number): string {
  return `SELECT ${RESULT_COLUMNS}, root_cause_json FROM ${database}.anomaly_results FINAL WHERE device_id = ${sqlString(deviceId)} AND window_start_ms = ${sqlNumber(windowStartMs)} LIMIT 1`;
}
