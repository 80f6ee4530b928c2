import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tf } from '../runtime';
import { OnnxInferenceSession, type TensorData } from './inference-runtime';
import { OnnxGraphBuilder } from './onnx-graph-builder';
import { modelOf, randomArray, randomizeWeights, seededRandom } from './onnx-parity.test-helpers';
import { encodeOnnxModel } from './onnx-proto';
import { OnnxSessionThread } from './onnx-session-thread';
import { exportToOnnx } from './tfjs-to-onnx';

const STEPS = 30;
const CHANNELS = 7;

/** A small conv + dense model with seeded weights, as the sensor VAE's layers are. */
function smallModel(): Uint8Array {
  const model = modelOf([[STEPS, CHANNELS]], ([x]) => {
    const conv = tf.layers.conv1d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu', name: 'conv' }).apply(x!) as tf.SymbolicTensor;
    const flat = tf.layers.flatten({ name: 'flat' }).apply(conv) as tf.SymbolicTensor;
    return [
      tf.layers.dense({ units: 4, activation: 'tanh', name: 'code' }).apply(flat) as tf.SymbolicTensor,
      tf.layers.dense({ units: STEPS * CHANNELS, name: 'recon' }).apply(flat) as tf.SymbolicTensor,
    ];
  });
  randomizeWeights(model, 7);
  return exportToOnnx(model).model;
}

/** `layers` rounds of x ← tanh(x·x) on an [n, n] input: a forward pass of tens to hundreds of milliseconds, no weights. */
function heavyModel(n: number, layers: number): Uint8Array {
  const g = new OnnxGraphBuilder();
  let x = g.reserveName('x');
  for (let i = 0; i < layers; i++) x = g.op('Tanh', [g.op('MatMul', [x, x])]);
  g.addNode('Identity', [x], {}, ['y']);
  return encodeOnnxModel({ graph: g.build('heavy', [{ name: 'x', shape: [n, n] }], [{ name: 'y', shape: [n, n] }]), opsetVersion: 17, producerName: 'spec' });
}

function windows(batch: number, seed: number): Record<string, TensorData> {
  return { input_0: { data: randomArray(batch * STEPS * CHANNELS, seededRandom(seed)), shape: [batch, STEPS, CHANNELS] } };
}

/** Resolves once a macrotask queued now (after whatever the caller started) has run: what a blocked event loop delays. */
const nextMacrotask = () => new Promise<void>((done) => setImmediate(done));

