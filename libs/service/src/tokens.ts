/** Injection tokens of the service kit (things built in factories, not classes). */
export const SERVICE_LOGGER = Symbol('SERVICE_LOGGER');
export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');
export const KAFKA = Symbol('KAFKA');
export const CLICKHOUSE = Symbol('CLICKHOUSE');
