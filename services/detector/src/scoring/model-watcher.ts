/**
 * Hot model swap: polls the registry folder of every scorer served from one (the default sensor model, a fused
 * model given as a registry folder, a device route's registry folders) and, when a newer version appears, loads it
 * and swaps the served set without a restart. Windows being scored finish on the model they started with; the old
 * model's tensors are released after a grace period.
 */
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { slotOf } from '@vigil/detection';
import { DETECTOR_CONFIG, type DetectorConfig } from '../config/detector.config';
import { DetectorMetrics } from '../observability/metrics';
import { type LoadedScorer, ModelHolder, prepareServingModel } from './model-holder';

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

  /** Swap if a registry has a newer version; returns whether it did. A broken version is logged and skipped. */
  async check(): Promise<boolean> {
    if (this.checking) return false;
    this.checking = true;
    try {
      const current = this.holder.current;
      const replaced = new Map<LoadedScorer, LoadedScorer>();
      for (const served of current.scorers) {
        if (!served.registry) continue;
        try {
          const latest = await served.registry.latest();
          if (latest === served.source) continue;
          // The route and the registry stay the scorer's: a new version serves the same devices under the same slot.
          const next = await served.registry.load(latest);
          replaced.set(served, { ...next, route: served.route, registry: served.registry });
        } catch (err) {
          this.logger.error({ message: 'model swap failed; keeping the current model', slot: slotOf(served.scorer), error: (err as Error).message });
        }
      }
      if (replaced.size === 0) return false;
      // The set is rebuilt, so thresholds start afresh for the new versions (checkpointed states are restored per device).
      const next = prepareServingModel(
        current.scorers.map((s) => replaced.get(s) ?? s),
        this.cfg,
        this.metrics,
      );
      const previous = this.holder.swap(next);
      this.metrics.modelSwaps.inc();
      this.logger.log({ message: 'model swapped', from: previous.version, to: next.version });
      for (const old of replaced.keys()) setTimeout(() => old.scorer.model.dispose?.(), DISPOSE_AFTER_MS).unref();
      return true;
    } finally {
      this.checking = false;
    }
  }
}
