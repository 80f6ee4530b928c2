/**
 * ML runtime benchmark, one run, figures to stdout (table, then one JSON line for tooling):
 *  - training step time of the conv VAE (64×64×1, batch 32) and the 1D-CNN VAE (30×14, batch 32) on
 *    tfjs-node (real TensorFlow) vs the pure-JS tfjs cpu backend, with the speed-up ratio;
 *  - inference latency of each VAE's reconstruction model at batch 1 and 64, tfjs-node vs onnxruntime-node,
 *    plus the largest output difference between the two as a correctness check.
 *
 * Goal (issue #5): tfjs-node ≥ 20× faster than tfjs-cpu for the conv VAE training step.
 *
 * @example
 *   npm run bench:ml-runtime                              # defaults: 10 tensorflow steps, 1 cpu step
 *   npx tsx libs/ml/bench/ml-runtime.bench.ts --cpu-steps 1 --steps 5 --runs 20
 */
import { mlBackend, tf } from '../src/runtime';
import { OnnxInferenceSession, TfjsInferenceRuntime, type InferenceRuntime } from '../src/onnx/inference-runtime';
import { exportToOnnx } from '../src/onnx/tfjs-to-onnx';
import { type BenchVae, buildConv1dVae, buildConvVae, trainingStep } from './benchmark-networks';

interface Options {
  steps: number;
  cpuSteps: number;
  runs: number;
  batch: number;
}

function parseOptions(argv: string[]): Options {
  const value = (flag: string, fallback: number): number => {
    const i = argv.indexOf(flag);
    const parsed = i >= 0 ? Number(argv[i + 1]) : fallback;
    if (!Number.isInteger(parsed) || parsed < 1) throw new Error(`${flag} needs a positive integer`);
    return parsed;
  };
  return { steps: value('--steps', 10), cpuSteps: value('--cpu-steps', 1), runs: value('--runs', 30), batch: value('--batch', 32) };
}

const median = (xs: number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};

/** Median wall time of `measured` calls after `warmUp` calls (the first builds kernels and graphs). */
async function timeMs(fn: () => unknown, measured: number, warmUp: number): Promise<number> {
  for (let i = 0; i < warmUp; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < measured; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

async function trainingStepMs(build: () => BenchVae, backend: string, batch: number, steps: number): Promise<{ name: string; ms: number }> {
  await tf.setBackend(backend);
  const vae = build();
  const x = tf.randomUniform([batch, ...vae.inputShape]);
  const step = trainingStep(vae, 1e-3);
  // TensorFlow's first step builds kernels; the JS cpu backend has nothing to warm up and a step costs minutes.
  const ms = await timeMs(() => step(x), steps, backend === 'cpu' ? 0 : 1);
  x.dispose();
  vae.reconstruction.dispose();
  return { name: vae.name, ms };
}

interface InferenceFigures {
  model: string;
  batch: number;
  tfjsNodeMs: number;
  onnxruntimeMs: number;
  maxAbsDiff: number;
}

async function inferenceFigures(vae: BenchVae, batches: number[], runs: number): Promise<InferenceFigures[]> {
  const tfjsRuntime: InferenceRuntime = new TfjsInferenceRuntime(vae.reconstruction);
  const onnx = await OnnxInferenceSession.create(exportToOnnx(vae.reconstruction).model);
  const figures: InferenceFigures[] = [];
  for (const batch of batches) {
    const shape = [batch, ...vae.inputShape];
    const data = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => Math.random());
    const feeds = { [vae.reconstruction.inputNames[0] as string]: { data, shape } };
    const name = vae.reconstruction.outputNames[0] as string;
    const [a, b] = [await tfjsRuntime.run(feeds), await onnx.run(feeds)];
    let maxAbsDiff = 0;
    a[name]?.data.forEach((v, i) => (maxAbsDiff = Math.max(maxAbsDiff, Math.abs(v - (b[name]?.data[i] ?? NaN)))));
    figures.push({
      model: vae.name,
      batch,
      tfjsNodeMs: await timeMs(() => tfjsRuntime.run(feeds), runs, 3),
      onnxruntimeMs: await timeMs(() => onnx.run(feeds), runs, 3),
      maxAbsDiff,
    });
  }
  await onnx.dispose();
  return figures;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (mlBackend.backend !== 'tensorflow') throw new Error(`tfjs-node is not available (backend: ${mlBackend.backend}); run scripts/setup.sh first`);
  const f = (ms: number): string => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(2)).padStart(9);
  console.log(`ML runtime benchmark — tfjs ${tf.version.tfjs}, node ${process.version}, training batch ${options.batch}`);

  const training: { model: string; tensorflowMs: number; cpuMs: number; ratio: number }[] = [];
  for (const build of [buildConvVae, buildConv1dVae]) {
    const { name, ms: tensorflowMs } = await trainingStepMs(build, 'tensorflow', options.batch, options.steps);
    const { ms: cpuMs } = await trainingStepMs(build, 'cpu', options.batch, options.cpuSteps);
    training.push({ model: name, tensorflowMs, cpuMs, ratio: cpuMs / tensorflowMs });
  }
  await tf.setBackend('tensorflow');
  console.log('\ntraining step (median ms)   tfjs-node   tfjs-cpu   speed-up');
  for (const t of training) console.log(`${t.model.padEnd(26)}${f(t.tensorflowMs)}  ${f(t.cpuMs)}  ${t.ratio.toFixed(1).padStart(7)}×`);

  const inference = [...(await inferenceFigures(buildConvVae(), [1, 64], options.runs)), ...(await inferenceFigures(buildConv1dVae(), [1, 64], options.runs))];
  console.log('\ninference, reconstruction (median ms)   batch   tfjs-node   onnxruntime   max |diff|');
  for (const r of inference) {
    console.log(`${r.model.padEnd(38)}${String(r.batch).padStart(5)}  ${f(r.tfjsNodeMs)}  ${f(r.onnxruntimeMs)}     ${r.maxAbsDiff.toExponential(1)}`);
  }
  const conv = training[0];
  console.log(`\ngoal: conv VAE training step tfjs-node ≥ 20× tfjs-cpu → ${conv && conv.ratio >= 20 ? 'met' : 'NOT met'} (${conv?.ratio.toFixed(1)}×)`);
  console.log(JSON.stringify({ options, training, inference }));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
