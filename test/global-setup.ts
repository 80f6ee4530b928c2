import { processEnv } from '@vigil/config';
import type { TestProject } from 'vitest/node';
import { TOPICS } from '@vigil/contracts';
import { createKafka } from '@vigil/kafka';
import { startTestStack, type TestStack } from '@vigil/testing';
import { logLevel } from 'kafkajs';

declare module 'vitest' {
  export interface ProvidedContext {
    stack: { kafkaBrokers: string[]; registryUrl: string; clickhouseUrl: string; source: string };
  }
}

let stack: TestStack | undefined;
/** What existed before this run: teardown removes only what the run created. */
let before: { topics: Set<string>; databases: Set<string> } | undefined;

export async function setup(project: TestProject): Promise<void> {
  stack = await startTestStack();
  const { kafkaBrokers, registryUrl, clickhouseUrl, source } = stack;
  console.log(`[test stack] ${source}: kafka ${kafkaBrokers.join(',')}, registry ${registryUrl}, clickhouse ${clickhouseUrl}`);
  project.provide('stack', { kafkaBrokers, registryUrl, clickhouseUrl, source });
  before = { topics: new Set(await listTopics(kafkaBrokers)), databases: new Set(await listDatabases(clickhouseUrl)) };
}

/**
 * Tests create uniquely named topics and databases; on a long-lived local stack they would pile up (thousands of
 * partitions slow the broker and every later run). Catalogue topics and the `vigil` database are never touched.
 */
export async function teardown(): Promise<void> {
  try {
    // VIGIL_E2E_KEEP=1 keeps what the tests wrote, for a look afterwards.
    if (stack && before && processEnv().VIGIL_E2E_KEEP !== '1') {
      const catalogue = new Set(Object.values(TOPICS).map((t) => t.name));
      const topics = (await listTopics(stack.kafkaBrokers)).filter((t) => !before!.topics.has(t) && !catalogue.has(t) && !t.startsWith('__'));
      const admin = createKafka({ brokers: stack.kafkaBrokers, clientId: 'test-teardown', logLevel: logLevel.NOTHING }).admin();
      await admin.connect();
      for (let i = 0; i < topics.length; i += 100) await admin.deleteTopics({ topics: topics.slice(i, i + 100), timeout: 60_000 });
      await admin.disconnect();
      const databases = (await listDatabases(stack.clickhouseUrl)).filter((d) => !before!.databases.has(d) && !['system', 'default', 'vigil'].includes(d));
      for (const d of databases) await clickhouse(stack.clickhouseUrl, `DROP DATABASE IF EXISTS ${d}`);
      console.log(`[test stack] removed ${topics.length} topics and ${databases.length} databases this run created`);
    }
  } catch (err) {
    console.warn(`[test stack] clean-up skipped: ${(err as Error).message}`);
  } finally {
    await stack?.stop();
  }
}

async function listTopics(brokers: string[]): Promise<string[]> {
  const admin = createKafka({ brokers, clientId: 'test-setup', logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    return await admin.listTopics();
  } finally {
    await admin.disconnect();
  }
}

async function clickhouse(url: string, query: string): Promise<string> {
  const res = await fetch(url, { method: 'POST', body: query });
  if (!res.ok) throw new Error(`ClickHouse: ${await res.text()}`);
  return res.text();
}

async function listDatabases(url: string): Promise<string[]> {
  return (await clickhouse(url, 'SELECT name FROM system.databases')).split('\n').filter(Boolean);
}
