/**
 * The typed Socket.IO event map between the API's live gateway and its clients (the Vue app, scripts). Browser
 * safe: types only, plus room-name helpers, no Node imports; import it as `@vigil/contracts/realtime`.
 *
 * Rooms: `device:<id>` (every result of that device, its telemetry aggregate each tick, its alerts and feedback)
 * and `fleet` (every device's telemetry aggregate each tick, every alert, drift events). A client asks for rooms with `subscribe`, gets a snapshot
 * of recent results in the ack, then live events.
 *
 * Delivery: `result` and `telemetry` are volatile (a slow client misses some, never slows the others: the next
 * one supersedes them); `alert`, `drift` and `feedback` are reliable and, after a short disconnection, replayed
 * by Socket.IO's connection-state recovery.
 *
 * @example
 *   import { io, type Socket } from 'socket.io-client';
 *   import type { ClientToServerEvents, ServerToClientEvents } from '@vigil/contracts/realtime';
 *   const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(url, { auth: { apiKey } });
 *   socket.emit('subscribe', { deviceIds: ['dev-0001'] }, (ack) => { if (ack.ok) render(ack.snapshot); });
 *   socket.on('result', (r) => …);
 */
import type { DriftEvent, OperatorFeedback } from '../generated/schemas';

export type LiveModality = 'SENSOR' | 'AUDIO' | 'IMAGE' | 'FUSED';

/** One window's verdict, as the REST API returns it (`GET /v1/anomalies`). */
export interface LiveResult {
  deviceId: string;
  windowStartMs: number;
  windowEndMs: number;
  modelVersion: string;
  modalities: Array<{ modality: LiveModality; score: number; threshold: number; isAnomaly: boolean }>;
  missingModalities: LiveModality[];
  fusedScore: number;
  fusedThreshold: number;
  isAnomaly: boolean;
  rootCauseSummary: string | null;
  processedAtMs: number;
}

/** An anomalous window: reliable, kept for replay. */
export interface LiveAlert {
  result: LiveResult;
  /** When the API read it off the topic (epoch ms). */
  receivedAtMs: number;
}

/** What one device did during one tick. */
export interface DeviceTelemetry {
  deviceId: string;
  windows: number;
  anomalies: number;
  lastScore: number;
  maxScore: number;
  threshold: number;
  lastWindowEndMs: number;
}

export interface TelemetryTick {
  tickEndMs: number;
  devices: DeviceTelemetry[];
}

export interface SubscribeRequest {
  deviceIds?: string[];
  fleet?: boolean;
}

export type SubscribeAck = { ok: true; rooms: string[]; snapshot: Record<string, LiveResult[]> } | { ok: false; error: string };

export interface ServerToClientEvents {
  result: (result: LiveResult) => void;
  alert: (alert: LiveAlert) => void;
  telemetry: (tick: TelemetryTick) => void;
  drift: (event: DriftEvent) => void;
  feedback: (feedback: OperatorFeedback) => void;
}

export interface ClientToServerEvents {
  subscribe: (request: SubscribeRequest, ack: (ack: SubscribeAck) => void) => void;
  unsubscribe: (request: SubscribeRequest, ack: (ack: { ok: true; rooms: string[] }) => void) => void;
}

/** Credentials in the handshake (`io(url, { auth })`). */
export interface LiveAuth {
  apiKey?: string;
  token?: string;
}

export const FLEET_ROOM = 'fleet';
export const deviceRoom = (deviceId: string): string => `device:${deviceId}`;
/** Subscriptions a client may hold at once (rooms are cheap, but unbounded joins are a memory lever). */
export const MAX_DEVICE_SUBSCRIPTIONS = 1000;
