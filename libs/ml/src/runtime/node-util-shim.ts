/**
 * tfjs-node 4.22.0 calls `util.isNullOrUndefined` and `util.isArray` (in its saved-model and callback code), two
 * deprecated `node:util` functions: Node 23 removed the first (on Node 24 most of tfjs-node then fails with
 * "util_1.isNullOrUndefined is not a function") and made the second warn at run time (DEP0044, a non-JSON line
 * on stderr at the first tensor op). The loader puts back the missing one and replaces the warning one, with
 * their documented behaviour, before tfjs-node is first required.
 *
 * Drop this file when tfjs-node ships tensorflow/tfjs#8425 (merged, unreleased as of 4.22.0; tracked in
 * tensorflow/tfjs#8609): `restoreRemovedNodeUtil()` then finds nothing missing and `restored` stays empty.
 */
import * as nodeUtil from 'node:util';

type UtilWithRemoved = typeof nodeUtil & {
  isNullOrUndefined?: (value: unknown) => boolean;
  isArray?: (value: unknown) => boolean;
};

const REMOVED: Record<'isNullOrUndefined' | 'isArray', (value: unknown) => boolean> = {
  isNullOrUndefined: (value) => value === null || value === undefined,
  isArray: (value) => Array.isArray(value),
};

const nodeMajor = Number(process.versions.node.split('.')[0]);

/**
 * Restores the functions that are missing, and on Node ≥ 23 replaces the runtime-deprecated ones; returns the
 * names it set (none on Node ≤ 22, none on a second call).
 */
export function restoreRemovedNodeUtil(util: object = nodeUtil, major = nodeMajor): string[] {
  const target = (util as { default?: object }).default ?? util;
  const restored: string[] = [];
  for (const [name, fn] of Object.entries(REMOVED)) {
    const current = (target as UtilWithRemoved)[name as keyof typeof REMOVED];
    if (current === fn || (typeof current === 'function' && major < 23)) continue;
    Object.defineProperty(target, name, { value: fn, writable: true, configurable: true, enumerable: false });
    restored.push(name);
  }
  return restored;
}
