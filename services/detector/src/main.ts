/**
 * The detector process: an HTTP server (health, /metrics) and the batch Kafka transport in one Nest app.
 *
 *   npx tsx services/detector/src/main.ts        # env: see config/detector.config.ts
 */
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Kafka } from 'kafkajs';
import { DeadLetterPublisher, type AvroPublisher } from '@vigil/kafka';
import { loadDetectorConfig, type DetectorConfig } from './config/detector.config';
import type { DetectorTopics } from './config/detector-topics';
import { DetectorModule } from './detector.module';
import { DETECTOR_TOPICS, KAFKA, PUBLISHER, ROUTES } from './detector.tokens';
import { DetectorMetrics } from './observability/metrics';
import { Readiness } from './observability/readiness';
import type { SensorModel } from './scoring/sensor-model.loader';
import { BatchKafkaServer } from './transport/batch-kafka.server';
import { AlignmentService } from './windowing/alignment.service';

export async function startDetector(cfg: DetectorConfig, overrides: { sensorModel?: SensorModel } = {}) {
  const app = await NestFactory.create(DetectorModule.forRoot(cfg, overrides), { bufferLogs: false });
  // SIGTERM/SIGINT: drain, commit, flush, then exit 0 (1 if the orderly stop fails), so orchestrators can tell.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  const topics = app.get<DetectorTopics>(DETECTOR_TOPICS);
  const publisher = app.get<AvroPublisher>(PUBLISHER);
  const metrics = app.get(DetectorMetrics);
  const alignment = app.get(AlignmentService);
  const server = new BatchKafkaServer({
    kafka: app.get<Kafka>(KAFKA),
    groupId: cfg.DETECTOR_GROUP_ID,
    serde: publisher.serde,
    deadLetters: new DeadLetterPublisher(publisher, cfg.DETECTOR_GROUP_ID, topics.deadLetters),
    routes: [
      { pattern: ROUTES.sensor, spec: topics.sensor },
      { pattern: ROUTES.audio, spec: topics.audio },
      { pattern: ROUTES.image, spec: topics.image },
    ],
    partitionsConsumedConcurrently: cfg.DETECTOR_PARTITION_CONCURRENCY,
    fromBeginning: cfg.DETECTOR_FROM_BEGINNING,
    onGroupJoin: () => alignment.reset(),
    drain: alignment,
    onBatch: ({ topic, partition, deadLettered, lag }) => {
      if (deadLettered > 0) metrics.deadLettered.inc({ topic }, deadLettered);
      metrics.consumerLag.set({ topic, partition: String(partition) }, lag);
    },
  });
  app.connectMicroservice({ strategy: server }, { inheritAppConfig: true });
  await app.startAllMicroservices();
  app.get(Readiness).done('consumer');
  await app.listen(cfg.DETECTOR_HTTP_PORT, '127.0.0.1');
  return app;
}

if (require.main === module) {
  startDetector(loadDetectorConfig())
    .then((app) => app.getUrl())
    .then((url) => new Logger('Detector').log(`ready: ${url}/metrics, ${url}/health/ready`))
    .catch((err: unknown) => {
      new Logger('Detector').error(err instanceof Error ? err.stack : String(err));
      process.exit(1);
    });
}
