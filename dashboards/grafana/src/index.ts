/**
 * Dashboards and alert rules as code. `npm run dashboards:build` (scripts/build.ts) writes what Grafana and
 * Prometheus load: deploy/grafana/dashboards/*.json, deploy/prometheus/rules/vigil.rules.yml and
 * deploy/prometheus/prometheus.yml.
 */
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { apiDashboard } from './dashboards/api.dashboard';
import { detectorPipelineDashboard } from './dashboards/detector-pipeline.dashboard';
import { driftRetrainingDashboard } from './dashboards/drift-retraining.dashboard';

export { ALERT_RULES, alertExpression, alertRulesYaml, type AlertRule } from './alerts/alert-rules';
export { PROMETHEUS_DATASOURCE, RATE_INTERVAL } from './datasource';
export { dashboardQueries } from './panels';
export { composePrometheusYaml, prometheusConfig, type ScrapeConfigOptions } from './prometheus/scrape-config';
export { SCRAPED_SERVICES, type ScrapedService } from './prometheus/scraped-services';

/** file name (without .json) → dashboard; each dashboard's job must run in test/deployment/observability.test.ts. */
export function allDashboards(): Record<string, Dashboard> {
  return { 'detector-pipeline': detectorPipelineDashboard(), api: apiDashboard(), 'drift-retraining': driftRetrainingDashboard() };
}
