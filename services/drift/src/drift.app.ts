/** The drift service as a Nest app: the service kit plus the batch Kafka transport on latents, results and feedback. */
import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { DeadLetterPublisher, type AvroPublisher } from '@vigil/kafka';
import { BatchKafkaServer } from '@vigil/kafka/nest';
import { bootstrapService, KAFKA, Readiness, type ServiceLogger } from '@vigil/service';
import type { Kafka } from 'kafkajs';
import type { DriftConfig } from './config/drift.config';
import type { DriftTopics } from './config/drift-topics';
import { DriftModule } from './drift.module';
import { DRIFT_TOPICS, PUBLISHER, ROUTES } from './drift.tokens';
import { DriftMetrics } from './observability/drift-metrics';

export async function startDrift(cfg: DriftConfig, logger: ServiceLogger): Promise<INestApplication> {
  return bootstrapService({
    module: DriftModule.forRoot(cfg, logger),
    logger,
    http: { host: cfg.DRIFT_HTTP_HOST, port: cfg.DRIFT_HTTP_PORT },
    beforeListen: async (app) => {
      const topics = app.get<DriftTopics>(DRIFT_TOPICS);
      const publisher = app.get<AvroPublisher>(PUBLISHER);
      const metrics = app.get(DriftMetrics);
      const server = new BatchKafkaServer({
        kafka: app.get<Kafka>(KAFKA),
        groupId: cfg.DRIFT_GROUP_ID,
        serde: publisher.serde,
        deadLetters: new DeadLetterPublisher(publisher, cfg.DRIFT_GROUP_ID, topics.deadLetters),
        routes: [
          { pattern: ROUTES.latents, spec: topics.latents },
          { pattern: ROUTES.results, spec: topics.results },
          { pattern: ROUTES.feedback, spec: topics.feedback },
        ],
        partitionsConsumedConcurrently: cfg.DRIFT_PARTITION_CONCURRENCY,
        fromBeginning: cfg.DRIFT_FROM_BEGINNING,
        onBatch: ({ topic, partition, deadLettered, lag }) => {
          if (deadLettered > 0) metrics.deadLettered.inc({ topic }, deadLettered);
          metrics.consumerLag.set({ topic, partition: String(partition) }, lag);
        },
      });
      app.connectMicroservice({ strategy: server }, { inheritAppConfig: true });
      await app.startAllMicroservices();
      app.get(Readiness).done('consumer');
    },
  });
}
