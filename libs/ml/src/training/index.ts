export * from './kl-annealing';
export * from './early-stopping';
export * from './seeded-random';
export * from './sliding-windows';
export * from './vae-trainer';
export * from './fit-window-vae';
export * from './score-calibration';
