/**
 * Orchestrates windowing for the partitions this instance owns: events → per-device assemblers → closed
 * windows → scoring (which makes results durable) → late events to the late topic → the offset the
 * partition may commit up to (the first event still held in an open window).
 */
import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { type DeadLetter, TransientError } from '@vigil/contracts';
import {
  type AlignedWindow,
  DeviceWindowAssembler,
  keepMinOffset,
  positionKey,
  type StreamModality,
  staggeredPhaseMs,
  type WindowConfig,
} from '@vigil/detection';
import { type AvroPublisher, type BatchResult, type DecodedRecord, type DrainHooks, toDeadLetter } from '@vigil/kafka';
import type { DetectorTopics } from '../config/detector-topics';
import { DETECTOR_CONFIG, type DetectorConfig } from '../config/detector.config';
import { DETECTOR_TOPICS, PUBLISHER } from '../detector.tokens';
import { DetectorMetrics } from '../observability/metrics';
import { OutageTracker } from '../results/outage-tracker';
import { ScoringService } from '../scoring/scoring.service';
import { CheckpointStore } from '../thresholds/checkpoint-store';
import { CloseTimer } from './close-timer';
import { WindowsInFlight } from './windows-in-flight';

interface Timed {
  deviceId: string;
  eventTimeMs: number;
}

/** A device silent this long (wall clock) has its remaining windows flushed, so its partition can commit. */
const IDLE_FLUSH_MS = 10_000;
/**
 * How often idle devices are swept without waiting for traffic. A batch on a device's partition flushes it too,
 * but at the end of a stream — or for a device whose whole burst arrived while an expected modality was still
 * awaited (a replay; a camera that never sends) — no batch comes, and its last windows would stay open.
 */
const IDLE_SWEEP_MS = 2_000;

interface DeviceState {
  offline: boolean;
  /** Event time of its newest event. */
  lastEventMs: number;
}

@Injectable()
export class AlignmentService implements DrainHooks, OnModuleDestroy {
  private readonly logger = new Logger(AlignmentService.name);
  private readonly devices = new Map<string, DeviceWindowAssembler>();
  /** Devices seen per topic-partition: the scope of that partition's commit decision. */
  private readonly devicesByPartition = new Map<string, Set<string>>();
  /**
   * Windows closed but not yet durable. A window of a device can be closed by any modality's partition handler,
   * so every partition's commit must also wait for these; a failed write or scoring fails the next batch.
   */
  private readonly inFlight: WindowsInFlight;
  /** Write failures are logged once per outage (every pending batch fails while ClickHouse is down). */
  private readonly writeOutages = new OutageTracker();
  private readonly windowCfg: WindowConfig;
  private readonly staggered: boolean;
  private readonly groupId: string;
  private readonly offlineAfterMs: number;
  /** Online/offline per device: a silent device is one state change, not an empty window per hop. */
  private readonly states = new Map<string, DeviceState>();
  private sweeper: NodeJS.Timeout | undefined;
  /** Re-checks devices whose next window closes by the clock alone, a few ms after their last batch. */
  private readonly closeTimer: CloseTimer;

  constructor(
    @Inject(DETECTOR_CONFIG) cfg: DetectorConfig,
    @Inject(DETECTOR_TOPICS) private readonly topics: DetectorTopics,
    @Inject(PUBLISHER) private readonly publisher: AvroPublisher,
    @Inject(ScoringService) private readonly scoring: ScoringService,
    @Inject(CheckpointStore) private readonly checkpoints: CheckpointStore,
    @Inject(DetectorMetrics) private readonly metrics: DetectorMetrics,
  ) {
    this.windowCfg = {
      lengthMs: cfg.DETECTOR_WINDOW_MS,
      hopMs: cfg.DETECTOR_HOP_MS,
      allowedLatenessMs: cfg.DETECTOR_ALLOWED_LATENESS_MS,
      expected: cfg.DETECTOR_EXPECTED_MODALITIES as StreamModality[],
      silenceAfterMs: cfg.DETECTOR_OFFLINE_AFTER_MS,
    };
    this.offlineAfterMs = cfg.DETECTOR_OFFLINE_AFTER_MS;
    this.staggered = cfg.DETECTOR_WINDOW_PHASE === 'staggered';
    this.groupId = cfg.DETECTOR_GROUP_ID;
    this.inFlight = new WindowsInFlight(
      // A few model batches in scoring keep the batcher's batches full; the sink may lag by a few flushes.
      { maxScoringWindows: 4 * cfg.DETECTOR_MAX_BATCH_WINDOWS, maxPendingOutputs: 4 * cfg.DETECTOR_FLUSH_MAX_ROWS },
      {
        scoringFailed: (err) => this.logger.error({ message: 'scoring windows failed; the next batch will trigger a replay', error: (err as Error).message }),
        writeFailed: (err) => {
          if (this.writeOutages.failed())
            this.logger.error({ message: 'writing results failed; the next batch will trigger a replay', error: (err as Error).message });
        },
        written: () => {
          const ended = this.writeOutages.succeeded();
          if (ended) this.logger.log({ message: 'writing results recovered', failedWrites: ended.failures, outageMs: ended.durationMs });
        },
      },
    );
    this.closeTimer = new CloseTimer((ids) => void this.closeDue(ids), cfg.DETECTOR_HOP_MS);
    this.sweeper = setInterval(() => void this.sweepIdle(), IDLE_SWEEP_MS);
    this.sweeper.unref();
  }

