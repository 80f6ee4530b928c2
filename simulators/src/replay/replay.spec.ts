import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { decodeWav, hasDataDir, resolveDataDir } from '@vigil/datasets';
import { decode as decodeJpeg } from 'jpeg-js';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AudioChunk, GroundTruthLabel, ImageFrame, SensorReading } from '../contracts';
import { pcm16ToFloat } from '../audio/pcm';
import { imageHeader } from '../image/image-header';
import { parseScenario } from '../scenario/scenario-parser';
import type { Scenario } from '../scenario/scenario.types';
import { planRun, type RunPlan } from '../simulation/simulation';
import type { PlannedSend } from '../simulation/sim-event';
import { TEST_START_MS } from '../simulation/test-scenarios';
import { loadReplayCatalogue } from './replay-catalogue';
import { listMimiiMachines, listMvtecCategory } from './replay-files.repository';

/** Replay reads the real files in the data directory; without them these specs skip (and say so). */
const present = hasDataDir('cmapss') && hasDataDir('mimii') && hasDataDir('mtd');
if (!present) console.warn(`[simulators] replay specs skipped: no cmapss/, mimii/ and mtd/ under ${resolveDataDir()} (set VIGIL_DATA_DIR)`);

const dataDir = resolveDataDir();

describe.skipIf(!present)('replay of the real data sets', () => {
  let scenario: Scenario;
  let plan: RunPlan;
  let sends: PlannedSend[];
  const of = <T>(stream: string, device: string) => sends.filter((s) => s.stream === stream && s.key === device).map((s) => s.value as T);

  beforeAll(async () => {
    scenario = parseScenario(readFileSync(path.resolve(__dirname, '..', '..', 'scenarios', 'replay.yaml'), 'utf8'));
    scenario.startTimeMs = TEST_START_MS;
    scenario.durationMs = 40_000; // enough to reach the scheduled fault's ramp, few enough to stay fast
    scenario.fleet = scenario.fleet.slice(0, 1).map((g) => ({ ...g, count: 2 }));
    scenario.faults.scheduled = [
      ...scenario.faults.scheduled.filter((f) => f.device.startsWith('cmapss')),
      { id: 'stuck-u001', device: 'cmapss-fd001-u001', type: 'sensor_stuck', startMs: 10_000, rampMs: 0, endMs: 20_000, severity: 1, channels: undefined },
    ];
    const replay = await loadReplayCatalogue(scenario, dataDir);
    plan = planRun(scenario, { startMs: TEST_START_MS, replay });
    sends = [...plan.batches()].flat();
  });

  it('names C-MAPSS devices after their engines and replays the file’s sensor values cycle by cycle', () => {
    expect(plan.fleet.devices.map((d) => d.deviceId)).toEqual(['cmapss-fd001-u001', 'cmapss-fd001-u002']);
    const lines = readFileSync(path.join(dataDir, 'cmapss', 'train_FD001.txt'), 'latin1')
      .trim()
      .split(/\r?\n/);
    const unit2 = lines.map((l) => l.trim().split(/\s+/).map(Number)).filter((cols) => cols[0] === 2);
    const readings = of<SensorReading>('sensor', 'cmapss-fd001-u002').sort((a, b) => a.seq - b.seq);
    expect(Object.keys(readings[0]!.values)).toHaveLength(14);
    for (const reading of readings.slice(0, 50)) {
      const row = unit2[reading.seq % unit2.length]!;
      expect(reading.values.s2).toBe(row[5 + 1]); // s2: column 7 (unit, cycle, 3 settings, s1, s2)
      expect(reading.values.s21).toBe(row[5 + 20]);
    }
  });

  it('labels each engine’s degraded end of life from the data, and the scheduled fault only where it shows', () => {
    const labels = sends.filter((s) => s.stream === 'label').map((s) => s.value as GroundTruthLabel);
    const unit1Cycles = 192; // train_FD001 unit 1 runs 192 cycles
    const degradation = labels.find((l) => l.deviceId === 'cmapss-fd001-u001' && l.faultType === 'hpc_degradation');
    expect(degradation).toMatchObject({
      modalities: ['SENSOR'],
      source: 'dataset:cmapss-fd001',
      startMs: TEST_START_MS + (unit1Cycles - 31) * 100,
      endMs: TEST_START_MS + unit1Cycles * 100,
    });
    const bearing = labels.find((l) => l.faultId === 'bearing-u002');
    // A bearing fault cannot be written into real engine data: sound and image show it, the sensor does not.
    expect(bearing).toMatchObject({ deviceId: 'cmapss-fd001-u002', modalities: ['AUDIO', 'IMAGE'], channels: [] });
    expect(labels.find((l) => l.faultId === 'stuck-u001')).toMatchObject({ modalities: ['SENSOR'], channels: ['s7'] });
  });

  it('freezes a stuck sensor in the real engine data and leaves the other sensors as recorded', () => {
    const readings = of<SensorReading>('sensor', 'cmapss-fd001-u001');
    const window = (r: SensorReading) => r.eventTimeMs >= TEST_START_MS + 10_000 && r.eventTimeMs < TEST_START_MS + 20_000;
    expect(new Set(readings.filter(window).map((r) => r.values.s7)).size).toBe(1);
    expect(new Set(readings.filter(window).map((r) => r.values.s2)).size).toBeGreaterThan(10);
    expect(new Set(readings.filter((r) => !window(r)).map((r) => r.values.s7)).size).toBeGreaterThan(10);
  });

  it('streams MIMII clips sample for sample, cross-fading to the abnormal clip as the fault grows', () => {
    const machine = listMimiiMachines(path.join(dataDir, 'mimii')).filter((m) => m.name.startsWith('pump/') && m.abnormal.length > 0)[1]!;
    const normal = decodeWav(readFileSync(machine.normal[0]!)).channels[0]!;
    const abnormal = decodeWav(readFileSync(machine.abnormal[0]!)).channels[0]!;
    const chunks = of<AudioChunk>('audio', 'cmapss-fd001-u002').sort((a, b) => a.seq - b.seq);
    const [first] = chunks;
    expect(first).toMatchObject({ sampleRate: 16000, channels: 1, encoding: 'PCM_S16LE' });
    const decoded = pcm16ToFloat(first!.pcm);
    // The loop's joins are 100 ms cross-fades (1,600 samples at 16 kHz): past the first, the clip plays as it is.
    const seam = 1600;
    for (const i of [1600, 1601, 7777, 15999]) expect(decoded[i]).toBeCloseTo(normal[i]!, 3);
    // Onset 30 s, ramp 30 s: the chunk at 39 s (middle 39.5 s) is 0.9/3 ≈ 0.317 abnormal.
    const at39 = pcm16ToFloat(chunks.find((c) => c.eventTimeMs === TEST_START_MS + 39_000)!.pcm);
    const severity = (39.5 - 30) / 30;
    const loop = normal.length - seam;
    const offset = (39 * 16000) % loop;
    for (const i of [5, 4000, 12345]) {
      const j = (offset + i) % loop;
      expect(j).toBeGreaterThanOrEqual(seam);
      expect(at39[i]).toBeCloseTo((1 - severity) * normal[j]! + severity * abnormal[j]!, 3);
    }
  });

  it('sends the tile images’ own JPEG bytes, defect-free ones while the device is healthy', () => {
    const category = listMvtecCategory(path.join(dataDir, 'mtd'), 'magnetic_tile');
    const isOneOf = (files: string[], frame: ImageFrame) => files.some((f) => statSync(f).size === frame.data.length && readFileSync(f).equals(frame.data));
    const before = of<ImageFrame>('image', 'cmapss-fd001-u002').filter((f) => f.eventTimeMs < TEST_START_MS + 30_000);
    const healthyTwin = of<ImageFrame>('image', 'cmapss-fd001-u001');
    expect(before.length).toBeGreaterThanOrEqual(5);
    for (const frame of [...before, ...healthyTwin]) {
      expect(frame).toMatchObject({ encoding: 'JPEG', channels: 1 });
      expect(isOneOf(category.good, frame)).toBe(true);
    }
  });

  it('shows defect images while an image fault is at full severity', async () => {
    const cameraOnly: Scenario = {
      ...scenario,
      durationMs: 8000,
      fleet: [
        {
          name: 'cameras',
          count: 1,
          idPrefix: 'cam',
          sensor: undefined,
          audio: undefined,
          image: { source: 'mvtec', periodMs: 1000, category: 'magnetic_tile' },
        },
      ],
      faults: {
        scheduled: [{ id: 'tile', device: 'cam-0001', type: 'bearing_wear', startMs: 2000, rampMs: 0, endMs: 8000, severity: 1, channels: undefined }],
        random: undefined,
      },
    };
    const run = planRun(cameraOnly, { startMs: TEST_START_MS, replay: await loadReplayCatalogue(cameraOnly, dataDir) });
    const all = [...run.batches()].flat();
    const category = listMvtecCategory(path.join(dataDir, 'mtd'), 'magnetic_tile');
    const defects = Object.values(category.defects).flat();
    const frames = all.filter((s) => s.stream === 'image').map((s) => s.value as ImageFrame);
    const isDefect = (frame: ImageFrame) => defects.some((f) => statSync(f).size === frame.data.length && readFileSync(f).equals(frame.data));
    expect(frames.map(isDefect)).toEqual([false, false, true, true, true, true, true, true]);
    expect(all.find((s) => s.stream === 'label')!.value).toMatchObject({ faultId: 'tile', modalities: ['IMAGE'], source: 'scenario:replay|mvtec-layout' });
  });

  it('reads JPEG and PNG sizes from their headers exactly as a full decode does', () => {
    const category = listMvtecCategory(path.join(dataDir, 'mtd'), 'magnetic_tile');
    const jpeg = category.defects.crack![0]!;
    const decoded = decodeJpeg(readFileSync(jpeg));
    expect(imageHeader(readFileSync(jpeg))).toMatchObject({ encoding: 'JPEG', width: decoded.width, height: decoded.height });
    const mask = jpeg.replace(`${path.sep}test${path.sep}`, `${path.sep}ground_truth${path.sep}`).replace(/\.jpg$/, '_mask.png');
    expect(imageHeader(readFileSync(mask))).toMatchObject({ encoding: 'PNG', width: decoded.width, height: decoded.height });
  });
});
