/**
 * A content hash of training data, stored in every model manifest so a model can be traced to the exact values
 * it was trained on (same values and shape → same fingerprint, on any machine).
 *
 * @example
 *   dataFingerprint([windows.data], { steps: 30, channels: 14 });   // 'sha256:9f…'
 */
import { createHash } from 'node:crypto';

export function dataFingerprint(arrays: readonly ArrayBufferView[], shape: Record<string, number | string> = {}): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify(Object.entries(shape).sort(([a], [b]) => a.localeCompare(b))));
  for (const array of arrays) hash.update(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
  return `sha256:${hash.digest('hex')}`;
}
