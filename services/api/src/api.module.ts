/**
 * Wires the API: ClickHouse, Kafka and the model registry behind repositories on one side, thin controllers and
 * the live gateway on the other, with authentication, roles and per-key rate limits as global guards.
 * `forRoot` takes the validated config and, for tests, replacements for the repositories.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { type DynamicModule, Inject, Module, type OnApplicationShutdown, Optional } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { createClickhouse } from '@vigil/clickhouse';
import { METRIC_PREFIX, TOPICS, type TopicSpec, withSuffix } from '@vigil/contracts';
import { AvroPublisher, AvroSerde, createKafka, ensureTopics, kafkaConnection } from '@vigil/kafka';
import { CLICKHOUSE, clickhouseLoggerClass, KAFKA, kafkaLogCreator, Readiness, ServiceKitModule, type ServiceLogger } from '@vigil/service';
import type { Kafka } from 'kafkajs';
import { AnomaliesController } from './anomalies/anomalies.controller';
import { AnomaliesRepository } from './anomalies/anomalies.repository';
import { AnomaliesService } from './anomalies/anomalies.service';
import { ANOMALIES_REPOSITORY, CLOCK, type Clock, DRIFT_REPOSITORY, FEEDBACK_REPOSITORY, MODELS_REPOSITORY } from './api.tokens';
import { API_CONFIG, type ApiConfig } from './config/api.config';
import { DevicesController } from './devices/devices.controller';
import { DevicesService } from './devices/devices.service';
import { DriftCheckService } from './drift/drift-check.service';
import { DriftController } from './drift/drift.controller';
import { DriftRepository } from './drift/drift.repository';
import { FeedbackController } from './feedback/feedback.controller';
import { FeedbackRepository } from './feedback/feedback.repository';
import { FeedbackService } from './feedback/feedback.service';
import { LiveTopicsRepository } from './live/live-topics.repository';
import { LIVE_TOPICS_REPOSITORY, LiveRuntime } from './live/live.runtime';
import { LiveService } from './live/live.service';
import { ModelsController } from './models/models.controller';
import { ModelsRepository } from './models/models.repository';
import { ModelsService } from './models/models.service';
import { ApiMetrics } from './observability/api-metrics';
import { PredictionsController } from './predictions/predictions.controller';
import { AudioModelRepository } from './predictions/audio-model.repository';
import { MultimodalModelRepository } from './predictions/multimodal-model.repository';
import { AUDIO_MODEL, MULTIMODAL_MODEL, PredictionsService, SENSOR_MODEL, VISION_MODEL } from './predictions/predictions.service';
import { VisionModelRepository } from './predictions/vision-model.repository';
import { type LoadedSensorModel, loadSensorModel } from './predictions/sensor-model.repository';
import { AuthGuard, type AuthenticatedRequest } from './security/auth.guard';
import { Authenticator } from './security/authenticator';
import { RateLimitGuard } from './security/rate-limit.guard';
import { SlidingWindowStorage } from './security/rate-limit.storage';
import { TRAINING_REPOSITORY } from './training/training.constants';
import { TrainingController } from './training/training.controller';
import { TrainingRepository } from './training/training.repository';
import { TrainingService } from './training/training.service';
import { RawWindowRepository } from './windows/raw-window.repository';
import { RAW_WINDOWS, READ_TIMEOUT_MS, SEND_EARLY_MS, SEND_LATE_MS } from './windows/windows.constants';
import { WindowsController } from './windows/windows.controller';
import { WindowsService } from './windows/windows.service';

const PUBLISHER = Symbol('PUBLISHER');

/** Replacements for tests: with all of them, the module needs no Kafka and no ClickHouse. */
export interface ApiOverrides {
  anomalies?: Pick<AnomaliesRepository, keyof AnomaliesRepository>;
  feedback?: Pick<FeedbackRepository, keyof FeedbackRepository>;
  drift?: Pick<DriftRepository, keyof DriftRepository>;
  sensorModel?: LoadedSensorModel;
  /** Raw window events instead of reading them back from Kafka. */
  rawWindows?: Pick<RawWindowRepository, 'read'>;
  clock?: Clock;
  /** false: no live consumer (the gateway still serves sockets). */
  liveTopics?: false;
}

