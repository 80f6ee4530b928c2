import type { AlignedWindow } from './types';

/**
 * A window made outside the assembler (a posted prediction request, a benchmark, a spec): no events, nothing
 * missing or carried, no offsets held, with `parts` laid over that.
 *
 * @example
 *   const w = alignedWindow('dev-1', 0, 3000, { sensor: readings });
 */
export function alignedWindow<S = unknown, A = unknown, I = unknown>(
  deviceId: string,
  startMs: number,
  endMs: number,
  parts: Partial<Omit<AlignedWindow<S, A, I>, 'deviceId' | 'startMs' | 'endMs'>> = {},
): AlignedWindow<S, A, I> {
  return { deviceId, startMs, endMs, sensor: [], audio: [], image: [], missing: [], carried: {}, heldOffsets: new Map(), ...parts };
}
