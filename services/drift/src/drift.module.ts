/**
 * Wires the drift service: Kafka, the registry and ClickHouse on one side, the monitoring service over the
 * pure `@vigil/drift` statistics and retrain policy on the other.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { type DynamicModule, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { createClickhouse } from '@vigil/clickhouse';
import { DEFAULT_PSI_THRESHOLD } from '@vigil/drift';
import { AvroPublisher, createKafka, ensureTopics, kafkaConnection } from '@vigil/kafka';
import { CLICKHOUSE, clickhouseLoggerClass, KAFKA, kafkaLogCreator, ServiceKitModule, type ServiceLogger } from '@vigil/service';
import type { Kafka } from 'kafkajs';
import { DRIFT_CONFIG, retrainPolicyOf, type DriftConfig } from './config/drift.config';
import { driftTopics, type DriftTopics } from './config/drift-topics';
import { DRIFT_TOPICS, PUBLISHER } from './drift.tokens';
import { DriftController } from './monitoring/drift.controller';
import { DriftMonitoringService } from './monitoring/drift-monitoring.service';
import { DriftOutboxRepository } from './monitoring/drift-outbox.repository';
import { DriftRepository } from './monitoring/drift.repository';
import { systemClock } from './monitoring/system-clock';
import { DRIFT_METRIC_PREFIX, DriftMetrics } from './observability/drift-metrics';

@Module({})
export class DriftModule implements OnApplicationShutdown {
  constructor(
    @Inject(PUBLISHER) private readonly publisher: AvroPublisher,
    @Inject(CLICKHOUSE) private readonly clickhouse: ClickHouseClient,
  ) {}

  static forRoot(cfg: DriftConfig, logger: ServiceLogger): DynamicModule {
    return {
      module: DriftModule,
      imports: [ServiceKitModule.forRoot({ logger, metricsPrefix: DRIFT_METRIC_PREFIX, waitFor: ['consumer'] })],
      controllers: [DriftController],
      providers: [
        { provide: DRIFT_CONFIG, useValue: cfg },
        { provide: DRIFT_TOPICS, useValue: driftTopics(cfg) },
        DriftMetrics,
        { provide: KAFKA, useFactory: () => createKafka({ ...kafkaConnection(cfg), clientId: cfg.DRIFT_CLIENT_ID, logCreator: kafkaLogCreator(logger) }) },
        {
          provide: PUBLISHER,
          inject: [KAFKA, DRIFT_TOPICS],
          useFactory: async (kafka: Kafka, t: DriftTopics) => {
            const all = [t.latents, t.results, t.feedback, t.driftEvents, t.retrainRequests, t.deadLetters];
            const admin = kafka.admin();
            await admin.connect();
            await ensureTopics(admin, all).finally(() => admin.disconnect());
            return AvroPublisher.connect(
              { brokers: cfg.VIGIL_KAFKA_BROKERS, registryUrl: cfg.VIGIL_SCHEMA_REGISTRY_URL, clientId: cfg.DRIFT_CLIENT_ID },
              all,
              kafka,
            );
          },
        },
        { provide: CLICKHOUSE, useFactory: () => createClickhouse(cfg, { migrate: true, LoggerClass: clickhouseLoggerClass(logger) }) },
        {
          provide: DriftMonitoringService,
          inject: [CLICKHOUSE, PUBLISHER, DRIFT_TOPICS, DriftMetrics],
          useFactory: (ch: ClickHouseClient, pub: AvroPublisher, t: DriftTopics, metrics: DriftMetrics) =>
            new DriftMonitoringService(
              {
                referenceSize: cfg.DRIFT_REFERENCE_SIZE,
                windowSize: cfg.DRIFT_WINDOW_SIZE,
                hop: cfg.DRIFT_HOP,
                alpha: cfg.DRIFT_ALPHA,
                psiThreshold: DEFAULT_PSI_THRESHOLD,
                permutations: cfg.DRIFT_PERMUTATIONS,
                maxSkewMs: cfg.DRIFT_MAX_SKEW_MS,
                maxBuffered: cfg.DRIFT_ORDER_BUFFER,
                policy: retrainPolicyOf(cfg),
              },
              new DriftRepository(ch, cfg.VIGIL_CLICKHOUSE_DATABASE),
              new DriftOutboxRepository(pub, t),
              systemClock,
              metrics,
            ),
        },
      ],
      exports: [KAFKA, PUBLISHER, DRIFT_TOPICS, DriftMetrics, DriftMonitoringService],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.publisher.close();
    await this.clickhouse.close();
  }
}
