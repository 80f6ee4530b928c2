/**
 * Throughput benchmark for the hot feature paths, with the speed targets they must meet (kept out of unit tests
 * so a busy CI machine cannot make them flaky). Exits 1 when a target is missed.
 *
 *   npx tsx libs/features/src/benchmarks/feature-throughput.ts
 *
 * Rates are per second of CPU time of this process. Targets, per core: log-mel of a 10 s 16 kHz clip ≥ 50× real time (the detector scores 8-channel audio live);
 * 1024-point rfft ≥ 20 000/s; db4 wavedec of 2048 samples ≥ 2 000/s (CWRU windows); 48 → 12 kHz resampling
 * ≥ 100× real time.
 */
import { rfft } from '../fft';
import { logMelSpectrogram } from '../mel';
import { resample } from '../resample';
import { wavedec } from '../wavelet';

interface Case {
  name: string;
  run: () => unknown;
  /** Required runs per second. */
  target: number;
  unit: string;
}

const signal = (n: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.01) + 0.1 * Math.sin(i * 1.7));
const clip = signal(160000);
const frame = signal(1024);
const window = signal(2048);
const vibration48k = signal(48000);

const cases: Case[] = [
  {
    name: 'log-mel, 10 s @ 16 kHz, 1024/512/128',
    run: () => logMelSpectrogram(clip, { sampleRate: 16000, nFft: 1024, hop: 512, nMels: 128 }),
    target: 5,
    unit: 'clips/s (50× real time)',
  },
  { name: 'rfft 1024', run: () => rfft(frame), target: 20000, unit: 'transforms/s' },
  { name: 'wavedec db4, 2048 samples', run: () => wavedec(window, 'db4'), target: 2000, unit: 'windows/s' },
  { name: 'resample 1 s 48 → 12 kHz', run: () => resample(vibration48k, 48000, 12000), target: 100, unit: 'seconds of signal/s' },
];

/** Runs per second of this process's CPU time (not wall time), so a busy shared machine skews it less. */
function measure(run: () => unknown, cpuSeconds = 1): number {
  for (let i = 0; i < 3; i++) run(); // warm up the JIT
  const cpu = () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1e6;
  };
  let count = 0;
  const start = cpu();
  while (cpu() - start < cpuSeconds) {
    run();
    count++;
  }
  return count / (cpu() - start);
}

let failed = false;
for (const c of cases) {
  const rate = measure(c.run);
  const ok = rate >= c.target;
  failed ||= !ok;
  console.log(`${ok ? 'ok  ' : 'SLOW'} ${c.name}: ${rate.toFixed(1)} ${c.unit} (target ≥ ${c.target})`);
}
process.exitCode = failed ? 1 : 0;
