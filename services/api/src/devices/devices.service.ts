/** Devices as the results describe them: last seen, online, modalities, current threshold, anomaly rate. */
import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { AnomaliesRepository, DeviceStateRow } from '../anomalies/anomalies.repository';
import { ANOMALIES_REPOSITORY, CLOCK, type Clock } from '../api.tokens';
import { API_CONFIG, type ApiConfig } from '../config/api.config';
import type { DeviceState } from './devices.schemas';

const HOUR_MS = 3_600_000;

@Injectable()
export class DevicesService {
  constructor(
    @Inject(ANOMALIES_REPOSITORY) private readonly repo: AnomaliesRepository,
    @Inject(API_CONFIG) private readonly cfg: ApiConfig,
    @Inject(CLOCK) private readonly now: Clock,
  ) {}

  async list(): Promise<DeviceState[]> {
    const now = this.now();
    return (await this.repo.deviceStates(now - HOUR_MS)).map((r) => this.toState(r, now));
  }

  async one(deviceId: string): Promise<DeviceState> {
    const now = this.now();
    const [row] = await this.repo.deviceStates(now - HOUR_MS, deviceId);
    if (!row) throw new NotFoundException({ error: 'not_found', message: `no results for device ${deviceId}` });
    return this.toState(row, now);
  }

  private toState(r: DeviceStateRow, now: number): DeviceState {
    const lastSeenMs = Number(r.last_window_end_ms);
    const windows = Number(r.windows);
    return {
      deviceId: r.device_id,
      lastSeenMs,
      online: now - lastSeenMs <= this.cfg.API_OFFLINE_AFTER_MS,
      modalities: [...r.modalities].sort() as DeviceState['modalities'],
      currentThreshold: Number(r.threshold),
      anomalyRate: windows === 0 ? 0 : Number(r.anomalies) / windows,
      windowsLastHour: windows,
    };
  }
}
