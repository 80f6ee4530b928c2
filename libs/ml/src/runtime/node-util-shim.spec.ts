import { describe, expect, it } from 'vitest';
import { restoreRemovedNodeUtil } from './node-util-shim';

describe('restoreRemovedNodeUtil', () => {
  it('puts back the two functions tfjs-node 4.22 calls, with their documented behaviour', () => {
    const util: Record<string, unknown> = {};
    expect(restoreRemovedNodeUtil(util, 24)).toEqual(['isNullOrUndefined', 'isArray']);
    const isNullOrUndefined = util.isNullOrUndefined as (v: unknown) => boolean;
    const isArray = util.isArray as (v: unknown) => boolean;
    expect([null, undefined, 0, '', false].map(isNullOrUndefined)).toEqual([true, true, false, false, false]);
    expect([[], [1], {}, 'a', new Float32Array(1)].map(isArray)).toEqual([true, true, false, false, false]);
  });

  it('leaves Node 22 and older alone, and replaces the runtime-deprecated (warning) ones on Node 23+', () => {
    const own = () => true;
    const util = { isNullOrUndefined: own, isArray: own };
    expect(restoreRemovedNodeUtil(util, 22)).toEqual([]);
    expect(util.isNullOrUndefined).toBe(own);
    expect(restoreRemovedNodeUtil(util, 24)).toEqual(['isNullOrUndefined', 'isArray']);
    expect(restoreRemovedNodeUtil(util, 24)).toEqual([]);
  });

  it('has run on the real node:util once the ML runtime is loaded, whatever the Node version', async () => {
    await import('./index');
    const util = (await import('node:util')) as unknown as Record<string, unknown>;
    expect(typeof util.isNullOrUndefined).toBe('function');
    expect(typeof util.isArray).toBe('function');
  });
});
