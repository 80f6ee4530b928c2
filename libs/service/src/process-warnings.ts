import type { ServiceLogger } from './logger';

/**
 * Node prints process warnings (deprecations, negative timeouts, …) to stderr as plain text; this replaces that
 * default listener with one JSON line per warning. kafkajs 2.2.4 (its last release) schedules a negative timeout
 * in its request queue on every unthrottled request (tulios/kafkajs requestQueue `scheduleCheckPendingRequests`),
 * which Node 24 reports as `TimeoutNegativeWarning`; harmless (Node uses 1 ms), so it is logged at debug.
 */
export function routeProcessWarnings(logger: ServiceLogger): void {
  const log = logger.child({ logger: 'node' });
  process.removeAllListeners('warning');
  process.on('warning', (warning) => {
    const fields = { warning: warning.name, code: (warning as { code?: string }).code };
    if (warning.name === 'TimeoutNegativeWarning') log.debug(fields, warning.message);
    else log.warn(fields, warning.message);
  });
}
