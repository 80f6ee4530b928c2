/**
 * A worker thread that computes the log-mel frames of placed windows (`WindowLogMels`, in
 * window-log-mels.worker.ts) off the event loop: at 200 windows/s the fused model's FFTs took a third of the
 * detector's main thread, in synchronous runs long enough to delay every Kafka fetch and result behind them. One
 * thread per process, shared by its fused scorers (`sharedLogMelThread`): on two cores one is right, and its
 * per-device cache then serves a hot-swapped scorer too (a frame is reused only over the same chunks, whatever
 * the scorer). The thread keeps the process alive only while it has work, and is used once it has booted
 * (`ready`): callers compute inline meanwhile. Sample buffers come back with the
 * frames and are reused for the next windows (`takeBuffer`), so framing allocates no 192 kB buffer per window.
 *
 * @example
 *   const thread = sharedLogMelThread();
 *   const frames = await thread.frames([placeWindowAudio(w, shape, thread.takeBuffer(48_000))!]);
 */
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { PlacedWindowAudio } from './window-log-mels';

export interface LogMelRequest {
  id: number;
  windows: PlacedWindowAudio[];
}

/** The worker's first message, once its modules are loaded. */
export interface LogMelReady {
  ready: true;
}

export interface LogMelResponse {
  id: number;
  frames?: Float32Array[];
  error?: string;
  /** The requests' sample buffers, handed back. */
  buffers: Float32Array[];
}

/**
 * From source the worker is TypeScript: it inherits the process's tsx loader (`node --import …tsx…`, as the
 * detector runs, in its image too), or gets tsx's CommonJS hook where the process has none (Vitest).
 */
const WORKER_FILE = join(__dirname, `window-log-mels.worker${extname(__filename)}`);
const WORKER_EXEC_ARGV =
  extname(__filename) === '.ts' && !process.execArgv.some((arg) => arg.includes('tsx')) ? [...process.execArgv, '--require', 'tsx/cjs'] : undefined;
/** Spare sample buffers kept per length: a micro-batch's worth (64 × 192 kB at 3 s of 16 kHz). */
const SPARE_BUFFERS = 64;
/** After this many failed starts or crashes the thread is given up: callers compute inline. */
const MAX_FAILURES = 3;

export class LogMelThreadUnavailableError extends Error {
  override readonly name = 'LogMelThreadUnavailableError';
}

export class LogMelThread {
  private worker: Worker | undefined;
  private booted: Promise<void> | undefined;
  private isReady = false;
  private failures = 0;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (frames: Float32Array[]) => void; reject: (err: Error) => void }>();
  private readonly spare = new Map<number, Float32Array[]>();

  /** False once the thread has failed MAX_FAILURES times. */
  get available(): boolean {
    return this.failures < MAX_FAILURES;
  }

  /**
   * Whether the thread is up and has loaded its code. Until then callers better compute inline: booting a worker
   * under tsx takes a second or more, and the first windows would wait for it.
   */
  get ready(): boolean {
    return this.isReady && this.worker !== undefined;
  }

  /** Starts the thread unless it is running; resolves once it is ready (rejects if it fails first). */
  start(): Promise<void> {
    if (!this.available) return Promise.reject(new LogMelThreadUnavailableError('the log-mel worker thread failed repeatedly'));
    if (!this.worker) this.spawn();
    return this.booted!;
  }

  /** A sample buffer of `length` handed back by the thread, to place the next window into, or undefined. */
  takeBuffer(length: number): Float32Array | undefined {
    return this.spare.get(length)?.pop();
  }

  /** The windows' `[frames][mels]`, in order. Their sample buffers are transferred (unusable here afterwards). */
  frames(windows: PlacedWindowAudio[]): Promise<Float32Array[]> {
    if (windows.length === 0) return Promise.resolve([]);
    if (!this.available) return Promise.reject(new LogMelThreadUnavailableError('the log-mel worker thread failed repeatedly'));
    const worker = this.worker ?? this.spawn();
    const id = this.nextId++;
    return new Promise<Float32Array[]>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage(
        { id, windows } satisfies LogMelRequest,
        windows.map((w) => w.samples.buffer as ArrayBuffer),
      );
    });
  }

  /** Stops the thread (pending calls fail); the next call starts a new one. */
  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.worker = undefined;
    this.isReady = false;
    this.rejectPending(new LogMelThreadUnavailableError('the log-mel worker thread was closed'));
    await worker.terminate();
  }

  private spawn(): Worker {
    const worker = new Worker(WORKER_FILE, { execArgv: WORKER_EXEC_ARGV });
    this.isReady = false;
    let booted!: () => void;
    let bootFailed!: (err: Error) => void;
    this.booted = new Promise<void>((resolve, reject) => ((booted = resolve), (bootFailed = reject)));
    this.booted.catch(() => {}); // a caller that never asks is not told; `frames` callers get the failure
    worker.on('message', (message: LogMelResponse | LogMelReady) => {
      if ('ready' in message) {
        if (this.worker === worker) this.isReady = true;
        if (this.pending.size === 0) worker.unref(); // idle until asked: the process may exit without waiting for it
        booted();
      } else this.answered(worker, message);
    });
    worker.on('error', (err) => (this.failed(worker, err), bootFailed(err)));
    worker.on('exit', (code) => {
      const err = new LogMelThreadUnavailableError(`the log-mel worker thread exited with code ${code}`);
      this.failed(worker, err);
      bootFailed(err);
    });
    this.worker = worker;
    return worker;
  }

  private answered(worker: Worker, { id, frames, error, buffers }: LogMelResponse): void {
    for (const buffer of buffers) {
      const list = this.spare.get(buffer.length) ?? [];
      if (list.length < SPARE_BUFFERS) list.push(buffer);
      this.spare.set(buffer.length, list);
    }
    const call = this.pending.get(id);
    this.pending.delete(id);
    if (this.pending.size === 0) worker.unref(); // idle: the process may exit without waiting for it
    if (!call) return;
    if (frames) call.resolve(frames);
    else call.reject(new Error(`log-mel worker thread: ${error}`));
  }

  private failed(worker: Worker, err: Error): void {
    if (this.worker !== worker) return; // closed, or already replaced
    this.worker = undefined;
    this.isReady = false;
    this.failures++;
    this.rejectPending(err);
  }

  private rejectPending(err: Error): void {
    for (const call of this.pending.values()) call.reject(err);
    this.pending.clear();
  }
}

let shared: LogMelThread | undefined;

/** The process's log-mel thread (started on its first call). */
export function sharedLogMelThread(): LogMelThread {
  shared ??= new LogMelThread();
  return shared;
}
