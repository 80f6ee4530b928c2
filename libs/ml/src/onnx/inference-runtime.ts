/**
 * One interface for running a model's forward pass, whichever runtime serves it: the tfjs LayersModel itself
 * (on the ML_BACKEND chosen by ../runtime) or its ONNX export in ONNX Runtime. Scoring code holds an
 * `InferenceRuntime` and never knows which. Plain Float32Arrays in and out, row-major, channels-last.
 *
 * onnxruntime-node's CPU build ships inside the npm package; it is loaded on first use only, so importing
 * `@vigil/ml` does not load the native library. An ONNX session runs in this thread (default: tests, CLIs,
 * benchmarks of raw model cost) or, with `host: 'worker'`, in the process's ONNX session worker thread
 * (onnx-session-thread.ts), which keeps the caller's event loop free during the forward pass (the detector).
 *
 * @example
 *   const runtime = await createInferenceRuntime(autoencoder, 'onnxruntime');
 *   const { reconstruction } = await runtime.run({ window: { data, shape: [1, 30, 14] } });
 *   await runtime.dispose();
 */
import type * as ort from 'onnxruntime-node';
import { tf } from '../runtime';
import { type OnnxSessionBackend, type OnnxSessionHost, type OnnxSessionOptions, ortSessionOptions, type TensorData } from './onnx-session-backend';
import { type OnnxSessionThread, sharedOnnxSessionThread } from './onnx-session-thread';
import { exportToOnnx } from './tfjs-to-onnx';

export type { OnnxSessionHost, OnnxSessionOptions, TensorData } from './onnx-session-backend';

export type InferenceRuntimeKind = 'tfjs' | 'onnxruntime';

export interface InferenceRuntime {
  readonly kind: InferenceRuntimeKind;
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** Runs the forward pass; every input name must be given, every output name is returned. */
  run(inputs: Readonly<Record<string, TensorData>>): Promise<Record<string, TensorData>>;
  dispose(): Promise<void>;
}

export class MissingInputError extends Error {
  constructor(
    readonly inputName: string,
    readonly expected: readonly string[],
  ) {
    super(`input "${inputName}" was not given; the model expects ${expected.join(', ')}`);
    this.name = 'MissingInputError';
  }
}

function ordered(inputs: Readonly<Record<string, TensorData>>, names: readonly string[]): TensorData[] {
  return names.map((name) => {
    const input = inputs[name];
    if (!input) throw new MissingInputError(name, names);
    return input;
  });
}

/** The tfjs model itself; predict() in inference mode (Dropout off, BatchNormalization on moving stats). */
export class TfjsInferenceRuntime implements InferenceRuntime {
  readonly kind = 'tfjs';
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];

  constructor(private readonly model: tf.LayersModel) {
    this.inputNames = model.inputNames;
    this.outputNames = model.outputNames;
  }

  async run(inputs: Readonly<Record<string, TensorData>>): Promise<Record<string, TensorData>> {
    const given = ordered(inputs, this.inputNames);
    const outputs = tf.tidy(() => {
      const xs = given.map((x) => tf.tensor(x.data, x.shape, 'float32'));
      const ys = this.model.predict(xs.length === 1 ? (xs[0] as tf.Tensor) : xs);
      return Array.isArray(ys) ? ys : [ys];
    });
    try {
      const values = await Promise.all(outputs.map((y) => y.data<'float32'>()));
      return Object.fromEntries(this.outputNames.map((name, i) => [name, { data: values[i] as Float32Array, shape: [...(outputs[i] as tf.Tensor).shape] }]));
    } finally {
      tf.dispose(outputs);
    }
  }

  async dispose(): Promise<void> {
    // The model belongs to the caller; nothing here owns tensors between runs.
  }
}

/** An ONNX model in ONNX Runtime (CPU execution provider), in this thread or in the ONNX session worker thread. */
export class OnnxInferenceSession implements InferenceRuntime {
  readonly kind = 'onnxruntime';
  private disposed = false;

  private constructor(
    private readonly backend: OnnxSessionBackend,
    /** Where its runs execute (`OnnxSessionOptions.host`). */
    readonly host: OnnxSessionHost,
  ) {}

  /**
   * `model`: the serialised ModelProto (e.g. `exportToOnnx(model).model`) or a path to a .onnx file.
   * `thread`: the worker thread a `host: 'worker'` session lives in (default: the process's shared one).
   */
  static async create(model: Uint8Array | string, options: OnnxSessionOptions = {}, thread?: OnnxSessionThread): Promise<OnnxInferenceSession> {
    const host = options.host ?? 'in-thread';
    const backend = host === 'worker' ? await (thread ?? sharedOnnxSessionThread()).open(model, options) : await InThreadSession.open(model, options);
    return new OnnxInferenceSession(backend, host);
  }

  get inputNames(): readonly string[] {
    return this.backend.inputNames;
  }

  get outputNames(): readonly string[] {
    return this.backend.outputNames;
  }

  /** `outputs`: only these are computed and copied out (default: all). */
  async run(inputs: Readonly<Record<string, TensorData>>, outputs: readonly string[] = this.outputNames): Promise<Record<string, TensorData>> {
    const given = ordered(inputs, this.inputNames);
    return this.backend.run(Object.fromEntries(this.inputNames.map((name, i) => [name, given[i]!])), outputs);
  }

  /** Releases the session (once; later calls do nothing). A worker-hosted one ends the worker if it was its last. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.backend.release();
  }
}

/** A session on this thread: each run blocks the event loop for its forward pass (see OnnxSessionOptions.host). */
class InThreadSession implements OnnxSessionBackend {
  private constructor(
    private readonly ortModule: typeof ort,
    private readonly session: ort.InferenceSession,
  ) {}

  static async open(model: Uint8Array | string, options: OnnxSessionOptions): Promise<InThreadSession> {
    const ortModule = await import('onnxruntime-node');
    const sessionOptions = ortSessionOptions(options);
    const session =
      typeof model === 'string'
        ? await ortModule.InferenceSession.create(model, sessionOptions)
        : await ortModule.InferenceSession.create(model, sessionOptions);
    return new InThreadSession(ortModule, session);
  }

  get inputNames(): readonly string[] {
    return this.session.inputNames;
  }

  get outputNames(): readonly string[] {
    return this.session.outputNames;
  }

  async run(feeds: Readonly<Record<string, TensorData>>, outputs: readonly string[]): Promise<Record<string, TensorData>> {
    const tensors = Object.fromEntries(Object.entries(feeds).map(([name, { data, shape }]) => [name, new this.ortModule.Tensor('float32', data, shape)]));
    const results = await this.session.run(tensors, [...outputs]);
    return Object.fromEntries(
      outputs.map((name) => {
        const tensor = results[name] as ort.Tensor;
        return [name, { data: tensor.data as Float32Array, shape: tensor.dims.map(Number) }];
      }),
    );
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

/** Serves a tfjs model on the chosen runtime; for ONNX Runtime the model is exported first. */
export async function createInferenceRuntime(model: tf.LayersModel, kind: InferenceRuntimeKind, options: OnnxSessionOptions = {}): Promise<InferenceRuntime> {
  if (kind === 'tfjs') return new TfjsInferenceRuntime(model);
  return OnnxInferenceSession.create(exportToOnnx(model).model, options);
}
