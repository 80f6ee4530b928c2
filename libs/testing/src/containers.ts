import { ClickHouseContainer } from '@testcontainers/clickhouse';
import { KafkaContainer } from '@testcontainers/kafka';
import { GenericContainer, Network, Wait } from 'testcontainers';
import type { TestStack } from './test-stack';

/** Same versions as docker-compose.yml, so a container run and a local run test the same servers' behaviour. */
const IMAGES = {
  kafka: 'confluentinc/cp-kafka:7.9.0',
  registry: 'apicurio/apicurio-registry:3.3.3',
  clickhouse: 'clickhouse/clickhouse-server:25.3',
};

export async function startContainers(): Promise<TestStack> {
  const network = await new Network().start();
  const [kafka, registry, clickhouse] = await Promise.all([
    new KafkaContainer(IMAGES.kafka).withKraft().withNetwork(network).start(),
    new GenericContainer(IMAGES.registry).withExposedPorts(8080).withWaitStrategy(Wait.forHttp('/apis/ccompat/v7/subjects', 8080)).start(),
    new ClickHouseContainer(IMAGES.clickhouse).start(),
  ]);
  return {
    source: 'testcontainers',
    kafkaBrokers: [`${kafka.getHost()}:${kafka.getMappedPort(9093)}`],
    registryUrl: `http://${registry.getHost()}:${registry.getMappedPort(8080)}/apis/ccompat/v7`,
    clickhouseUrl: clickhouse.getConnectionUrl(),
    async stop() {
      await Promise.all([kafka.stop(), registry.stop(), clickhouse.stop()]);
      await network.stop();
    },
  };
}
