import { randomBytes } from 'node:crypto';
import { processEnv } from '@vigil/config';

/**
 * This test run's tag (set by the global setup in VIGIL_TEST_RUN, inherited by the workers), so the run's
 * teardown deletes the topics and databases it created and nothing another run on the same stack created.
 */
export const TEST_RUN_VARIABLE = 'VIGIL_TEST_RUN';

export function testRunTag(): string {
  return processEnv()[TEST_RUN_VARIABLE] ?? 'local';
}

/** Broker-backed tests use random names so runs never see each other's topics, groups or tables. */
export function uniqueName(prefix: string): string {
  return `${prefix}-r${testRunTag()}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

/** ClickHouse identifiers cannot contain dashes unquoted. */
export function uniqueTableName(prefix: string): string {
  return uniqueName(prefix).replace(/-/g, '_');
}

/** Whether a topic or database name was made by `uniqueName`/`uniqueTableName` in the run tagged `tag`. */
export function madeInRun(name: string, tag: string): boolean {
  return name.includes(`-r${tag}-`) || name.includes(`_r${tag}_`);
}
