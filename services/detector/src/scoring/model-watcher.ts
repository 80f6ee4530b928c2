/**
 * Hot model swap: polls the model registry folder and, when a newer version appears, loads it and swaps it
 * in without a restart. Windows being scored finish on the model they started with; the old model's tensors
 * are released after a grace period.
 */
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { slotOf } from '@vigil/detection';
import { DETECTOR_CONFIG, type DetectorConfig } from '../config/detector.config';
import { DetectorMetrics } from '../observability/metrics';
import { ModelHolder, prepareServingModel } from './model-holder';
import { loadSensorModel, resolveModelDir, sensorScorer } from './sensor-model.loader';

const DISPOSE_AFTER_MS = 30_000;

@Injectable()
export class ModelWatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ModelWatcher.name);
  private timer: NodeJS.Timeout | undefined;
  private checking = false;

  constructor(
    @Inject(DETECTOR_CONFIG) private readonly cfg: DetectorConfig,
    @Inject(ModelHolder) private readonly holder: ModelHolder,
    @Inject(DetectorMetrics) private readonly metrics: DetectorMetrics,
  ) {}

  onApplicationBootstrap(): void {
    if (this.cfg.DETECTOR_MODEL_POLL_MS > 0) this.timer = setInterval(() => void this.check(), this.cfg.DETECTOR_MODEL_POLL_MS);
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** Swap if the registry has a newer version; returns whether it did. A broken version is logged and skipped. */
  async check(): Promise<boolean> {
    if (this.checking) return false;
    this.checking = true;
    try {
      const latest = await resolveModelDir(this.cfg.DETECTOR_SENSOR_MODEL_DIR);
      const current = this.holder.current;
      // The fleet's default sensor model (a device route's keeps its own slot, SENSOR@<route>, and is not swapped).
      const sensor = current.scorers.find((s) => slotOf(s.scorer) === 'SENSOR');
      if (latest === sensor?.source) return false;
      // The other scorers stay; the set is rebuilt so thresholds start afresh for the new versions.
      const others = current.scorers.filter((s) => s !== sensor);
      const next = prepareServingModel(
        [sensorScorer(await loadSensorModel(latest, this.cfg.DETECTOR_INFERENCE_RUNTIME), latest), ...others],
        this.cfg,
        this.metrics,
      );
      const previous = this.holder.swap(next);
      this.metrics.modelSwaps.inc();
      this.logger.log({ message: 'model swapped', from: previous.version, to: next.version });
      if (sensor) setTimeout(() => sensor.scorer.model.dispose?.(), DISPOSE_AFTER_MS).unref();
      return true;
    } catch (err) {
      this.logger.error({ message: 'model swap failed; keeping the current model', error: (err as Error).message });
      return false;
    } finally {
      this.checking = false;
    }
  }
}
