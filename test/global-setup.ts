import { processEnv } from '@vigil/config';
import type { TestProject } from 'vitest/node';
import { TOPICS } from '@vigil/contracts';
import { createKafka } from '@vigil/kafka';
import { randomBytes } from 'node:crypto';
import { madeInRun, startTestStack, TEST_RUN_VARIABLE, type TestStack } from '@vigil/testing';
import { logLevel } from 'kafkajs';

declare module 'vitest' {
  export interface ProvidedContext {
    stack: { kafkaBrokers: string[]; registryUrl: string; clickhouseUrl: string; source: string };
  }
}

let stack: TestStack | undefined;
/** This run's tag: teardown removes only the topics and databases named with it (see uniqueName). */
const runTag = randomBytes(3).toString('hex');

export async function setup(project: TestProject): Promise<void> {
  // A write, so the test workers (forked after this) name what they create with this run's tag.
  // eslint-disable-next-line no-restricted-properties
  process.env[TEST_RUN_VARIABLE] = runTag;
  stack = await startTestStack();
  const { kafkaBrokers, registryUrl, clickhouseUrl, source } = stack;
  console.log(`[test stack] ${source}: kafka ${kafkaBrokers.join(',')}, registry ${registryUrl}, clickhouse ${clickhouseUrl}`);
  project.provide('stack', { kafkaBrokers, registryUrl, clickhouseUrl, source });
}

/**
 * Tests create uniquely named topics and databases; on a long-lived local stack they would pile up (thousands of
 * partitions slow the broker and every later run). Only names carrying this run's tag are deleted: another run on
 * the same stack (a second clone, a colleague) keeps its own.
 */
export async function teardown(): Promise<void> {
  try {
    // VIGIL_E2E_KEEP=1 keeps what the tests wrote, for a look afterwards.
    if (stack && processEnv().VIGIL_E2E_KEEP !== '1') {
      const catalogue = new Set(Object.values(TOPICS).map((t) => t.name));
      const topics = (await listTopics(stack.kafkaBrokers)).filter((t) => madeInRun(t, runTag) && !catalogue.has(t));
      const admin = createKafka({ brokers: stack.kafkaBrokers, clientId: 'test-teardown', logLevel: logLevel.NOTHING }).admin();
      await admin.connect();
      for (let i = 0; i < topics.length; i += 100) await admin.deleteTopics({ topics: topics.slice(i, i + 100), timeout: 60_000 });
      await admin.disconnect();
      const databases = (await listDatabases(stack.clickhouseUrl)).filter((d) => madeInRun(d, runTag));
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
