/**
 * npm run bench:scoring-path — the detector's scoring path in one process, without Kafka: a fleet's consecutive
 * 3 s windows (hop 1 s; 50 Hz sensor readings, 1 s chunks of 16 kHz sound, a 32×32 frame every 5 s) through the
 * served scorers' frame builders and one model call per micro-batch, on tfjs-node and on ONNX Runtime. Prints CPU
 * milliseconds per window per modality on the main thread, the event loop's (frame building, with a scorer's
 * `prepare` in a worker thread as the detector runs it, and the process's CPU for it beside; model, with its wall
 * time beside it, which includes ONNX Runtime's hop to its thread and back), which a busy shared machine distorts
 * far less than the wall-clock figures of `npm run bench:pipeline`; 1000 / (sum per window) bounds one core's
 * windows/s.
 *
 *   npm run bench:scoring-path                  # BENCH_DEVICES=200 BENCH_WINDOWS=10 (windows per device)
 */
import { resolve } from 'node:path';
import { cpus, loadavg } from 'node:os';
import type { AudioChunk, ImageFrame, SensorReading } from '@vigil/contracts';
import { loadConfig, processEnv } from '@vigil/config';
import { type AlignedWindow, type FrameInputs, type ModalityScorer, sharedLogMelThread, stackInputs, type TimedEvent } from '@vigil/detection';
import { mulberry32 } from '@vigil/features';
import { z } from 'zod';
import { loadMultimodalScorer } from '../src/scoring/multimodal-model.loader';
import { loadSensorModel, sensorScorer, type ServingRuntime } from '../src/scoring/sensor-model.loader';

const ROOT = resolve(__dirname, '..', '..', '..');
const BENCH = loadConfig(
  z.object({ BENCH_DEVICES: z.coerce.number().int().positive().default(200), BENCH_WINDOWS: z.coerce.number().int().positive().default(10) }),
  processEnv(),
  'bench:scoring-path',
);
const BATCH = 64;
const SOURCE = { topic: 't', partition: 0, offset: '0' };
const CHANNELS = ['bearing_temp', 'flow', 'motor_current', 'motor_temp', 'pressure', 'rpm', 'vibration_rms'];
const BASE = [60, 40, 20, 70, 3.5, 1480, 2];

/** Device d's events, as the assembler would hold them: readings, sound chunks and frames over the whole run. */
function deviceStream(d: number, seconds: number) {
  const random = mulberry32(d + 1);
  const phase = (d * 37) % 1000;
  const sensor: TimedEvent<SensorReading>[] = [];
  for (let t = 0; t < seconds * 1000; t += 20) {
    const values = Object.fromEntries(CHANNELS.map((c, j) => [c, BASE[j]! * (1 + 0.01 * (random() - 0.5))]));
    sensor.push({ eventTimeMs: t + phase, value: { deviceId: `d${d}`, eventTimeMs: t + phase, seq: t, values }, source: SOURCE });
  }
  const audio: TimedEvent<AudioChunk>[] = [];
  for (let s = 0; s < seconds; s++) {
    const pcm = Buffer.from(new Int16Array(16_000).map(() => Math.round(2000 * (random() - 0.5))).buffer);
    const chunk: AudioChunk = { deviceId: `d${d}`, eventTimeMs: s * 1000 + phase + 13, seq: s, sampleRate: 16_000, channels: 1, encoding: 'PCM_S16LE', pcm };
    audio.push({ eventTimeMs: chunk.eventTimeMs, value: chunk, source: SOURCE });
  }
  const image: TimedEvent<ImageFrame>[] = [];
  for (let s = 0; s < seconds; s += 5) {
    const frame: ImageFrame = {
      deviceId: `d${d}`,
      eventTimeMs: s * 1000 + phase + 7,
      seq: s,
      width: 32,
      height: 32,
      channels: 1,
      encoding: 'RAW_U8',
      data: Buffer.alloc(1024, 120),
    };
    image.push({ eventTimeMs: frame.eventTimeMs, value: frame, source: SOURCE });
  }
  return { phase, sensor, audio, image };
}

function windowsOf(devices: number, perDevice: number): AlignedWindow[][] {
  const streams = Array.from({ length: devices }, (_, d) => deviceStream(d, perDevice + 8));
  const inRange = <T>(events: TimedEvent<T>[], from: number, to: number) => events.filter((e) => e.eventTimeMs >= from && e.eventTimeMs < to);
  // Round k: every device's k-th window (the order the detector sees them in: each device's windows in turn).
  return Array.from({ length: perDevice }, (_, k) =>
    streams.map(({ phase, sensor, audio, image }, d) => {
      const startMs = 5000 + k * 1000 + phase;
      const endMs = startMs + 3000;
      const own = inRange(image, startMs, endMs);
      const latest = image.filter((e) => e.eventTimeMs < startMs).at(-1);
      return {
        deviceId: `d${d}`,
        startMs,
        endMs,
        sensor: inRange(sensor, startMs, endMs),
        audio: audio.filter((e) => e.eventTimeMs < endMs && e.eventTimeMs + 1000 > startMs),
        image: own,
        missing: [],
        carried: own.length === 0 && latest ? { IMAGE: { event: latest, ageMs: endMs - latest.eventTimeMs } } : {},
        heldOffsets: new Map(),
        firstEventMs: { SENSOR: phase, AUDIO: phase + 13, IMAGE: phase + 7 },
      } satisfies AlignedWindow;
    }),
  );
}

