/** The training-runs reader's injection token. */
export const TRAINING_REPOSITORY = Symbol('TRAINING_REPOSITORY');
