/**
 * A service's Prometheus registry (one per service instance, so a test can run several in one process), with
 * the process's default metrics under the service's prefix. Metric names come from `METRIC_NAMES` in
 * `@vigil/contracts`: the Grafana dashboards and alert rules import the same constants.
 */
import { collectDefaultMetrics, Registry } from 'prom-client';

export function createMetricsRegistry(prefix: string): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix });
  return registry;
}
