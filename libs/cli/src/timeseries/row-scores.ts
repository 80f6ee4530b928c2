/**
 * From window scores back to rows: window w covers rows w … w + steps − 1 (stride 1) and is scored at its last
 * row, the moment a live detector would have seen it. Rows before the first full window get the first window's
 * score, so every input row has one.
 *
 * @example
 *   rowScores(Float32Array.of(0.2, 0.9), 3);   // [0.2, 0.2, 0.2, 0.9]
 */

export function rowScores(windowScores: Float32Array, steps: number): Float32Array {
  if (windowScores.length === 0) throw new RangeError('no window scores');
  const rows = new Float32Array(windowScores.length + steps - 1);
  rows.fill(windowScores[0]!, 0, steps - 1);
  rows.set(windowScores, steps - 1);
  return rows;
}

/** The scores CSV: time (or row number), score, threshold, is_anomaly (1 when score > threshold). */
export function scoresCsv(scores: Float32Array, threshold: number, time: { name: string; values: string[] } | undefined): string {
  const quote = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const lines = [`${quote(time?.name ?? 'row')},score,threshold,is_anomaly`];
  for (let r = 0; r < scores.length; r++) {
    const key = time ? quote(time.values[r]!) : String(r + 1);
    lines.push(`${key},${scores[r]!.toPrecision(6)},${threshold.toPrecision(6)},${scores[r]! > threshold ? 1 : 0}`);
  }
  return lines.join('\n') + '\n';
}
