/** The trainer as a Nest app: the service kit, the retrain HTTP routes, the batch transport on retrain requests. */
import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { DeadLetterPublisher, type AvroPublisher } from '@vigil/kafka';
import { BatchKafkaServer } from '@vigil/kafka/nest';
import { bootstrapService, KAFKA, Readiness, type ServiceLogger } from '@vigil/service';
import type { Kafka } from 'kafkajs';
import type { TrainerConfig } from './config/trainer.config';
import { TrainerModule, trainerTopics } from './trainer.module';
import { PUBLISHER, ROUTES } from './trainer.tokens';

export async function startTrainer(cfg: TrainerConfig, logger: ServiceLogger): Promise<INestApplication> {
  return bootstrapService({
    module: TrainerModule.forRoot(cfg, logger),
    logger,
    http: { host: cfg.TRAINER_HTTP_HOST, port: cfg.TRAINER_HTTP_PORT },
    beforeListen: async (app) => {
      const topics = trainerTopics(cfg);
      const publisher = app.get<AvroPublisher>(PUBLISHER);
      const server = new BatchKafkaServer({
        kafka: app.get<Kafka>(KAFKA),
        groupId: cfg.TRAINER_GROUP_ID,
        serde: publisher.serde,
        deadLetters: new DeadLetterPublisher(publisher, cfg.TRAINER_GROUP_ID, topics.deadLetters),
        routes: [{ pattern: ROUTES.retrainRequests, spec: topics.retrainRequests }],
        partitionsConsumedConcurrently: 1,
        fromBeginning: cfg.TRAINER_FROM_BEGINNING,
      });
      app.connectMicroservice({ strategy: server }, { inheritAppConfig: true });
      await app.startAllMicroservices();
      app.get(Readiness).done('consumer');
    },
  });
}
