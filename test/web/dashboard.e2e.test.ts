/**
 * The dashboard in headless Chromium against the running stack: simulated sensor, sound and camera events →
 * Kafka → the real detector (a process) → results and latent topics → the real drift service (in process) and
 * the real API (REST + Socket.IO) → the built app on a static server. Each page renders live data, a drill-down
 * opens a window whose raw channels, spectrogram and image the API reads back from Kafka, a Confirm reaches the
 * API; screenshots of the five pages and the drill-down land in test/web/screenshots/. Printed: first load of
 * each page, the overview's windows/s against the rate published, and frame work time while 200 devices stream.
 *
 * The two speed goals (first load < 1 s, frame work p95 < 16 ms) are printed against their goal in every run and
 * enforced only by `npm run bench:dashboard` (DASHBOARD_SPEED_GOALS=enforce): on a loaded 2-core CI machine a
 * frame's p95 moves by more than the goal's margin from run to run, and a speed target that fails on noise is a
 * flaky test, not a measurement. What every run asserts is behaviour: each page shows its data, the overview keeps
 * drawing while 200 devices stream and counts the rate that was published.
 */
import type { ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { type AnomalyResult, SAMPLE_RECORDS } from '@vigil/contracts';
import { loadConfig, processEnv } from '@vigil/config';
import { AvroPublisher, createKafka, ensureTopics } from '@vigil/kafka';
import { createServiceLogger } from '@vigil/service';

import { logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { z } from 'zod';
import { startApi } from '../../services/api/src/api.app';
import { apiTopics } from '../../services/api/src/api.module';
import { parseApiConfig } from '../../services/api/src/config/api.config';
import { parseDriftConfig } from '../../services/drift/src/config/drift.config';
import { startDrift } from '../../services/drift/src/drift.app';
import { hashApiKey } from '../../services/api/src/security/authenticator';
import { KafkaSink, planRun, type PlannedSend, validateScenario } from '@vigil/simulators';
import { detectorReady, spawnDetector, suffixedTopics, uniqueName, uniqueTableName, waitFor } from '@vigil/testing';
import { type Browser, launchChromium, type Page, REPO_ROOT } from './support/browser';
import { serveStatic } from './support/static-server';

const stack = inject('stack');
const suffix = `.${uniqueName('web')}`;
const database = uniqueTableName('web');
const KEY = 'web-e2e-operator-key-0123456789';
const SHOTS = join(REPO_ROOT, 'test', 'web', 'screenshots');
const WEB = join(REPO_ROOT, 'dashboards', 'web');
const topics = suffixedTopics(suffix);
const scenario = validateScenario({
  name: 'web-e2e',
  seed: 11,
  durationS: 120,
  fleet: [
    {
      name: 'pumps',
      count: 4,
      sensor: { source: 'synthetic', rateHz: 10 },
      // Sound and camera go to Kafka too: the drill-down's spectrogram and heat map are read back from them.
      audio: { source: 'synthetic', chunkS: 1, sampleRate: 16000 },
      image: { source: 'synthetic', periodS: 5, width: 64, height: 64 },
    },
  ],
  timing: { latencyMs: 10, jitterMs: 10 },
  faults: {
    scheduled: [
      { device: 'dev-0001', type: 'bearing_wear', startS: 20, rampS: 5, endS: 120, severity: 1 },
      // A second device drifting makes the fleet's latent distribution move for the drift service.
      { device: 'dev-0003', type: 'overheating', startS: 40, rampS: 10, endS: 120, severity: 1 },
    ],
  },
});
const PAGES = [
  { name: 'overview', hash: '#/', ready: '[data-test=health-grid]' },
  { name: 'training', hash: '#/training', ready: '[data-test=versions]' },
  { name: 'anomalies', hash: '#/anomalies', ready: '[data-test=anomaly-row]' },
  { name: 'root-cause', hash: '#/root-cause', ready: '[data-test=root-cause-summary]' },
  { name: 'drift', hash: '#/drift', ready: '[data-test=drift-events] tr:nth-child(2)' },
];

const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)] ?? NaN;
const { DASHBOARD_SPEED_GOALS } = loadConfig(z.object({ DASHBOARD_SPEED_GOALS: z.enum(['print', 'enforce']).default('print') }), processEnv(), 'dashboard e2e');
const ENFORCE_SPEED_GOALS = DASHBOARD_SPEED_GOALS === 'enforce';
const FIRST_LOAD_GOAL_MS = 1000; // the issue's budget for a first load on localhost
const FRAME_WORK_GOAL_MS = 16; // one frame at 60 Hz
const againstGoal = (ms: number, goalMs: number) => `${ms.toFixed(1)} ms (goal < ${goalMs} ms: ${ms < goalMs ? 'met' : 'NOT MET'})`;

