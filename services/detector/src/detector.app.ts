/**
 * The detector as a Nest app: the service kit (JSON logs, health, metrics, shutdown hooks, bind host) plus the
 * batch Kafka transport on the sensor, audio and image topics.
 */
import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import type { AvroPublisher, DeadLetterPublisher } from '@vigil/kafka';
import { BatchKafkaServer } from '@vigil/kafka/nest';
import { sharedOnnxSessionThread } from '@vigil/ml';
import { bootstrapService, KAFKA, Readiness, type ServiceLogger } from '@vigil/service';
import type { Kafka } from 'kafkajs';
import type { DetectorConfig } from './config/detector.config';
import type { DetectorTopics } from './config/detector-topics';
import { DetectorModule } from './detector.module';
import { DEAD_LETTERS, DETECTOR_TOPICS, PUBLISHER, ROUTES } from './detector.tokens';
import { DetectorMetrics } from './observability/metrics';
import type { SensorModel } from './scoring/sensor-model.loader';
import { AlignmentService } from './windowing/alignment.service';

export async function startDetector(cfg: DetectorConfig, logger: ServiceLogger, overrides: { sensorModel?: SensorModel } = {}): Promise<INestApplication> {
  return bootstrapService({
    module: DetectorModule.forRoot(cfg, logger, overrides),
    logger,
    http: { host: cfg.DETECTOR_HTTP_HOST, port: cfg.DETECTOR_HTTP_PORT },
    beforeListen: async (app) => {
      // A dead ONNX session thread takes the served models' sessions with it: no later window could be scored, and
      // the consumer would retry its batch forever. Exit as a kill -9 would, for the supervisor to restart the
      // detector: the windows whose offsets are uncommitted are replayed, none lost or duplicated (detector e2e).
      if (cfg.DETECTOR_ONNX_SESSION_HOST === 'worker')
        sharedOnnxSessionThread().onFailure((err) => {
          logger.fatal({ logger: 'onnx-sessions', err }, 'the ONNX session worker thread died; exiting so the detector is restarted');
          process.exit(1);
        });
      const topics = app.get<DetectorTopics>(DETECTOR_TOPICS);
      const publisher = app.get<AvroPublisher>(PUBLISHER);
      const metrics = app.get(DetectorMetrics);
      const alignment = app.get(AlignmentService);
      const server = new BatchKafkaServer({
        kafka: app.get<Kafka>(KAFKA),
        groupId: cfg.DETECTOR_GROUP_ID,
        serde: publisher.serde,
        deadLetters: app.get<DeadLetterPublisher>(DEAD_LETTERS),
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
    },
  });
}
