/**
 * A pump sensor model version judged offline in seconds, as the live evaluation would judge it, before a
 * 10-minute `npm run eval:live` pair: its static SPOT threshold (q = 1e-3) from its own calibration scores, then
 * - false alarms on fresh fault-free fleets (seeds 31 and 37, 10 pumps × 5 min per starting hour), the rate
 *   the risk q promises, with the top normal scores;
 * - the demo and replay scenarios' synthetic pumps (their sensor stream only, windows 1 s apart as live), joined
 *   with their ground truth by `evaluateLive` (libs/detection), as eval:live joins the pipeline's results: windows
 *   flagged per fault type and the false alarms on normal windows, named by device, second and score.
 * It scores the sensor VAE alone: the live figures also count the fused model, the camera and sensor health
 * (a stuck sensor is theirs), and the live threshold keeps learning from each device's own scores.
 *
 *   npx tsx services/detector/scripts/sensor-model-check.ts models/sensor/pump-synthetic/v2 [--hours 7,13,19]
 *
 * Measured 2026-12-03 against the live runs of the same scenarios: v1 replay overheating 54/60 offline at 7:00
 * and live; v2 56–57/60 offline and 56/60 live; 0 demo false alarms both.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { evaluateLive, type FaultLabel, Spot, type WindowVerdict } from '@vigil/detection';
import { loadWindowModel, readCalibrationScores, scoreWindows, type VaeWindowModel } from '@vigil/ml';
import { planRun, validateScenario } from '@vigil/simulators';
import { parse as parseYaml } from 'yaml';
import { DAY_START_MS, HOUR_MS, scenarioWindows } from './pump-fleet-windows';

const SCENARIOS = ['simulators/scenarios/demo.yaml', 'simulators/scenarios/replay.yaml'];
const FRESH_FLEET_SEEDS = [31, 37];
const WINDOW_MS = 3000;
const HOP_READINGS = 10;

interface RawScenario {
  fleet: Array<{ sensor: { source: string }; audio?: unknown; image?: unknown }>;
  faults?: { scheduled?: Array<{ device: string }>; random?: unknown };
}

/** The scenario with its synthetic pumps only, sensor stream only (the replay's engines need data and other models). */
function syntheticPumpsOf(raw: RawScenario): unknown {
  const fleet = raw.fleet.filter((group) => group.sensor.source === 'synthetic').map((group) => ({ ...group, audio: undefined, image: undefined }));
  const scheduled = (raw.faults?.scheduled ?? []).filter((fault) => fault.device.startsWith('dev-'));
  return JSON.parse(JSON.stringify({ ...raw, fleet, faults: { ...raw.faults, scheduled } })) as unknown;
}

function faultLabels(scenario: unknown, startMs: number): FaultLabel[] {
  const labels: FaultLabel[] = [];
  for (const batch of planRun(validateScenario(scenario), { startMs, streams: new Set(['label']) }).batches())
    for (const send of batch) if (send.stream === 'label') labels.push(send.value);
  return labels;
}

function freshFleetLine(model: VaeWindowModel, threshold: number, seed: number, hours: readonly number[]): string {
  const scores: number[] = [];
  for (const hour of hours) {
    const scenario = {
      name: `fresh-${seed}`,
      seed,
      durationS: 300,
      fleet: [{ name: 'pumps', count: 10, sensor: { source: 'synthetic', rateHz: 10 } }],
      timing: { latencyMs: 0, jitterMs: 0 },
    };
    for (const device of scenarioWindows(scenario, DAY_START_MS + hour * HOUR_MS, { stride: HOP_READINGS, channelNames: model.channelNames }).devices)
      scores.push(...scoreWindows(model, device.batch));
  }
  const alarms = scores.filter((s) => s > threshold).length;
  const top = [...scores].sort((a, b) => b - a).slice(0, 5);
  return `fresh fleet seed ${seed}: false alarms ${alarms} / ${scores.length} (${((100 * alarms) / scores.length).toFixed(2)} %), top scores ${top.map((s) => s.toFixed(3)).join(' ')}`;
}

function scenarioLine(model: VaeWindowModel, threshold: number, file: string, hour: number): string {
  const scenario = syntheticPumpsOf(parseYaml(readFileSync(resolve(file), 'utf8')) as RawScenario);
  const startMs = DAY_START_MS + hour * HOUR_MS;
  const verdicts: WindowVerdict[] = [];
  const scoreOf = new Map<WindowVerdict, number>();
  for (const device of scenarioWindows(scenario, startMs, { stride: HOP_READINGS, channelNames: model.channelNames }).devices) {
    const scores = scoreWindows(model, device.batch);
    device.startsMs.forEach((windowStartMs, i) => {
      const verdict = { deviceId: device.deviceId, windowStartMs, windowEndMs: windowStartMs + WINDOW_MS, isAnomaly: scores[i]! > threshold };
      verdicts.push(verdict);
      scoreOf.set(verdict, scores[i]!);
    });
  }
  // Judged as eval:live judges the pipeline's results: the same windows count as a fault's, the same as normal.
  const report = evaluateLive(verdicts, faultLabels(scenario, startMs));
  const falseAlarms = report.falseAlarmWindows.map((v) => `${v.deviceId}@${((v.windowStartMs - startMs) / 1000).toFixed(0)}s ${scoreOf.get(v)!.toFixed(3)}`);
  const faults = Object.entries(report.byFaultType)
    .map(([type, f]) => `${type} ${f.flagged}/${f.windows}`)
    .join(', ');
  return `${file} from ${hour}:00: false alarms ${report.falseAlarms}/${report.normalWindows}${falseAlarms.length > 0 ? ` (${falseAlarms.join(', ')})` : ''}; ${faults}`;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { hours: { type: 'string', default: '7,13,19' } } });
  const dir = positionals[0];
  if (!dir) throw new Error('usage: sensor-model-check.ts <model version folder> [--hours 7,13,19]');
  const hours = values.hours.split(',').map(Number);
  const { model } = await loadWindowModel(resolve(dir));
  const calibration = await readCalibrationScores(resolve(dir));
  if (!calibration) throw new Error(`${dir} has no calibration scores`);
  const threshold = new Spot({ q: 1e-3 }).fit(calibration).threshold;
  console.log(`${dir}: ${calibration.length} calibration scores, static SPOT threshold ${threshold.toFixed(4)}`);
  for (const seed of FRESH_FLEET_SEEDS) console.log(freshFleetLine(model, threshold, seed, hours));
  for (const file of SCENARIOS) for (const hour of hours) console.log(scenarioLine(model, threshold, file, hour));
  model.dispose();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
