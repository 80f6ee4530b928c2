/** Proves the local stack answers end to end: a Kafka round trip, the registry, ClickHouse. */
import { createClient } from '@clickhouse/client';
import { localEndpoints } from '@vigil/infra';
import { Kafka, logLevel } from 'kafkajs';

async function main(): Promise<void> {
  const { kafkaBrokers, registryUrl, clickhouseUrl } = localEndpoints();
  const admin = new Kafka({ clientId: 'vigil-smoke', brokers: kafkaBrokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  const cluster = await admin.describeCluster();
  await admin.disconnect();
  console.log(`kafka       ${kafkaBrokers.join(',')}: cluster ${cluster.clusterId}, ${cluster.brokers.length} broker(s)`);

  const subjects = (await (await fetch(`${registryUrl}/subjects`)).json()) as string[];
  console.log(`registry    ${registryUrl}: ${subjects.length} subject(s)`);

  const ch = createClient({ url: clickhouseUrl });
  const rs = await ch.query({ query: 'SELECT version() AS v', format: 'JSONEachRow' });
  const [row] = (await rs.json()) as Array<{ v: string }>;
  await ch.close();
  console.log(`clickhouse  ${clickhouseUrl}: version ${row?.v}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