describe('OnnxInferenceSession hosted by the ONNX session worker thread', () => {
  const small = smallModel();
  const options = { intraOpNumThreads: 1 };
  const threads: OnnxSessionThread[] = [];
  const newThread = () => {
    const thread = new OnnxSessionThread();
    threads.push(thread);
    return thread;
  };
  afterAll(async () => {
    await Promise.all(threads.map((t) => t.close()));
  });

  it('gives the in-thread session its exact outputs (bit for bit), names included', async () => {
    const thread = newThread();
    const inThread = await OnnxInferenceSession.create(small, options);
    const hosted = await OnnxInferenceSession.create(small, { ...options, host: 'worker' }, thread);
    expect(hosted.host).toBe('worker');
    expect(hosted.inputNames).toEqual(inThread.inputNames);
    expect(hosted.outputNames).toEqual(inThread.outputNames);
    const inputs = windows(5, 1);
    const before = inputs.input_0!.data.slice();
    const [expected, actual] = [await inThread.run(inputs), await hosted.run(inputs)];
    for (const name of inThread.outputNames) {
      expect(actual[name]!.shape).toEqual(expected[name]!.shape);
      expect(Buffer.from(actual[name]!.data.buffer, actual[name]!.data.byteOffset, actual[name]!.data.byteLength)).toEqual(
        Buffer.from(expected[name]!.data.buffer, expected[name]!.data.byteOffset, expected[name]!.data.byteLength),
      );
    }
    expect(inputs.input_0!.data).toEqual(before); // the caller's input is copied, not taken
    const [only] = hosted.outputNames;
    expect(Object.keys(await hosted.run(inputs, [only!]))).toEqual([only]);
    await Promise.all([inThread.dispose(), hosted.dispose()]);
  });

  it('answers concurrent runs of several sessions each with its own result', async () => {
    const thread = newThread();
    const reference = await OnnxInferenceSession.create(small, options);
    const sessions = [
      await OnnxInferenceSession.create(small, { ...options, host: 'worker' }, thread),
      await OnnxInferenceSession.create(small, { ...options, host: 'worker' }, thread),
    ];
    const batches = Array.from({ length: 8 }, (_, i) => windows(1 + (i % 3), 100 + i));
    const results = await Promise.all(batches.map((inputs, i) => sessions[i % 2]!.run(inputs)));
    for (const [i, inputs] of batches.entries()) {
      const expected = await reference.run(inputs);
      for (const name of reference.outputNames) expect(results[i]![name]!.data).toEqual(expected[name]!.data);
    }
    await Promise.all([reference.dispose(), ...sessions.map((s) => s.dispose())]);
  });

  it('rejects bad input and a model that fails to load with ONNX Runtime’s own messages', async () => {
    const thread = newThread();
    const inThread = await OnnxInferenceSession.create(small, options);
    const hosted = await OnnxInferenceSession.create(small, { ...options, host: 'worker' }, thread);
    // Right length, wrong dimensions: rejected by the native session, in the worker.
    const transposed = { input_0: { data: new Float32Array(2 * STEPS * CHANNELS), shape: [2, CHANNELS, STEPS] } };
    const nativeMessage = await inThread.run(transposed).then(
      () => 'resolved',
      (err: Error) => err.message,
    );
    expect(nativeMessage).toMatch(/invalid dimensions/i);
    await expect(hosted.run(transposed)).rejects.toThrow(nativeMessage);
    // A length that does not fit the shape.
    await expect(hosted.run({ input_0: { data: new Float32Array(3), shape: [1, STEPS, CHANNELS] } })).rejects.toThrow(/does not match data length/);
    const garbage = Uint8Array.from([8, 1, 18, 255, 255]);
    const loadMessage = await OnnxInferenceSession.create(garbage, options).then(
      () => 'resolved',
      (err: Error) => err.message,
    );
    expect(loadMessage).not.toBe('resolved');
    await expect(OnnxInferenceSession.create(garbage, { host: 'worker' }, thread)).rejects.toThrow(loadMessage);
    // The session that was open still works.
    expect((await hosted.run(windows(1, 3)))[hosted.outputNames[0]!]!.shape).toEqual([1, 4]);
    await Promise.all([inThread.dispose(), hosted.dispose()]);
  });

  it('ends the worker with its last session, and starts a new one for the next', async () => {
    const thread = newThread();
    const a = await OnnxInferenceSession.create(small, { ...options, host: 'worker' }, thread);
    const b = await OnnxInferenceSession.create(small, { ...options, host: 'worker' }, thread);
    expect(thread.running).toBe(true);
    await a.dispose();
    await a.dispose(); // once only: it does not count as b's release
    expect(thread.running).toBe(true);
    await b.dispose();
    expect(thread.running).toBe(false);
    await expect(OnnxInferenceSession.create(Uint8Array.from([1, 2, 3]), { host: 'worker' }, thread)).rejects.toThrow();
    expect(thread.running).toBe(false); // a failed load hosts nothing
    const c = await OnnxInferenceSession.create(small, { ...options, host: 'worker' }, thread);
    expect(thread.running).toBe(true);
    expect((await c.run(windows(2, 4)))[c.outputNames[0]!]!.shape).toEqual([2, 4]);
    await c.dispose();
    expect(thread.running).toBe(false);
  });

  it('rejects what is in flight when the thread is closed, and runs of its sessions afterwards', async () => {
    const thread = newThread();
    const heavy = await OnnxInferenceSession.create(heavyModel(256, 20), { ...options, host: 'worker' }, thread);
    const inFlight = expect(heavy.run({ x: { data: new Float32Array(256 * 256).fill(0.01), shape: [256, 256] } })).rejects.toThrow(/closed/);
    await thread.close();
    await inFlight;
    await expect(heavy.run({ x: { data: new Float32Array(256 * 256), shape: [256, 256] } })).rejects.toThrow(/gone/);
    await heavy.dispose(); // nothing left to release
  });

  it('reports a worker that dies unasked to its failure listeners, and not one that is closed or ends with its last session', async () => {
    const thread = newThread();
    const failures: string[] = [];
    thread.onFailure((err) => failures.push(err.message));
    const session = await OnnxInferenceSession.create(small, { ...options, host: 'worker' }, thread);
    await session.dispose(); // the last session: the worker ends, asked for
    const again = await OnnxInferenceSession.create(small, { ...options, host: 'worker' }, thread);
    await thread.close();
    expect(failures).toEqual([]);

    const doomed = await OnnxInferenceSession.create(small, { ...options, host: 'worker' }, thread);
    // What an out-of-memory worker or a bug outside a request does: the thread goes away under its sessions.
    await (thread as unknown as { current: { worker: { terminate(): Promise<number> } } }).current.worker.terminate();
    await expect.poll(() => failures.length).toBe(1);
    expect(failures[0]).toMatch(/exited with code/);
    await expect(doomed.run(windows(1, 3))).rejects.toThrow(/is gone/);
    await again.dispose();
    await doomed.dispose();
  });

  it('keeps the event loop running during a long forward pass (an in-thread session blocks it)', async () => {
    const thread = newThread();
    const model = heavyModel(512, 40);
    const input = { x: { data: randomArray(512 * 512, seededRandom(5), -0.05, 0.05), shape: [512, 512] } };
    const settledBeforeNextMacrotask = async (session: OnnxInferenceSession) => {
      let settled = false;
      const run = session.run(input).then(() => (settled = true));
      await nextMacrotask();
      const answer = settled;
      await run;
      return answer;
    };
    const inThread = await OnnxInferenceSession.create(model, options);
    const hosted = await OnnxInferenceSession.create(model, { ...options, host: 'worker' }, thread);
    // In this thread the run occupies the loop until it is done: a macrotask queued after it waits for all of it.
    expect(await settledBeforeNextMacrotask(inThread)).toBe(true);
    // In the worker the loop turns while the run is in flight.
    expect(await settledBeforeNextMacrotask(hosted)).toBe(false);
    await Promise.all([inThread.dispose(), hosted.dispose()]);
  });

  it('never keeps the process alive: a script that forgets to dispose its session exits', () => {
    const dir = mkdtempSync(join(tmpdir(), 'onnx-thread-'));
    try {
      const script = join(dir, 'forgets-to-dispose.ts');
      const src = (file: string) => JSON.stringify(resolve(__dirname, file));
      writeFileSync(
        script,
        [
          `import { OnnxGraphBuilder } from ${src('onnx-graph-builder.ts')};`,
          `import { encodeOnnxModel } from ${src('onnx-proto.ts')};`,
          `import { sharedOnnxSessionThread } from ${src('onnx-session-thread.ts')};`,
          `const g = new OnnxGraphBuilder();`,
          `g.addNode('Tanh', [g.reserveName('x')], {}, ['y']);`,
          `const model = encodeOnnxModel({ graph: g.build('tanh', [{ name: 'x', shape: [2] }], [{ name: 'y', shape: [2] }]), opsetVersion: 17, producerName: 'spec' });`,
          `void (async () => {`,
          `  const session = await sharedOnnxSessionThread().open(model, {});`,
          `  const { y } = await session.run({ x: { data: Float32Array.from([0, 1]), shape: [2] } }, ['y']);`,
          `  console.log(JSON.stringify(Array.from(y!.data)));`,
          `})();`,
        ].join('\n'),
      );
      const child = spawnSync(process.execPath, ['--import', 'tsx', script], {
        cwd: resolve(__dirname, '..', '..', '..', '..'),
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(child.error).toBeUndefined(); // not killed by the timeout
      expect(child.stderr).toBe('');
      expect(child.status).toBe(0);
      expect(JSON.parse(child.stdout)).toEqual([0, Math.fround(Math.tanh(1))]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