describe('dashboard in Chromium on the live stack', () => {
  let api: INestApplication;
  let drift: INestApplication | undefined;
  let apiUrl = '';
  let appUrl = '';
  let closeStatic = () => undefined as void;
  let detector: ChildProcess | undefined;
  let sink: KafkaSink;
  let publisher: AvroPublisher;
  let browser: Browser;
  let page: Page;
  let batches: PlannedSend[][] = [];

  beforeAll(async () => {
    // Vite may be hoisted to the root's node_modules or sit in the workspace's: resolve it as the workspace would.
    const vite = join(dirname(createRequire(join(WEB, 'package.json')).resolve('vite/package.json')), 'bin', 'vite.js');
    execFileSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: WEB, stdio: 'inherit' });
    mkdirSync(SHOTS, { recursive: true });
    const kafka = createKafka({ brokers: stack.kafkaBrokers, clientId: 'web-e2e', logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    const all = [...Object.values(topics), ...Object.values(apiTopics({ API_TOPIC_SUFFIX: suffix }))];
    await ensureTopics(admin, [...new Map(all.map((t) => [t.name, t])).values()]);
    await admin.disconnect();
    const web = await serveStatic(join(WEB, 'dist'));
    appUrl = web.url;
    closeStatic = () => void web.server.close();
    const cfg = parseApiConfig({
      VIGIL_KAFKA_BROKERS: stack.kafkaBrokers.join(','),
      VIGIL_SCHEMA_REGISTRY_URL: stack.registryUrl,
      VIGIL_CLICKHOUSE_URL: stack.clickhouseUrl,
      VIGIL_CLICKHOUSE_DATABASE: database,
      API_TOPIC_SUFFIX: suffix,
      API_HTTP_HOST: '127.0.0.1',
      API_HTTP_PORT: '0',
      API_KEYS: `web-e2e:operator:${hashApiKey(KEY)}`,
      API_CORS_ORIGINS: appUrl,
      API_RATE_LIMIT: '100000',
      VIGIL_LOG_LEVEL: 'warn',
    });
    api = await startApi(cfg, createServiceLogger({ service: 'web-e2e', level: 'warn' }));
    apiUrl = `http://127.0.0.1:${(api.getHttpServer().address() as AddressInfo).port}`;
    await waitFor('API ready', async () => ((await fetch(`${apiUrl}/health/ready`)).ok ? true : undefined));
    sink = await KafkaSink.connect({ brokers: stack.kafkaBrokers, registryUrl: stack.registryUrl, clientId: 'web-e2e-sim', topics: { ...topics } });
    publisher = await AvroPublisher.connect({ brokers: stack.kafkaBrokers, registryUrl: stack.registryUrl, clientId: 'web-e2e-load' }, [topics.results]);
    batches = [...planRun(scenario, { startMs: Math.ceil(Date.now() / 1000) * 1000, streams: new Set(['sensor', 'audio', 'image']) }).batches()];
    // The drift service on the detector's latents, writing drift events where the API reads them (ClickHouse and
    // the drift topic): small windows so two minutes of four pumps give several tests.
    drift = await startDrift(
      parseDriftConfig({
        VIGIL_KAFKA_BROKERS: stack.kafkaBrokers.join(','),
        VIGIL_SCHEMA_REGISTRY_URL: stack.registryUrl,
        VIGIL_CLICKHOUSE_URL: stack.clickhouseUrl,
        VIGIL_CLICKHOUSE_DATABASE: database,
        DRIFT_TOPIC_SUFFIX: suffix,
        DRIFT_GROUP_ID: `drift${suffix}`,
        DRIFT_HTTP_HOST: '127.0.0.1',
        DRIFT_HTTP_PORT: '0',
        DRIFT_REFERENCE_SIZE: '100',
        DRIFT_WINDOW_SIZE: '50',
        DRIFT_HOP: '25',
        DRIFT_COOLDOWN_MS: '0',
        DRIFT_MIN_NORMAL_SAMPLES: '100',
        DRIFT_FROM_BEGINNING: 'true',
        VIGIL_LOG_LEVEL: 'warn',
      }),
      createServiceLogger({ service: 'web-e2e-drift', level: 'warn' }),
    );
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('pageerror', (e) => console.log(`[page error] ${e.message}`));
    await page.addInitScript(`localStorage.setItem('vigil.apiUrl', ${JSON.stringify(apiUrl)}); localStorage.setItem('vigil.apiKey', ${JSON.stringify(KEY)});`);
  });

  afterAll(async () => {
    await browser?.close();
    detector?.kill('SIGKILL');
    await sink?.close();
    await publisher?.close();
    await api?.close();
    await drift?.close();
    closeStatic();
  });

  it('renders live results from the detector on every page, drills into a window and sends feedback', { timeout: 420_000 }, async () => {
    await page.goto(`${appUrl}/#/`, { waitUntil: 'load' });
    const port = 19_600 + Math.floor(Math.random() * 300);
    detector = spawnDetector({
      stack,
      database,
      suffix,
      port,
      // Sensor only, no fused model: the page is under test here, not the models.
      env: {
        DETECTOR_EXPECTED_MODALITIES: 'SENSOR',
        DETECTOR_MULTIMODAL_MODEL_DIR: 'none',
        DETECTOR_MODEL_POLL_MS: '0',
        DETECTOR_FLUSH_INTERVAL_MS: '200',
        VIGIL_LOG_LEVEL: 'warn',
      },
    });
    await waitFor('detector ready', () => detectorReady(port), 180_000);
    for (const b of batches) await sink.publish(b);
    // Live: the grid fills over Socket.IO on the page that was open before any result existed.
    await page.waitForSelector('[data-test=health-grid] tr:nth-child(5)', { timeout: 180_000 });
    await page.waitForSelector('[data-test=alerts] tr', { timeout: 180_000 });
    // …and the rate: complete seconds of telemetry while the detector works through the fleet's two minutes.
    await page.waitForFunction(`Number(document.querySelector('[data-test=events-per-s]')?.textContent) > 0`, undefined, { timeout: 60_000 });
    await new Promise((r) => setTimeout(r, 2000));
    console.log(`overview while the detector catches up: ${await page.textContent('[data-test=events-per-s]')} windows/s`);
    await page.screenshot({ path: join(SHOTS, 'overview.png') });

    // First loads are the page's time, not a machine busy with the pipeline's catch-up: wait until the detector
    // has been through the whole run and the drift service has reported (its events come from the detector's latents).
    const headers = { 'x-api-key': KEY };
    await waitFor(
      'the detector through the two minutes of every pump',
      async () => {
        const { items } = (await (await fetch(`${apiUrl}/v1/devices`, { headers })).json()) as { items: Array<{ windowsLastHour: number }> };
        return items.length >= 4 && items.every((d) => d.windowsLastHour >= 100) ? true : undefined;
      },
      240_000,
    );
    await waitFor(
      'drift events',
      async () =>
        ((await (await fetch(`${apiUrl}/v1/drift/events?limit=1`, { headers })).json()) as { items: unknown[] }).items.length > 0 ? true : undefined,
      180_000,
    );

    // A window whose report exists: the root-cause page's deep link and the drill-down open this one.
    const flagged = await waitFor(
      'an anomalous window of dev-0001 with a root-cause report',
      async () => {
        const res = await fetch(`${apiUrl}/v1/anomalies?verdict=anomaly&deviceId=dev-0001&limit=50`, { headers: { 'x-api-key': KEY } });
        const page = (await res.json()) as { items: Array<{ deviceId: string; windowStartMs: number; rootCauseSummary: string | null }> };
        // Every raw event was published before the detector started, so any flagged window's are in Kafka; not one
        // of the run's last seconds, whose sound ends with the run, and still among the newest 50 the page lists.
        return page.items.filter((r) => r.rootCauseSummary)[10];
      },
      120_000,
    );
    const windowPath = `${flagged.deviceId}/${flagged.windowStartMs}`;
    // The root-cause page deep-links a window the detector's root-cause worker has explained with KernelSHAP
    // (flagged windows, within its budget), so the page shows SHAP values beside the report.
    const explained = await waitFor(
      'a flagged window with a KernelSHAP report',
      async () => {
        const res = await fetch(`${apiUrl}/v1/anomalies?verdict=anomaly&limit=100`, { headers: { 'x-api-key': KEY } });
        const page = (await res.json()) as { items: Array<{ deviceId: string; windowStartMs: number; rootCauseSummary: string | null }> };
        for (const r of page.items.filter((i) => i.rootCauseSummary)) {
          const detail = await fetch(`${apiUrl}/v1/anomalies/${r.deviceId}/${r.windowStartMs}`, { headers: { 'x-api-key': KEY } });
          if ((((await detail.json()) as { shap: unknown[] | null }).shap ?? []).length > 0) return r;
        }
        return undefined;
      },
      90_000,
    );
    const pages = PAGES.map((p) => (p.name === 'root-cause' ? { ...p, hash: `#/root-cause/${explained.deviceId}/${explained.windowStartMs}` } : p));

    const loads: string[] = [];
    for (const p of pages) {
      const t0 = performance.now();
      await page.goto(`${appUrl}/?fresh=${p.name}${p.hash}`, { waitUntil: 'load' });
      await page.waitForSelector(p.ready, { timeout: 30_000 });
      const ms = performance.now() - t0;
      loads.push(`${p.name} ${againstGoal(ms, FIRST_LOAD_GOAL_MS)}`);
      await page.waitForSelector('.status-live', { timeout: 10_000 });
      if (p.name === 'training') await page.waitForSelector('[data-test=roc-curve]', { timeout: 10_000 });
      if (p.name === 'root-cause') await page.waitForSelector('[data-test=shap-report]', { timeout: 10_000 });
      // Every test's statistic over time, Wasserstein (reported, never judged drifted) included.
      if (p.name === 'drift') for (const t of ['KS', 'MMD', 'WASSERSTEIN']) await page.waitForSelector(`[data-test=drift-chart-${t}]`, { timeout: 15_000 });
      await new Promise((r) => setTimeout(r, 1500)); // let charts draw live data before the picture
      // The overview's picture is the one taken above, live; a fresh load of it shows a fleet the detector is done with.
      if (p.name !== 'overview') await page.screenshot({ path: join(SHOTS, `${p.name}.png`), fullPage: true });
      if (ENFORCE_SPEED_GOALS) expect(ms, p.name).toBeLessThan(FIRST_LOAD_GOAL_MS);
    }
    expect(await page.textContent('[data-test=drift-events]')).toMatch(/MMD|KS|Wasserstein/);
    const driftEvents = await page.locator('[data-test=drift-events] tr').count();
    console.log(`first load (navigation → page's data on screen): ${loads.join(', ')}; drift events on the page: ${driftEvents - 1}`);

    // Drill-down with the keyboard: filter to the flagged device, focus its window's row, Enter, then Confirm.
    await page.goto(`${appUrl}/#/devices/${flagged.deviceId}`, { waitUntil: 'load' });
    const row = page.locator(`[data-test=anomaly-row][data-window="${flagged.windowStartMs}"]`);
    await row.waitFor({ timeout: 30_000 });
    await row.focus();
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-test=verdict]');
    expect(await page.evaluate<string>('location.hash')).toBe(`#/anomalies/${windowPath}`);
    // The raw window, read back from Kafka by the API: 7 channels against their reconstruction, sound, the frame.
    await page.waitForSelector('[data-test=sensor-channels] .channel:nth-child(7) canvas', { timeout: 60_000 });
    await page.waitForSelector('[data-test=spectrogram] canvas', { timeout: 10_000 });
    await page.waitForSelector('[data-test=image-heat] canvas', { timeout: 10_000 });
    await new Promise((r) => setTimeout(r, 1000));
    await page.screenshot({ path: join(SHOTS, 'window.png'), fullPage: true });
    const raw = (await (await fetch(`${apiUrl}/v1/windows/${windowPath}/data`, { headers: { 'x-api-key': KEY } })).json()) as {
      sources: Array<{ topic: string; kept: number }>;
      sensor: { readings: number; channels: unknown[]; score: number };
      audio: { coverage: number };
      image: { score: number };
    };
    const result = (await (await fetch(`${apiUrl}/v1/anomalies/${windowPath}`, { headers: { 'x-api-key': KEY } })).json()) as {
      modalities: Array<{ modality: string; score: number }>;
    };
    const detectorScore = result.modalities.find((m) => m.modality === 'SENSOR')!.score;
    console.log(
      `drill-down ${windowPath}: read back from Kafka ${raw.sources.map((s) => `${s.topic.split('.')[1]} ${s.kept}`).join(', ')}; sensor score re-run ${raw.sensor.score.toFixed(4)}, detector's ${detectorScore.toFixed(4)}`,
    );
    // The same readings through the same frame builder and model give the detector's own score.
    expect(Math.abs(raw.sensor.score - detectorScore) / detectorScore).toBeLessThan(1e-3);
    expect(raw.sensor.readings).toBeGreaterThanOrEqual(25); // 10 Hz × 3 s, a few dropped or late at most
    expect(raw.sensor.channels).toHaveLength(7);
    expect(raw.audio.coverage).toBeGreaterThan(0.9);
    expect(raw.image.score).toBeGreaterThan(0);
    await page.click('[data-test=confirm]');
    await page.waitForSelector('[data-test=feedback-sent]');
    const [deviceId, windowStartMs] = (await page.evaluate<string>('location.hash')).split('/').slice(-2);
    const stored = (await (await fetch(`${apiUrl}/v1/feedback?deviceId=${deviceId}`, { headers: { 'x-api-key': KEY } })).json()) as {
      items: Array<{ kind: string; windowStartMs: number }>;
    };
    expect(stored.items).toContainEqual(expect.objectContaining({ kind: 'CONFIRM', windowStartMs: Number(windowStartMs) }));
  });

  it('keeps drawing while 200 devices stream, and prints frame work against its 16 ms goal', { timeout: 120_000 }, async () => {
    await page.goto(`${appUrl}/?perf=1#/`, { waitUntil: 'load' });
    await page.waitForSelector('.status-live');
    const t0 = Date.now();
    const base = SAMPLE_RECORDS.anomalyResults;
    for (let s = 0; s < 15; s++) {
      const at = t0 + s * 1000;
      const records = Array.from({ length: 200 }, (_, i): { key: string; value: AnomalyResult } => {
        const deviceId = `load-${String(i).padStart(4, '0')}`;
        const score = 1 + ((i * 7 + s) % 13) / 4;
        return {
          key: deviceId,
          value: {
            ...base,
            deviceId,
            windowStartMs: at - 3000,
            windowEndMs: at,
            fusedScore: score,
            isAnomaly: score > base.fusedThreshold,
            processedAtMs: at,
            modalities: [{ ...base.modalities[0]!, score, isAnomaly: score > 2.5 }],
            missingModalities: [],
          },
        };
      });
      await publisher.publish(topics.results, records);
      await new Promise((r) => setTimeout(r, Math.max(0, t0 + (s + 1) * 1000 - Date.now())));
    }
    await page.screenshot({ path: join(SHOTS, 'overview-200-devices.png') });
    const frames = await page.evaluate<{ work: number[]; intervals: number[] }>('window.__vigilFrames');
    const devices = Number(await page.textContent('[data-test=devices-live]'));
    // 200 windows a second were published: the overview's rate must say so, whatever the gateway's tick.
    const perS = Number(await page.textContent('[data-test=events-per-s]'));
    console.log(
      `200-device stream: ${devices} devices on screen, ${frames.work.length} frames, frame work p95 ${againstGoal(p95(frames.work), FRAME_WORK_GOAL_MS)} (max ${Math.max(...frames.work).toFixed(1)}), frame interval p95 ${p95(frames.intervals).toFixed(1)} ms`,
    );
    console.log(`overview windows/s while 200 windows/s stream: ${perS}`);
    expect(devices).toBeGreaterThanOrEqual(200);
    expect(perS).toBeGreaterThan(170);
    expect(perS).toBeLessThan(230);
    // A page that froze under the stream draws a handful of frames in its 15 s; a live one hundreds (60 Hz is 900).
    expect(frames.work.length).toBeGreaterThan(150);
    if (ENFORCE_SPEED_GOALS) expect(p95(frames.work)).toBeLessThan(FRAME_WORK_GOAL_MS);
  });
});