  onModuleDestroy(): void {
    this.stopSweeping();
  }

  /**
   * Flushes every device silent for IDLE_FLUSH_MS that still holds events, through the same path as a batch's
   * windows (in flight until durable, so no partition commits past them). Their offsets are committed by the
   * partition's next batch; a crash before it replays them, and ClickHouse keeps one row per window (FINAL).
   */
  private async sweepIdle(): Promise<void> {
    const now = Date.now();
    const windows: AlignedWindow[] = [];
    for (const device of this.devices.values()) {
      if (now - device.lastActivityMs > IDLE_FLUSH_MS && device.bufferedEvents > 0) windows.push(...device.flushAll());
    }
    if (windows.length === 0) return;
    try {
      await this.emit(windows);
    } catch (err) {
      // The windows' offsets stay uncommitted; the next batch on their partitions replays them.
      this.logger.warn({ message: 'idle flush failed', error: (err as Error).message });
    }
  }

  /** The close timer's due devices: their windows close now, through the same path as a batch's. */
  private async closeDue(ids: string[]): Promise<void> {
    const now = Date.now();
    const windows: AlignedWindow[] = [];
    for (const id of ids) {
      const device = this.devices.get(id);
      if (device) windows.push(...this.closeReadyOf(device, now));
    }
    if (windows.length === 0) return;
    try {
      await this.emit(windows);
    } catch (err) {
      this.logger.warn({ message: 'closing windows by the clock failed', error: (err as Error).message });
    }
  }

  private stopSweeping(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
    this.closeTimer.stop();
  }

  async ingest<T extends Timed>(modality: StreamModality, records: DecodedRecord<T>[], topic: string, partition: number): Promise<BatchResult> {
    const failure = this.inFlight.takeFailure();
    if (failure) throw new TransientError('an earlier scoring or flush of results failed; replaying from the committed offsets', failure.error);
    const newest = records.at(-1);
    if (newest) this.metrics.stageLatency.observe({ stage: 'consume' }, Math.max(0, Date.now() - newest.timestampMs) / 1000);
    const partitionKey = positionKey({ topic, partition });
    const scope = this.scopeOf(partitionKey);
    const touched = new Set<DeviceWindowAssembler>();
    const late: DecodedRecord<T>[] = [];
    const now = Date.now();
    for (const r of records) {
      const device = this.assemblerFor(r.value.deviceId);
      scope.add(device.deviceId);
      const outcome = device.add(modality, { eventTimeMs: r.value.eventTimeMs, value: r.value, source: { topic, partition, offset: r.offset } }, now);
      if (outcome === 'late') late.push(r);
      touched.add(device);
      this.seen(device.deviceId, r.value.eventTimeMs);
    }
    this.metrics.events.inc({ modality }, records.length);

    const windows: AlignedWindow[] = [];
    for (const device of touched) windows.push(...this.closeReadyOf(device, now));
    for (const id of scope) {
      const device = this.devices.get(id)!;
      if (touched.has(device)) continue;
      const idleMs = now - device.lastActivityMs;
      if (idleMs > IDLE_FLUSH_MS && device.bufferedEvents > 0) windows.push(...device.flushAll());
      if (idleMs > this.offlineAfterMs) this.markOffline(id);
    }
    if (windows.length > 0) await this.emit(windows);
    if (late.length > 0) await this.forwardLate(modality, late);
    this.metrics.activeDevices.set(this.devices.size);
    return { retainFrom: this.retainedFrom(partitionKey, scope) };
  }

  /** Closed windows → scoring, without waiting for it (see WindowsInFlight); their offsets stay held until durable. */
  private emit(windows: AlignedWindow[]): Promise<void> {
    return this.inFlight.start(
      windows,
      (ws) => this.scoring.process(ws),
      () => this.scoring.pendingOutputs,
    );
  }

  /**
   * Graceful shutdown, once the consumer has stopped handing out batches: every closed window is made durable
   * now, so each partition may then commit up to its first event still held in an open window (retainFrom).
   * Open windows are not forced closed: their events are replayed by the next owner, which closes them with
   * the data that arrives meanwhile.
   */
  async drain(): Promise<void> {
    this.stopSweeping(); // open windows stay open for the next owner (see above)
    await this.inFlight.drain(() => this.scoring.flush());
  }

