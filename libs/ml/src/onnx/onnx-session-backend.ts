/**
 * What an `OnnxInferenceSession` runs on — an ONNX Runtime session in this thread, or one hosted by the
 * process's ONNX session worker thread (onnx-session-thread.ts) — and the messages between that thread and the
 * worker (onnx-session.worker.ts). No tfjs and no onnxruntime-node at runtime here: the worker imports this file,
 * and it must load nothing but ONNX Runtime.
 */
import type * as ort from 'onnxruntime-node';

export interface TensorData {
  data: Float32Array;
  shape: number[];
}

export interface OnnxSessionOptions {
  /** Threads inside one operator; ONNX Runtime's default is one per physical core. */
  intraOpNumThreads?: number;
  graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all';
  /** false: no CPU arena, so memory held between calls stays near the weights (large, varying batches). */
  enableCpuMemArena?: boolean;
  executionMode?: 'sequential' | 'parallel';
  /**
   * Where the session runs (default `in-thread`). onnxruntime-node's `run()` is the synchronous native run
   * deferred by `setImmediate`, so an in-thread session blocks the event loop for the whole forward pass;
   * `worker` hosts it in the process's ONNX session worker thread and the caller's loop stays free (at the price
   * of one copy of the inputs and a message round trip, ~0.1 ms).
   */
  host?: OnnxSessionHost;
}

export type OnnxSessionHost = 'in-thread' | 'worker';

/** The ONNX Runtime session options for ours (the defaults ONNX Runtime would not pick: full graph optimisation). */
export function ortSessionOptions(options: OnnxSessionOptions): ort.InferenceSession.SessionOptions {
  return {
    graphOptimizationLevel: options.graphOptimizationLevel ?? 'all',
    ...(options.intraOpNumThreads !== undefined ? { intraOpNumThreads: options.intraOpNumThreads } : {}),
    ...(options.enableCpuMemArena !== undefined ? { enableCpuMemArena: options.enableCpuMemArena } : {}),
    ...(options.executionMode !== undefined ? { executionMode: options.executionMode } : {}),
  };
}

/** One loaded model, wherever it runs. `feeds` holds every input by name, already checked. */
export interface OnnxSessionBackend {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Readonly<Record<string, TensorData>>, outputs: readonly string[]): Promise<Record<string, TensorData>>;
  release(): Promise<void>;
}

/** Messages to the worker; `id` matches the reply to its request. */
export type OnnxWorkerRequest =
  | { kind: 'create'; id: number; model: Uint8Array | string; options: OnnxSessionOptions }
  | { kind: 'run'; id: number; session: number; feeds: Record<string, TensorData>; outputs: string[] }
  | { kind: 'release'; id: number; session: number }
  /** Release every session and exit, after whatever was asked before (no reply: the worker's exit is the answer). */
  | { kind: 'end'; id: number };

export type OnnxWorkerReply =
  | { id: number; ok: true; session: number; inputNames: string[]; outputNames: string[] }
  | { id: number; ok: true; outputs: Record<string, TensorData> }
  | { id: number; ok: true }
  | { id: number; ok: false; error: { name: string; message: string } };
