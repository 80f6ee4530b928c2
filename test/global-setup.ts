import type { TestProject } from 'vitest/node';
import { startTestStack, type TestStack } from '@vigil/testing';

declare module 'vitest' {
  export interface ProvidedContext {
    stack: { kafkaBrokers: string[]; registryUrl: string; clickhouseUrl: string; source: string };
  }
}

let stack: TestStack | undefined;

export async function setup(project: TestProject): Promise<void> {
  stack = await startTestStack();
  const { kafkaBrokers, registryUrl, clickhouseUrl, source } = stack;
  console.log(`[test stack] ${source}: kafka ${kafkaBrokers.join(',')}, registry ${registryUrl}, clickhouse ${clickhouseUrl}`);
  project.provide('stack', { kafkaBrokers, registryUrl, clickhouseUrl, source });
}

export async function teardown(): Promise<void> {
  await stack?.stop();
}
