/**
 * Named errors for threshold misuse, so callers can tell "not calibrated yet" from bad input or a corrupt
 * checkpoint without parsing messages.
 */

/** A threshold was read or applied before it was calibrated (`fit`). */
export class ThresholdNotInferredError extends Error {
  override readonly name = 'ThresholdNotInferredError';
  constructor(kind: string) {
    super(`${kind} threshold used before fit(): calibrate it on a score sample or restore a saved state`);
  }
}

/** Options outside their valid range (risk q, level, depth, …). */
export class InvalidThresholdOptionsError extends Error {
  override readonly name = 'InvalidThresholdOptionsError';
}

/** A serialised calibration or streaming state that cannot be restored (wrong kind, version or content). */
export class InvalidThresholdStateError extends Error {
  override readonly name = 'InvalidThresholdStateError';
}
