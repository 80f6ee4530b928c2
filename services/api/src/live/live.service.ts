/**
 * The live fan-out: results off the topic go to their device room at once (volatile) and into this tick's
 * telemetry aggregate for the fleet room; anomalous ones also go out as reliable, replayable alerts. A client's
 * subscription is checked, then answered with a snapshot of each device's recent results from ClickHouse.
 */
import { Inject, Injectable } from '@nestjs/common';
import type { AnomalyResult, DriftEvent, OperatorFeedback } from '@vigil/contracts';
import { deviceRoom, FLEET_ROOM, type LiveResult, MAX_DEVICE_SUBSCRIPTIONS, type SubscribeAck } from '@vigil/contracts/realtime';
import type { AnomaliesRepository } from '../anomalies/anomalies.repository';
import { fromRecord, fromRow } from '../anomalies/result-rows';
import { ANOMALIES_REPOSITORY, CLOCK, type Clock } from '../api.tokens';
import { API_CONFIG, type ApiConfig } from '../config/api.config';
import { deviceIdSchema, z } from '../http/api-schemas';
import { fieldIssues } from '../http/zod.pipe';
import { ApiMetrics } from '../observability/api-metrics';
import type { LiveSocketRepository } from './live-socket.repository';
import { TelemetryAggregator } from './telemetry-aggregator';

export const LIVE_SOCKETS = Symbol('LIVE_SOCKETS');

export const subscribeRequestSchema = z
  .object({ deviceIds: z.array(deviceIdSchema).max(MAX_DEVICE_SUBSCRIPTIONS).default([]), fleet: z.boolean().default(false) })
  .strict();

@Injectable()
export class LiveService {
  private sockets?: LiveSocketRepository;
  private readonly telemetry = new TelemetryAggregator();

  constructor(
    @Inject(ANOMALIES_REPOSITORY) private readonly results: AnomaliesRepository,
    @Inject(API_CONFIG) private readonly cfg: ApiConfig,
    @Inject(CLOCK) private readonly now: Clock,
    @Inject(ApiMetrics) private readonly metrics: ApiMetrics,
  ) {}

  attach(sockets: LiveSocketRepository): void {
    this.sockets = sockets;
  }

  onResults(records: AnomalyResult[]): void {
    const now = this.now();
    for (const record of records) {
      const result = fromRecord(record);
      this.sockets?.result(result);
      this.telemetry.add(result);
      if (result.isAnomaly) this.sockets?.alert({ result, receivedAtMs: now });
      this.metrics.liveDeliveryLag.observe(Math.max(0, now - record.processedAtMs) / 1000);
    }
    this.metrics.liveEvents.inc({ kind: 'result' }, records.length);
  }

  onDrift(events: DriftEvent[]): void {
    for (const e of events) this.sockets?.drift(e);
    this.metrics.liveEvents.inc({ kind: 'drift' }, events.length);
  }

  onFeedback(records: OperatorFeedback[]): void {
    for (const f of records) this.sockets?.feedback(f);
    this.metrics.liveEvents.inc({ kind: 'feedback' }, records.length);
  }

  /** Once per tick: the fleet's telemetry, and the bound on slow clients. */
  tick(): void {
    if (!this.sockets) return;
    if (this.telemetry.size > 0) this.sockets.telemetry(this.telemetry.drain(this.now()));
    const cut = this.sockets.cutSlowClients();
    if (cut > 0) this.metrics.liveDropped.inc(cut);
    this.metrics.socketClients.set(this.sockets.clients);
  }

  /** Rooms for a subscription request and the snapshot to send with them. */
  async subscribe(request: unknown): Promise<SubscribeAck & { rooms?: string[] }> {
    const parsed = subscribeRequestSchema.safeParse(request ?? {});
    if (!parsed.success)
      return {
        ok: false,
        error: fieldIssues(parsed.error)
          .map((i) => `${i.field}: ${i.reason}`)
          .join('; '),
      };
    const { deviceIds, fleet } = parsed.data;
    const rows = await this.results.recent(deviceIds, this.cfg.API_SNAPSHOT_RESULTS);
    const snapshot: Record<string, LiveResult[]> = Object.fromEntries(deviceIds.map((d) => [d, []]));
    for (const row of rows) snapshot[row.device_id]?.push(fromRow(row));
    return { ok: true, rooms: [...deviceIds.map(deviceRoom), ...(fleet ? [FLEET_ROOM] : [])], snapshot };
  }
}
