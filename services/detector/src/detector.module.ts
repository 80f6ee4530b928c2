/**
 * Wires the detector: Kafka, the registry, ClickHouse and the model on one side, the pure windowing,
 * threshold and scoring logic on the other. `forRoot` takes the validated config and, for tests, a model.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { type DynamicModule, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { createClickhouse } from '@vigil/clickhouse';
import { METRIC_PREFIX } from '@vigil/contracts';
import { parseDeviceRoutes } from '@vigil/detection';
import { AvroPublisher, createKafka, DeadLetterPublisher, ensureTopics, kafkaConnection, readTopicToEnd } from '@vigil/kafka';
import { CLICKHOUSE, clickhouseLoggerClass, KAFKA, kafkaLogCreator, ServiceKitModule, type ServiceLogger } from '@vigil/service';
import type { Kafka } from 'kafkajs';
import { type DetectorTopics, detectorTopics } from './config/detector-topics';
import { DETECTOR_CONFIG, type DetectorConfig } from './config/detector.config';
import { DEAD_LETTERS, DETECTOR_TOPICS, PUBLISHER, SHAP_PUBLISHER, STATE_PUBLISHER } from './detector.tokens';
import { FrameDecoder } from './ingest/frame-decoder';
import { loadAudioScorer } from './scoring/audio-model.loader';
import { IngestController } from './ingest/ingest.controller';
import { DetectorMetrics } from './observability/metrics';
import { ResultSink } from './results/result-sink';
import { ResultsRepository } from './results/results.repository';
import { RootCauseWorker } from './root-cause/root-cause.worker';
import { loadImageScorer, resolveImageModelDir } from './scoring/image-model.loader';
import { ModelHolder, prepareServingModel } from './scoring/model-holder';
import { ModelWatcher } from './scoring/model-watcher';
import { loadRouteScorers } from './scoring/route-models.loader';
import { loadMultimodalScorer, resolveMultimodalDir } from './scoring/multimodal-model.loader';
import { loadSensorModel, resolveModelDir, type SensorModel, sensorScorer } from './scoring/sensor-model.loader';
import { ScoringService } from './scoring/scoring.service';
import { CheckpointStore } from './thresholds/checkpoint-store';
import { AlignmentService } from './windowing/alignment.service';

@Module({})
export class DetectorModule implements OnApplicationShutdown {
  constructor(
    @Inject(PUBLISHER) private readonly publisher: AvroPublisher,
    @Inject(STATE_PUBLISHER) private readonly statePublisher: AvroPublisher,
    @Inject(SHAP_PUBLISHER) private readonly shapPublisher: AvroPublisher,
    @Inject(CLICKHOUSE) private readonly clickhouse: ClickHouseClient,
    @Inject(ResultSink) private readonly sink: ResultSink,
    @Inject(RootCauseWorker) private readonly rootCause: RootCauseWorker,
  ) {}

  static forRoot(cfg: DetectorConfig, logger: ServiceLogger, overrides: { sensorModel?: SensorModel } = {}): DynamicModule {
    return {
      module: DetectorModule,
      imports: [ServiceKitModule.forRoot({ logger, metricsPrefix: METRIC_PREFIX.detector, waitFor: ['consumer'] })],
      controllers: [IngestController],
      providers: [
        { provide: DETECTOR_CONFIG, useValue: cfg },
        { provide: DETECTOR_TOPICS, useValue: detectorTopics(cfg) },
        DetectorMetrics,
        {
          provide: KAFKA,
          useFactory: () => createKafka({ ...kafkaConnection(cfg), clientId: cfg.DETECTOR_CLIENT_ID, logCreator: kafkaLogCreator(logger) }),
        },
        {
          provide: PUBLISHER,
          inject: [KAFKA, DETECTOR_TOPICS],
          useFactory: async (kafka: Kafka, t: DetectorTopics) => {
            const all = [t.sensor, t.audio, t.image, t.results, t.latents, t.deadLetters, t.late, t.checkpoints, t.shap];
            // Idempotent: the detector can start before any producer has created its topics.
            const admin = kafka.admin();
            await admin.connect();
            await ensureTopics(admin, all).finally(() => admin.disconnect());
            return AvroPublisher.connect(
              { brokers: cfg.VIGIL_KAFKA_BROKERS, registryUrl: cfg.VIGIL_SCHEMA_REGISTRY_URL, clientId: cfg.DETECTOR_CLIENT_ID },
              all,
              kafka,
            );
          },
        },
        {
          provide: DEAD_LETTERS,
          inject: [PUBLISHER, DETECTOR_TOPICS],
          useFactory: (pub: AvroPublisher, t: DetectorTopics) => new DeadLetterPublisher(pub, cfg.DETECTOR_GROUP_ID, t.deadLetters),
        },
        {
          provide: STATE_PUBLISHER,
          inject: [KAFKA, DETECTOR_TOPICS, PUBLISHER], // after PUBLISHER: its factory creates the topics
          useFactory: (kafka: Kafka, t: DetectorTopics) =>
            AvroPublisher.connect(
              { brokers: cfg.VIGIL_KAFKA_BROKERS, registryUrl: cfg.VIGIL_SCHEMA_REGISTRY_URL, clientId: `${cfg.DETECTOR_CLIENT_ID}-state` },
              [t.checkpoints],
              kafka,
            ),
        },
        {
          provide: SHAP_PUBLISHER,
          inject: [KAFKA, DETECTOR_TOPICS, PUBLISHER], // after PUBLISHER: its factory creates the topics
          useFactory: (kafka: Kafka, t: DetectorTopics) =>
            AvroPublisher.connect(
              { brokers: cfg.VIGIL_KAFKA_BROKERS, registryUrl: cfg.VIGIL_SCHEMA_REGISTRY_URL, clientId: `${cfg.DETECTOR_CLIENT_ID}-root-cause` },
              [t.shap],
              kafka,
            ),
        },
        {
          provide: CLICKHOUSE,
          useFactory: () => createClickhouse(cfg, { migrate: true, LoggerClass: clickhouseLoggerClass(logger) }),
        },
        {
          provide: ModelHolder,
          inject: [DetectorMetrics],
          useFactory: async (metrics: DetectorMetrics) => {
            if (overrides.sensorModel) return new ModelHolder(prepareServingModel([sensorScorer(overrides.sensorModel, 'override')], cfg, metrics));
            const dir = await resolveModelDir(cfg.DETECTOR_SENSOR_MODEL_DIR);
            const fusedDir = await resolveMultimodalDir(cfg.DETECTOR_MULTIMODAL_MODEL_DIR);
            const imageDir = resolveImageModelDir(cfg.DETECTOR_IMAGE_MODEL_DIR);
            const sensorRegistry = {
              latest: () => resolveModelDir(cfg.DETECTOR_SENSOR_MODEL_DIR),
              load: async (v: string) => sensorScorer(await loadSensorModel(v, cfg.DETECTOR_INFERENCE_RUNTIME, cfg.DETECTOR_ONNX_SESSION_HOST), v),
            };
            const fusedRegistry = {
              latest: async () => (await resolveMultimodalDir(cfg.DETECTOR_MULTIMODAL_MODEL_DIR))!,
              load: (v: string) => loadMultimodalScorer(v, cfg.DETECTOR_MULTIMODAL_INFERENCE_RUNTIME, cfg.DETECTOR_ONNX_SESSION_HOST),
            };
            const audioDir =
              cfg.DETECTOR_AUDIO_MODEL_DIR === 'none' || (fusedDir && !cfg.DETECTOR_AUDIO_BESIDE_FUSED) ? undefined : cfg.DETECTOR_AUDIO_MODEL_DIR;
            const audioRegistry = {
              latest: () => resolveModelDir(cfg.DETECTOR_AUDIO_MODEL_DIR),
              load: (v: string) => loadAudioScorer(v, cfg.DETECTOR_WINDOW_MS, cfg.DETECTOR_INFERENCE_RUNTIME, cfg.DETECTOR_ONNX_SESSION_HOST),
            };
            const scorers = [
              { ...(await sensorRegistry.load(dir)), registry: sensorRegistry },
              ...(fusedDir ? [{ ...(await fusedRegistry.load(fusedDir)), registry: fusedRegistry }] : []),
              ...(audioDir ? [{ ...(await audioRegistry.load(await audioRegistry.latest())), registry: audioRegistry }] : []),
              ...(imageDir
                ? [await loadImageScorer(imageDir, cfg.DETECTOR_IMAGE_INFERENCE_RUNTIME, cfg.DETECTOR_VISION_CACHE_DIR, cfg.DETECTOR_ONNX_SESSION_HOST)]
                : []),
              ...(await loadRouteScorers(parseDeviceRoutes(cfg.DETECTOR_DEVICE_ROUTES), cfg)),
            ];
            return new ModelHolder(prepareServingModel(scorers, cfg, metrics));
          },
        },
        ModelWatcher,
        {
          provide: CheckpointStore,
          inject: [KAFKA, PUBLISHER, DETECTOR_TOPICS],
          useFactory: async (kafka: Kafka, pub: AvroPublisher, t: DetectorTopics) =>
            new CheckpointStore((await readTopicToEnd(kafka, t.checkpoints, pub.serde)).map((c) => c.value)),
        },
        {
          provide: ResultSink,
          inject: [CLICKHOUSE, PUBLISHER, STATE_PUBLISHER, DETECTOR_TOPICS, DetectorMetrics, CheckpointStore],
          useFactory: (
            ch: ClickHouseClient,
            pub: AvroPublisher,
            statePub: AvroPublisher,
            t: DetectorTopics,
            metrics: DetectorMetrics,
            store: CheckpointStore,
          ) =>
            new ResultSink(
              new ResultsRepository(ch, cfg.VIGIL_CLICKHOUSE_DATABASE),
              { results: pub, state: statePub },
              t,
              { intervalMs: cfg.DETECTOR_FLUSH_INTERVAL_MS, maxItems: cfg.DETECTOR_FLUSH_MAX_ROWS },
              (checkpoints, seconds) => {
                store.record(checkpoints);
                metrics.flushLatency.observe(seconds);
              },
            ),
        },
        {
          provide: RootCauseWorker,
          inject: [SHAP_PUBLISHER, DETECTOR_TOPICS, CLICKHOUSE],
          useFactory: (pub: AvroPublisher, t: DetectorTopics, ch: ClickHouseClient) => {
            const log = new Logger(RootCauseWorker.name);
            const store = new ResultsRepository(ch, cfg.VIGIL_CLICKHOUSE_DATABASE);
            return new RootCauseWorker(
              { budgetMsPerS: cfg.DETECTOR_SHAP_BUDGET_MS_PER_S, maxCoalitions: cfg.DETECTOR_SHAP_MAX_COALITIONS, maxQueue: cfg.DETECTOR_SHAP_QUEUE },
              // To the topic (downstream programs) and to ClickHouse (the API's window report), best effort both.
              async (explanations) => {
                await Promise.all([
                  pub.publish(
                    t.shap,
                    explanations.map((e) => ({ key: e.deviceId, value: e })),
                  ),
                  store.insertExplanations(explanations),
                ]);
              },
              (err) => log.warn({ message: 'root-cause explanation failed', error: (err as Error).message }),
            );
          },
        },
        ScoringService,
        AlignmentService,
        FrameDecoder,
      ],
      exports: [KAFKA, PUBLISHER, DETECTOR_TOPICS, DetectorMetrics, ModelWatcher, ModelHolder, AlignmentService],
    };
  }

  /** After the transport has drained (in-flight batches durable and committed): flush and disconnect. */
  async onApplicationShutdown(): Promise<void> {
    this.rootCause.stop(); // explanations are best effort; results are flushed below
    await this.sink.flush();
    await Promise.all([this.publisher.close(), this.statePublisher.close(), this.shapPublisher.close()]);
    await this.clickhouse.close();
  }
}