  retainFrom(topic: string, partition: number): string | undefined {
    const key = positionKey({ topic, partition });
    return this.retainedFrom(key, this.scopeOf(key));
  }

  /**
   * After a rebalance kafkajs resumes each assigned partition from its committed offset, so every event held
   * in an open window comes again. Dropping the in-memory windows avoids holding those events twice; devices
   * rebuild from the replay and resume after their last durable window (the checkpoint store).
   */
  reset(): void {
    if (this.devices.size > 0)
      this.logger.log({ message: 'partitions reassigned: rebuilding open windows from committed offsets', devices: this.devices.size });
    this.devices.clear();
    this.closeTimer.clear();
    this.devicesByPartition.clear();
    this.states.clear();
    this.metrics.offlineDevices.set(0);
    this.inFlight.reset(); // the replay re-emits whatever had not become durable
    this.scoring.reset();
  }

  /** Windows the watermark has passed; the device is re-checked by the clock if its next one closes soon. */
  private closeReadyOf(device: DeviceWindowAssembler, now: number): AlignedWindow[] {
    const windows = device.closeReady(now);
    for (const silence of device.takeSilences()) {
      this.logger.log({
        message: 'device silence skipped: no windows for it',
        deviceId: silence.deviceId,
        lastEventMs: silence.lastEventMs,
        resumedAtMs: silence.resumedAtMs,
      });
    }
    this.closeTimer.schedule(device.deviceId, device.nextCloseAtMs(now), now);
    return windows;
  }

  /** Devices currently offline (silent for DETECTOR_OFFLINE_AFTER_MS of wall-clock time). */
  get offlineDevices(): string[] {
    return [...this.states].filter(([, s]) => s.offline).map(([id]) => id);
  }

  private seen(deviceId: string, eventTimeMs: number): void {
    const state = this.states.get(deviceId);
    if (!state) {
      this.states.set(deviceId, { offline: false, lastEventMs: eventTimeMs });
      return;
    }
    if (eventTimeMs > state.lastEventMs) state.lastEventMs = eventTimeMs;
    if (state.offline) {
      state.offline = false;
      this.metrics.offlineDevices.dec();
      this.logger.log({ message: 'device online again', deviceId, eventTimeMs });
    }
  }

  private markOffline(deviceId: string): void {
    const state = this.states.get(deviceId);
    if (!state || state.offline) return;
    state.offline = true;
    this.metrics.offlineDevices.inc();
    this.logger.log({ message: 'device offline', deviceId, lastSeenEventMs: state.lastEventMs });
  }

  private assemblerFor(deviceId: string): DeviceWindowAssembler {
    let device = this.devices.get(deviceId);
    if (!device) {
      const phaseMs = this.staggered ? staggeredPhaseMs(deviceId, this.windowCfg.hopMs) : 0;
      device = new DeviceWindowAssembler(deviceId, { ...this.windowCfg, phaseMs }, this.checkpoints.resumeAfter(deviceId));
      this.devices.set(deviceId, device);
    }
    return device;
  }

  private scopeOf(partitionKey: string): Set<string> {
    let scope = this.devicesByPartition.get(partitionKey);
    if (!scope) {
      scope = new Set();
      this.devicesByPartition.set(partitionKey, scope);
    }
    return scope;
  }

  private retainedFrom(partitionKey: string, scope: Set<string>): string | undefined {
    const held = new Map<string, string>();
    for (const id of scope) this.devices.get(id)!.retainedOffsets(held);
    const inFlight = this.inFlight.heldOffset(partitionKey);
    if (inFlight !== undefined) keepMinOffset(held, partitionKey, inFlight);
    return held.get(partitionKey);
  }

  private async forwardLate<T extends Timed>(modality: StreamModality, late: DecodedRecord<T>[]): Promise<void> {
    this.metrics.lateEvents.inc({ modality }, late.length);
    const letters: DeadLetter[] = late.map((r) =>
      toDeadLetter(
        { topic: r.topic, partition: r.partition, offset: r.offset, key: r.raw.key, value: r.raw.value },
        this.groupId,
        new LateEventError(`event time ${new Date(r.value.eventTimeMs).toISOString()} of ${r.value.deviceId} is older than every open window`),
      ),
    );
    await this.publisher.publish(
      this.topics.late,
      letters.map((l) => ({ key: l.originalKey?.toString() ?? '', value: l })),
    );
    this.logger.debug?.(`${late.length} late ${modality} events forwarded to ${this.topics.late.name}`);
  }
}

class LateEventError extends Error {
  override readonly name = 'LateEventError';
}
