/**
 * The KL weight's trade for the pump sensor VAE: trains it once per β, on the training script's data and seeds,
 * and prints per β its held-out calibration tail, the static SPOT threshold (q = 1e-3) the detector starts from,
 * and what that threshold does on fresh runs: overheating ramps (severity 0.8, 20 s ramp
 * from 40 s, as the replay scenario's) and the normal minutes around them, windows 1 s apart as live.
 *
 *   npx tsx services/detector/scripts/sensor-beta-sweep.ts [--betas 1,0.25,0.1] [--epochs 25]
 *
 * About four minutes per β on two cores. Deterministic (weights seeded as in the training script).
 */
import { parseArgs } from 'node:util';
import { Spot } from '@vigil/detection';
import { scoreWindows } from '@vigil/ml';
import { DAY_START_MS, HOUR_MS, pumpTrainingData, scenarioWindows } from './pump-fleet-windows';
import { fitPumpSensorVae } from './pump-sensor-vae';

const FAULT = { startS: 40, rampS: 20, endS: 100, severity: 0.8 };
/** Seeds and starting hours of the fresh fault runs: other devices, load sequences and times of day than training. */
const FAULT_RUNS = [
  [41, 13],
  [43, 2],
  [47, 20],
] as const;

function quantile(sorted: readonly number[], p: number): number {
  return sorted[Math.floor(p * (sorted.length - 1))]!;
}

function main(): void {
  const { values } = parseArgs({ options: { betas: { type: 'string', default: '1,0.25,0.1' }, epochs: { type: 'string', default: '25' } } });
  const { train, heldOut: calibration } = pumpTrainingData();
  const faultRuns = FAULT_RUNS.map(([seed, hour]) => {
    const devices = ['dev-0001', 'dev-0002', 'dev-0003', 'dev-0004'];
    const scenario = {
      name: `overheating-${seed}`,
      seed,
      durationS: 120,
      fleet: [{ name: 'pumps', count: devices.length, sensor: { source: 'synthetic', rateHz: 10 } }],
      timing: { latencyMs: 0, jitterMs: 0 },
      faults: { scheduled: devices.map((device) => ({ device, type: 'overheating', ...FAULT })) },
    };
    const startMs = DAY_START_MS + hour * HOUR_MS;
    return { startMs, devices: scenarioWindows(scenario, startMs, { stride: 10, channelNames: train.channelNames }).devices };
  });

  console.log(
    '| β | best epoch | held-out p50 | p99 | p99.9 | max | SPOT threshold | threshold / p50 | overheating windows flagged | normal windows flagged |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const beta of values.betas.split(',').map(Number)) {
    const fitted = fitPumpSensorVae(train.batch, train.channelNames, { epochs: Number(values.epochs), beta });
    const scores = Array.from(scoreWindows(fitted.model, calibration.batch));
    const sorted = [...scores].sort((a, b) => a - b);
    const threshold = new Spot({ q: 1e-3 }).fit(scores).threshold;
    let faultWindows = 0;
    let faultFlagged = 0;
    let normalWindows = 0;
    let normalFlagged = 0;
    for (const run of faultRuns) {
      for (const device of run.devices) {
        const deviceScores = scoreWindows(fitted.model, device.batch);
        device.startsMs.forEach((startMs, i) => {
          // A window belongs to the fault when its midpoint lies inside it (as eval:live counts); normal when 10 s from it.
          const midS = (startMs - run.startMs) / 1000 + 1.5;
          const flagged = deviceScores[i]! > threshold;
          if (midS >= FAULT.startS && midS < FAULT.endS) {
            faultWindows++;
            if (flagged) faultFlagged++;
          } else if (midS < FAULT.startS - 11.5 || midS > FAULT.endS + 11.5) {
            normalWindows++;
            if (flagged) normalFlagged++;
          }
        });
      }
    }
    fitted.model.dispose();
    const p50 = quantile(sorted, 0.5);
    console.log(
      `| ${beta} | ${fitted.result.bestEpoch} | ${p50.toFixed(4)} | ${quantile(sorted, 0.99).toFixed(4)} | ${quantile(sorted, 0.999).toFixed(4)} | ` +
        `${sorted.at(-1)!.toFixed(4)} | ${threshold.toFixed(4)} | ${(threshold / p50).toFixed(2)} | ${faultFlagged} / ${faultWindows} | ${normalFlagged} / ${normalWindows} |`,
    );
  }
}

main();