/** This (main) thread's CPU: what the event loop pays. A scorer's `prepare` work in a worker thread is not in it. */
const cpuMs = () => {
  const u = process.threadCpuUsage();
  return (u.user + u.system) / 1000;
};
/** The whole process's CPU (every thread: the log-mel worker, ONNX Runtime's, GC). */
const processCpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

async function measure(runtime: ServingRuntime): Promise<void> {
  const sensorModelDir = resolve(ROOT, 'models', 'sensor', 'pump-synthetic', 'v1');
  const scorers: ModalityScorer[] = [
    sensorScorer(await loadSensorModel(sensorModelDir, runtime), sensorModelDir).scorer,
    (await loadMultimodalScorer(resolve(ROOT, 'models', 'multimodal-pump', 'v1'), runtime)).scorer,
  ];
  const rounds = windowsOf(BENCH.BENCH_DEVICES, BENCH.BENCH_WINDOWS);
  await sharedLogMelThread().start(); // booted, as in a detector that has been running a while
  const frameMs = new Map<string, number>();
  const frameProcessMs = new Map<string, number>();
  const modelMs = new Map<string, number>();
  const modelProcessMs = new Map<string, number>();
  const modelWallMs = new Map<string, number>();
  let windows = 0;
  for (const [k, round] of rounds.entries()) {
    const counted = k > 0; // the first round warms up caches and JIT
    if (counted) windows += round.length;
    for (const scorer of scorers) {
      let t = cpuMs();
      const tp = processCpuMs();
      // As the detector does: a scorer's off-thread preparation (the fused model's log-mel frames), then its frames.
      for (let i = 0; i < round.length; i += BATCH) await scorer.prepare?.(round.slice(i, i + BATCH));
      const frames = round.map((w) => scorer.frame(w)).filter((f): f is FrameInputs => f !== undefined);
      if (counted) frameMs.set(scorer.modality, (frameMs.get(scorer.modality) ?? 0) + cpuMs() - t);
      if (counted) frameProcessMs.set(scorer.modality, (frameProcessMs.get(scorer.modality) ?? 0) + processCpuMs() - tp);
      t = cpuMs();
      const tpm = processCpuMs();
      const wall = performance.now();
      for (let i = 0; i < frames.length; i += BATCH) {
        const batch = stackInputs(scorer.model, frames.slice(i, i + BATCH));
        if (scorer.model.assessAsync) await scorer.model.assessAsync(batch);
        else scorer.model.assess(batch);
      }
      if (counted) modelMs.set(scorer.modality, (modelMs.get(scorer.modality) ?? 0) + cpuMs() - t);
      if (counted) modelProcessMs.set(scorer.modality, (modelProcessMs.get(scorer.modality) ?? 0) + processCpuMs() - tpm);
      if (counted) modelWallMs.set(scorer.modality, (modelWallMs.get(scorer.modality) ?? 0) + performance.now() - wall);
    }
  }
  let total = 0;
  let totalAll = 0;
  for (const scorer of scorers) {
    const f = frameMs.get(scorer.modality)! / windows;
    const fAll = frameProcessMs.get(scorer.modality)! / windows;
    const m = modelMs.get(scorer.modality)! / windows;
    const mAll = modelProcessMs.get(scorer.modality)! / windows;
    const wall = modelWallMs.get(scorer.modality)! / windows;
    total += f + m;
    totalAll += fAll + mAll;
    console.log(
      `${runtime.padEnd(12)} ${scorer.modality.padEnd(7)} frame ${f.toFixed(3)} ms/window (${fAll.toFixed(3)} all threads)   model ${m.toFixed(3)} ms/window (${mAll.toFixed(3)} all threads, ${wall.toFixed(3)} wall; batches of ${BATCH})`,
    );
  }
  console.log(
    `${runtime.padEnd(12)} all     ${total.toFixed(3)} main-thread CPU ms/window (${totalAll.toFixed(3)} all threads) → the event loop alone bounds scoring at ${Math.round(1000 / total)} windows/s, one core at ${Math.round(1000 / totalAll)}`,
  );
  for (const s of scorers) s.model.dispose?.();
}

async function main(): Promise<void> {
  console.log(`scoring path: ${BENCH.BENCH_DEVICES} devices × ${BENCH.BENCH_WINDOWS} windows (first round not counted), node ${process.version}`);
  for (const runtime of ['tfjs', 'onnxruntime'] as const) await measure(runtime);
  console.log(
    `load average: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} on ${cpus().length} cores (CPU time per window, not wall clock)`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