export function apiTopics(cfg: Pick<ApiConfig, 'API_TOPIC_SUFFIX'>) {
  const s = cfg.API_TOPIC_SUFFIX;
  const r = <T>(t: TopicSpec<T>) => withSuffix(t, s);
  return {
    results: r(TOPICS.anomalyResults),
    drift: r(TOPICS.driftEvents),
    feedback: r(TOPICS.operatorFeedback),
    deadLetters: r(TOPICS.deadLetters),
  };
}

/**
 * Topic creation on a KRaft broker can answer UNKNOWN_TOPIC_OR_PARTITION while the new topic's metadata
 * propagates (kafkajs marks it retriable but `createTopics` gives up): try again a few times.
 */
async function retryRetriable<T>(fn: () => Promise<T>, attempts = 5, delayMs = 1000): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= attempts || !(err as { retriable?: boolean }).retriable) throw err;
      await new Promise((r) => setTimeout(r, delayMs));
    }
  }
}

@Module({})
export class ApiModule implements OnApplicationShutdown {
  constructor(
    @Optional() @Inject(PUBLISHER) private readonly publisher?: AvroPublisher,
    @Optional() @Inject(CLICKHOUSE) private readonly clickhouse?: ClickHouseClient,
  ) {}

  static forRoot(cfg: ApiConfig, logger: ServiceLogger, overrides: ApiOverrides = {}): DynamicModule {
    const topics = apiTopics(cfg);
    const needsInfra = !(overrides.anomalies && overrides.feedback && overrides.drift && overrides.liveTopics === false);
    const infra = needsInfra
      ? [
          {
            provide: KAFKA,
            useFactory: () => createKafka({ ...kafkaConnection(cfg), clientId: cfg.API_CLIENT_ID, logCreator: kafkaLogCreator(logger) }),
          },
          {
            provide: PUBLISHER,
            inject: [KAFKA, Readiness],
            useFactory: async (kafka: Kafka, readiness: Readiness) => {
              const all = Object.values(topics);
              const admin = kafka.admin();
              await admin.connect();
              await retryRetriable(() => ensureTopics(admin, all)).finally(() => admin.disconnect());
              const pub = await AvroPublisher.connect(
                { brokers: cfg.VIGIL_KAFKA_BROKERS, registryUrl: cfg.VIGIL_SCHEMA_REGISTRY_URL, clientId: cfg.API_CLIENT_ID },
                all,
                kafka,
              );
              readiness.done('kafka');
              readiness.done('schema-registry');
              return pub;
            },
          },
          {
            provide: CLICKHOUSE,
            inject: [Readiness],
            useFactory: async (readiness: Readiness) => {
              const ch = await createClickhouse(cfg, { migrate: true, LoggerClass: clickhouseLoggerClass(logger) });
              readiness.done('clickhouse');
              return ch;
            },
          },
        ]
      : [
          // Tests replace every infrastructure-backed repository: nothing to wait for.
          {
            provide: PUBLISHER,
            inject: [Readiness],
            useFactory: (readiness: Readiness) => {
              for (const what of ['kafka', 'schema-registry', 'clickhouse']) readiness.done(what);
              return undefined;
            },
          },
        ];
    return {
      module: ApiModule,
      imports: [
        ServiceKitModule.forRoot({
          logger,
          metricsPrefix: METRIC_PREFIX.api,
          waitFor: ['kafka', 'schema-registry', 'clickhouse', 'model-registry', 'model', 'live'],
        }),
        ThrottlerModule.forRoot({
          throttlers: [
            {
              ttl: cfg.API_RATE_WINDOW_MS,
              limit: (ctx) => ctx.switchToHttp().getRequest<AuthenticatedRequest>().principal?.limit ?? cfg.API_RATE_LIMIT,
            },
          ],
          storage: new SlidingWindowStorage(),
        }),
      ],
      controllers: [
        AnomaliesController,
        DevicesController,
        ModelsController,
        FeedbackController,
        PredictionsController,
        DriftController,
        WindowsController,
        TrainingController,
      ],
      providers: [
        { provide: API_CONFIG, useValue: cfg },
        { provide: CLOCK, useValue: overrides.clock ?? Date.now },
        {
          provide: Authenticator,
          useValue: new Authenticator({
            keys: cfg.API_KEYS,
            jwt: cfg.API_JWT_SECRET ? { secret: cfg.API_JWT_SECRET, issuer: cfg.API_JWT_ISSUER, audience: cfg.API_JWT_AUDIENCE } : undefined,
          }),
        },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_GUARD, useClass: RateLimitGuard },
        ApiMetrics,
        ...infra,
        overrides.anomalies
          ? { provide: ANOMALIES_REPOSITORY, useValue: overrides.anomalies }
          : {
              provide: ANOMALIES_REPOSITORY,
              inject: [CLICKHOUSE],
              useFactory: (ch: ClickHouseClient) => new AnomaliesRepository(ch, cfg.VIGIL_CLICKHOUSE_DATABASE),
            },
        overrides.drift
          ? { provide: DRIFT_REPOSITORY, useValue: overrides.drift }
          : { provide: DRIFT_REPOSITORY, inject: [CLICKHOUSE], useFactory: (ch: ClickHouseClient) => new DriftRepository(ch, cfg.VIGIL_CLICKHOUSE_DATABASE) },
        overrides.feedback
          ? { provide: FEEDBACK_REPOSITORY, useValue: overrides.feedback }
          : {
              provide: FEEDBACK_REPOSITORY,
              inject: [PUBLISHER, CLICKHOUSE],
              useFactory: (pub: AvroPublisher, ch: ClickHouseClient) => new FeedbackRepository(pub, topics.feedback, ch, cfg.VIGIL_CLICKHOUSE_DATABASE),
            },
        {
          provide: MODELS_REPOSITORY,
          inject: [Readiness],
          useFactory: (readiness: Readiness) => {
            const repo = new ModelsRepository(cfg.API_MODELS_DIR);
            if (repo.reachable()) readiness.done('model-registry');
            return repo;
          },
        },
        {
          provide: SENSOR_MODEL,
          inject: [Readiness],
          useFactory: async (readiness: Readiness) => {
            const model = overrides.sensorModel ?? (await loadSensorModel(cfg.API_MODELS_DIR, cfg.API_SENSOR_MODEL, cfg.API_INFERENCE_RUNTIME));
            readiness.done('model');
            return model;
          },
        },
        { provide: VISION_MODEL, useValue: new VisionModelRepository(cfg.API_MODELS_DIR, cfg.API_IMAGE_MODEL, cfg.API_VISION_CACHE_DIR) },
        { provide: AUDIO_MODEL, useValue: new AudioModelRepository(cfg.API_MODELS_DIR, cfg.API_AUDIO_MODEL) },
        { provide: MULTIMODAL_MODEL, useValue: new MultimodalModelRepository(cfg.API_MODELS_DIR, cfg.API_MULTIMODAL_MODEL) },
        overrides.liveTopics === false
          ? { provide: LIVE_TOPICS_REPOSITORY, useValue: null }
          : {
              provide: LIVE_TOPICS_REPOSITORY,
              inject: [KAFKA, PUBLISHER],
              useFactory: (kafka: Kafka, pub: AvroPublisher) =>
                new LiveTopicsRepository(kafka, pub, topics, cfg.API_LIVE_GROUP_PREFIX, cfg.API_LIVE_FROM_BEGINNING),
            },
        overrides.rawWindows
          ? { provide: RAW_WINDOWS, useValue: overrides.rawWindows }
          : needsInfra
            ? {
                provide: RAW_WINDOWS,
                inject: [KAFKA],
                useFactory: (kafka: Kafka) =>
                  new RawWindowRepository(
                    kafka,
                    AvroSerde.forUrl(cfg.VIGIL_SCHEMA_REGISTRY_URL),
                    {
                      sensor: withSuffix(TOPICS.sensorReadings, cfg.API_TOPIC_SUFFIX),
                      audio: withSuffix(TOPICS.audioChunks, cfg.API_TOPIC_SUFFIX),
                      image: withSuffix(TOPICS.imageFrames, cfg.API_TOPIC_SUFFIX),
                    },
                    { earlyMs: SEND_EARLY_MS, lateMs: SEND_LATE_MS, timeoutMs: READ_TIMEOUT_MS },
                  ),
              }
            : { provide: RAW_WINDOWS, useValue: null },
        { provide: TRAINING_REPOSITORY, useValue: new TrainingRepository(cfg.API_MODELS_DIR) },
        WindowsService,
        TrainingService,
        AnomaliesService,
        DevicesService,
        ModelsService,
        FeedbackService,
        PredictionsService,
        DriftCheckService,
        LiveService,
        LiveRuntime,
      ],
    };
  }

  /** After the live runtime has stopped: close the producer and the database client. */
  async onApplicationShutdown(): Promise<void> {
    await this.publisher?.close();
    await this.clickhouse?.close();
  }
}
