import { processEnv } from '@vigil/config';
import type { StackEndpoints } from '@vigil/infra';

/**
 * Where the real servers for a test run come from, in order of preference:
 *  1. `env`: endpoints named by VIGIL_KAFKA_BROKERS, VIGIL_SCHEMA_REGISTRY_URL and VIGIL_CLICKHOUSE_URL
 *     (a shared staging stack, or servers a developer already runs);
 *  2. `testcontainers`: a Docker engine answers, so each run gets fresh containers;
 *  3. `local`: the project's own provisioning (`npm run infra -- up`), the default on machines without Docker.
 */
export type StackSource = 'env' | 'testcontainers' | 'local';

export interface TestStack extends StackEndpoints {
  source: StackSource;
  stop(): Promise<void>;
}

export function endpointsFromEnv(env: NodeJS.ProcessEnv = processEnv()): StackEndpoints | undefined {
  const brokers = env.VIGIL_KAFKA_BROKERS;
  const registryUrl = env.VIGIL_SCHEMA_REGISTRY_URL;
  const clickhouseUrl = env.VIGIL_CLICKHOUSE_URL;
  const given = [brokers, registryUrl, clickhouseUrl].filter((v) => v !== undefined && v !== '').length;
  if (given === 0) return undefined;
  if (given !== 3) {
    throw new Error('set all of VIGIL_KAFKA_BROKERS, VIGIL_SCHEMA_REGISTRY_URL and VIGIL_CLICKHOUSE_URL, or none of them');
  }
  return {
    kafkaBrokers: brokers!.split(',').map((b) => b.trim()),
    registryUrl: registryUrl!,
    clickhouseUrl: clickhouseUrl!,
  };
}

async function dockerAnswers(): Promise<boolean> {
  if (processEnv().VIGIL_TEST_STACK === 'local') return false;
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

/** Start (or find) Kafka, the schema registry and ClickHouse for a test run. */
export async function startTestStack(): Promise<TestStack> {
  const fromEnv = endpointsFromEnv();
  if (fromEnv) return { ...fromEnv, source: 'env', stop: async () => {} };
  if (await dockerAnswers()) {
    const { startContainers } = await import('./containers');
    return startContainers();
  }
  const infra = await import('@vigil/infra');
  await infra.up();
  // Servers are left running for the next run (warm start); `npm run infra -- down` stops them.
  return { ...infra.localEndpoints(), source: 'local', stop: async () => {} };
}
