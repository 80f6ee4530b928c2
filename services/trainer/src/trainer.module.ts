/**
 * Wires the trainer: Kafka (retrain requests in, sensor readings for data), ClickHouse (ranges to exclude), the
 * tracking backend and registry (`createTracking`), the worker that trains through `trainAndRegister()`.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { type DynamicModule, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { createClickhouse } from '@vigil/clickhouse';
import { TOPICS, withSuffix } from '@vigil/contracts';
import { AvroPublisher, createKafka, ensureTopics, kafkaConnection } from '@vigil/kafka';
import { createTracking, LIVE_ALIAS } from '@vigil/ml';
import { CLICKHOUSE, clickhouseLoggerClass, KAFKA, kafkaLogCreator, ServiceKitModule, type ServiceLogger } from '@vigil/service';
import type { Kafka } from 'kafkajs';
import { TRAINER_CONFIG, type TrainerConfig } from './config/trainer.config';
import { TRAINER_METRIC_PREFIX, TrainerMetrics } from './observability/trainer-metrics';
import { RetrainController } from './retraining/retrain.controller';
import { RetrainService } from './retraining/retrain.service';
import { TrainingDataRepository } from './retraining/training-data.repository';
import { WorkerTrainingRunner } from './retraining/training-worker.runner';
import { PUBLISHER } from './trainer.tokens';

export const trainerTopics = (cfg: TrainerConfig) => {
  const t = <K extends keyof typeof TOPICS>(k: K): (typeof TOPICS)[K] => withSuffix(TOPICS[k] as never, cfg.TRAINER_TOPIC_SUFFIX) as (typeof TOPICS)[K];
  return { retrainRequests: t('retrainRequests'), sensor: t('sensorReadings'), deadLetters: t('deadLetters') };
};

@Module({})
export class TrainerModule implements OnApplicationShutdown {
  constructor(
    @Inject(PUBLISHER) private readonly publisher: AvroPublisher,
    @Inject(CLICKHOUSE) private readonly clickhouse: ClickHouseClient,
    @Inject(RetrainService) private readonly retraining: RetrainService,
  ) {}

  static forRoot(cfg: TrainerConfig, logger: ServiceLogger): DynamicModule {
    const topics = trainerTopics(cfg);
    return {
      module: TrainerModule,
      imports: [ServiceKitModule.forRoot({ logger, metricsPrefix: TRAINER_METRIC_PREFIX, waitFor: ['consumer'] })],
      controllers: [RetrainController],
      providers: [
        { provide: TRAINER_CONFIG, useValue: cfg },
        TrainerMetrics,
        { provide: KAFKA, useFactory: () => createKafka({ ...kafkaConnection(cfg), clientId: cfg.TRAINER_CLIENT_ID, logCreator: kafkaLogCreator(logger) }) },
        {
          provide: PUBLISHER,
          inject: [KAFKA],
          useFactory: async (kafka: Kafka) => {
            const all = [topics.retrainRequests, topics.sensor, topics.deadLetters];
            const admin = kafka.admin();
            await admin.connect();
            await ensureTopics(admin, all).finally(() => admin.disconnect());
            return AvroPublisher.connect(
              { brokers: cfg.VIGIL_KAFKA_BROKERS, registryUrl: cfg.VIGIL_SCHEMA_REGISTRY_URL, clientId: cfg.TRAINER_CLIENT_ID },
              all,
              kafka,
            );
          },
        },
        { provide: CLICKHOUSE, useFactory: () => createClickhouse(cfg, { migrate: true, LoggerClass: clickhouseLoggerClass(logger) }) },
        {
          provide: RetrainService,
          inject: [KAFKA, PUBLISHER, CLICKHOUSE, TrainerMetrics],
          useFactory: (kafka: Kafka, pub: AvroPublisher, ch: ClickHouseClient, metrics: TrainerMetrics) => {
            const { registry } = createTracking({
              trackingUri: cfg.MLFLOW_TRACKING_URI,
              localRunsDir: cfg.TRAINER_RUNS_DIR,
              registryRoot: cfg.TRAINER_REGISTRY_ROOT,
            });
            const data = new TrainingDataRepository(kafka, pub.serde, topics.sensor, ch, cfg.VIGIL_CLICKHOUSE_DATABASE, {
              steps: cfg.TRAINER_WINDOW_STEPS,
              stride: cfg.TRAINER_WINDOW_STRIDE,
              lookbackMs: cfg.TRAINER_LOOKBACK_MS,
            });
            return new RetrainService(
              {
                // The data source reads sensor readings: this trainer's line is the sensor model.
                modality: 'SENSOR',
                modelName: cfg.TRAINER_MODEL_NAME,
                minTrainWindows: cfg.TRAINER_MIN_TRAIN_WINDOWS,
                minImprovement: cfg.TRAINER_MIN_IMPROVEMENT,
                job: {
                  registryRoot: cfg.TRAINER_REGISTRY_ROOT,
                  trackingUri: cfg.MLFLOW_TRACKING_URI,
                  runsDir: cfg.TRAINER_RUNS_DIR,
                  workDir: cfg.TRAINER_WORK_DIR,
                  epochs: cfg.TRAINER_EPOCHS,
                  latentDim: cfg.TRAINER_LATENT_DIM,
                  klBeta: cfg.TRAINER_KL_BETA,
                  seed: cfg.TRAINER_SEED,
                },
              },
              data,
              new WorkerTrainingRunner(),
              { promote: (name, version) => registry.setAlias(name, LIVE_ALIAS, version) },
              {
                progress: (p) => {
                  metrics.progress(p);
                  logger.info({ logger: RetrainService.name, epoch: p.epoch, epochs: p.epochs, loss: p.loss }, 'training progress');
                },
                finished: (o) => {
                  metrics.finished(o);
                  logger.info({ logger: RetrainService.name, ...o }, `retrain ${o.status}`);
                },
              },
            );
          },
        },
      ],
      exports: [KAFKA, PUBLISHER, RetrainService],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    const running = this.retraining.status().running;
    if (running) this.retraining.cancel(running.requestId);
    await this.retraining.whenIdle();
    await this.publisher.close();
    await this.clickhouse.close();
  }
}
