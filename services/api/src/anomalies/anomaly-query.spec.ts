import { describe, expect, it } from 'vitest';
import { anomalyKeysSql, anomalyRowsSql, decodeCursor, encodeCursor, InvalidCursorError, sqlString } from './anomaly-query';

describe('anomaly SQL', () => {
  it('selects the keys of one row more than the page with every filter and the cursor range', () => {
    const cursor = encodeCursor({ w: 5000, d: 'dev-0002' });
    expect(
      anomalyKeysSql('vigil', {
        deviceId: 'dev-1',
        modality: 'AUDIO',
        from: 1000,
        to: 9000,
        verdict: 'anomaly',
        minScore: 0.5,
        maxScore: 9,
        limit: 50,
        cursor,
      }),
    ).toBe(
      "SELECT device_id, window_start_ms FROM vigil.anomaly_results WHERE device_id = 'dev-1' AND window_start_ms >= 1000 AND window_start_ms < 9000 AND (window_start_ms < 5000 OR (window_start_ms = 5000 AND device_id < 'dev-0002')) AND has(modalities, 'AUDIO') AND is_anomaly = 1 AND fused_score >= 0.5 AND fused_score <= 9 ORDER BY window_start_ms DESC, device_id DESC LIMIT 51",
    );
    expect(anomalyKeysSql('vigil', { verdict: 'all', limit: 10 })).toBe(
      'SELECT device_id, window_start_ms FROM vigil.anomaly_results ORDER BY window_start_ms DESC, device_id DESC LIMIT 11',
    );
  });

  it('reads the latest version of those keys and re-checks the verdict on it', () => {
    const sql = anomalyRowsSql(
      'vigil',
      [
        { deviceId: 'a', windowStartMs: 2000 },
        { deviceId: 'b', windowStartMs: 1000 },
      ],
      { verdict: 'anomaly', minScore: 1, limit: 2 },
    );
    expect(sql).toContain(
      "WHERE device_id IN ('a', 'b') AND window_start_ms >= 1000 AND window_start_ms <= 2000 AND (device_id, window_start_ms) IN (('a', 2000), ('b', 1000))",
    );
    expect(sql).toContain('argMax(is_anomaly, processed_at_ms) AS latest_is_anomaly');
    expect(sql).toContain('GROUP BY device_id, window_start_ms HAVING latest_is_anomaly = 1 AND latest_fused_score >= 1 ORDER BY');
  });

  it('keeps any string inside its literal, even one that skipped validation', () => {
    expect(sqlString("x' OR 1=1 --")).toBe("'x\\' OR 1=1 --'");
    expect(sqlString('a\\')).toBe("'a\\\\'");
  });

  it('refuses numbers that are not finite and cursors it did not issue', () => {
    expect(() => anomalyKeysSql('vigil', { verdict: 'all', limit: 10, minScore: Number.NaN })).toThrow(RangeError);
    expect(() => decodeCursor('not-a-cursor')).toThrow(InvalidCursorError);
    expect(() => decodeCursor(Buffer.from(JSON.stringify({ w: 1, d: "x' OR 1=1" })).toString('base64url'))).toThrow(InvalidCursorError);
    expect(decodeCursor(encodeCursor({ w: 7, d: 'dev-1' }))).toEqual({ w: 7, d: 'dev-1' });
  });
});
