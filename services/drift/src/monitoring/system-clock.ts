/** The real clock and id source (the service and its spec get it injected). */
import { randomUUID } from 'node:crypto';
import type { Clock } from './drift-ports';

export const systemClock: Clock = {
  now: () => Date.now(),
  monotonicSeconds: () => performance.now() / 1000,
  newId: () => randomUUID(),
};
