/**
 * KL annealing: the weight on the KL term grows from 0 to β so the decoder learns to use the latent code before
 * the prior pulls the posterior in (avoids posterior collapse; Bowman et al. 2016). `cyclical` repeats the ramp
 * (Fu et al. 2019), `constant` turns annealing off.
 *
 * @example
 *   klWeight({ kind: 'linear', beta: 1, warmupEpochs: 10 }, 4);   // 0.5 after 5 of 10 warm-up epochs
 */

export type KlAnnealing =
  { kind: 'constant'; beta: number } | { kind: 'linear'; beta: number; warmupEpochs: number } | { kind: 'cyclical'; beta: number; cycleEpochs: number };

/** The KL weight for a 0-based epoch; the ramp reaches β at the end of the warm-up (or half-cycle). */
export function klWeight(schedule: KlAnnealing, epoch: number): number {
  switch (schedule.kind) {
    case 'constant':
      return schedule.beta;
    case 'linear':
      return schedule.warmupEpochs <= 0 ? schedule.beta : schedule.beta * Math.min(1, (epoch + 1) / schedule.warmupEpochs);
    case 'cyclical': {
      const rampEpochs = Math.max(1, Math.floor(schedule.cycleEpochs / 2));
      const position = epoch % Math.max(1, schedule.cycleEpochs);
      return schedule.beta * Math.min(1, (position + 1) / rampEpochs);
    }
  }
}

/** The first epoch from which the weight no longer changes (early stopping waits for it). */
export function annealingDoneAt(schedule: KlAnnealing): number {
  switch (schedule.kind) {
    case 'constant':
      return 0;
    case 'linear':
      return Math.max(0, schedule.warmupEpochs - 1);
    case 'cyclical':
      return Number.POSITIVE_INFINITY;
  }
}
