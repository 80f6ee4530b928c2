/** The Prometheus data source every panel queries; Grafana's provisioning (deploy/grafana) creates it with this uid. */
export const PROMETHEUS_DATASOURCE = { type: 'prometheus', uid: 'vigil-prometheus' } as const;

/**
 * Grafana's own range variable: replaced by the test with a fixed window, by Grafana with ≥ 4 scrape intervals.
 * Panels use it so rates stay smooth at any zoom.
 */
export const RATE_INTERVAL = '$__rate_interval';
