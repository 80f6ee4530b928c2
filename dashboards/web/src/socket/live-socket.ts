/**
 * The one socket module: owns the Socket.IO connection (typed by @vigil/contracts/realtime), subscribes to the
 * fleet room and to every device it learns of, and only writes to stores — through one FrameBatcher per event
 * kind, so the stores change at most once per animation frame however fast the fleet sends.
 */
import type { ClientToServerEvents, LiveAlert, LiveResult, ServerToClientEvents, TelemetryTick } from '@vigil/contracts/realtime';
import { MAX_DEVICE_SUBSCRIPTIONS } from '@vigil/contracts/realtime';
import { io, type Socket } from 'socket.io-client';
import type { ApiDriftEvent, Feedback } from '../api/types';
import type { Connection } from '../config';
import { FrameBatcher } from '../lib/frame-batcher';
import type { useEventsStore } from '../stores/events';
import type { useFleetStore } from '../stores/fleet';

type LiveClient = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface LiveStores {
  fleet: ReturnType<typeof useFleetStore>;
  events: ReturnType<typeof useEventsStore>;
}

export interface LiveSocket {
  /** Joins the rooms of devices not subscribed yet (the REST device list, a deep link). */
  watchDevices(deviceIds: readonly string[]): void;
  close(): void;
}

export function connectLive(conn: Connection, { fleet, events }: LiveStores): LiveSocket {
  const socket: LiveClient = io(conn.apiUrl, { auth: conn.apiKey ? { apiKey: conn.apiKey } : {}, transports: ['websocket'] });
  const subscribed = new Set<string>();
  const results = new FrameBatcher<LiveResult>((b) => fleet.applyResults(b, Date.now()));
  const ticks = new FrameBatcher<TelemetryTick>((b) => fleet.applyTelemetry(b));
  const alerts = new FrameBatcher<LiveAlert>((b) => events.applyAlerts(b));
  const drift = new FrameBatcher<ApiDriftEvent>((b) => events.applyDrift(b));
  const feedback = new FrameBatcher<Feedback>((b) => events.applyFeedback(b));

  function subscribe(deviceIds: string[], withFleet: boolean): void {
    if (!socket.connected || (deviceIds.length === 0 && !withFleet)) return;
    socket.emit('subscribe', { deviceIds, fleet: withFleet }, (ack) => {
      if (ack.ok) fleet.applySnapshot(ack.snapshot);
      else fleet.setStatus('live', `subscribe refused: ${ack.error}`);
    });
  }

  function watchDevices(deviceIds: readonly string[]): void {
    const fresh = deviceIds.filter((d) => !subscribed.has(d)).slice(0, MAX_DEVICE_SUBSCRIPTIONS - subscribed.size);
    for (const d of fresh) subscribed.add(d);
    subscribe(fresh, false);
  }

  socket.on('connect', () => {
    fleet.setStatus('live');
    // A recovered session keeps its rooms; a new one asks again for all of them.
    if (!socket.recovered) subscribe([...subscribed], true);
  });
  socket.on('disconnect', (reason) => fleet.setStatus(reason === 'io client disconnect' ? 'offline' : 'reconnecting', reason));
  socket.on('connect_error', (err) => fleet.setStatus(/unauthorized/.test(err.message) ? 'unauthorized' : 'reconnecting', err.message));
  socket.on('result', (r) => results.add(r));
  socket.on('telemetry', (t) => {
    ticks.add(t);
    // Devices appear in the fleet's telemetry before anyone asked for them: follow them too.
    const unseen = t.devices.filter((d) => !subscribed.has(d.deviceId)).map((d) => d.deviceId);
    if (unseen.length) watchDevices(unseen);
  });
  socket.on('alert', (a) => alerts.add(a));
  socket.on('drift', (e) => drift.add(e));
  socket.on('feedback', (f) => feedback.add(f));

  return { watchDevices, close: () => void socket.close() };
}
