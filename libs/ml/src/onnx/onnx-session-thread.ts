/**
 * A worker thread hosting ONNX Runtime sessions (onnx-session.worker.ts), so their forward passes leave the
 * caller's event loop: onnxruntime-node 1.30's `session.run()` is the synchronous native run deferred by
 * `setImmediate`, and in the detector every model call (8–28 ms each under load) held up Kafka fetches and window
 * closing behind it. `OnnxInferenceSession.create(model, { host: 'worker' })` opens its session here.
 *
 * One thread per process, shared by every worker-hosted session (`sharedOnnxSessionThread`): on two cores a second
 * or third model thread would only compete with the first for the same core (each session has its own
 * intra-op threads if it asks for them), while one queue serves the sensor, fused and image models' calls in
 * the order they were made. The thread starts with the first session, ends when the last one is released, and
 * keeps the process alive only while a request is in flight (an idle process with live sessions may exit).
 * Inputs are copied once into buffers of their own and transferred (the caller keeps its arrays); outputs come
 * back transferred, without a copy.
 *
 * @example
 *   const session = await OnnxInferenceSession.create(bytes, { host: 'worker', intraOpNumThreads: 1 });
 *   const { y } = await session.run({ x: { data, shape: [8, 30, 14] } });   // the event loop runs meanwhile
 *   await session.dispose();   // the last session: the thread ends
 */
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { OnnxSessionBackend, OnnxSessionOptions, OnnxWorkerReply, OnnxWorkerRequest, TensorData } from './onnx-session-backend';

/**
 * From source the worker is TypeScript: it inherits the process's tsx loader (`node --import tsx`, as the detector
 * runs), or gets tsx's CommonJS hook where the process has none (Vitest). Built to JavaScript, it is the .js beside
 * this file.
 */
const WORKER_FILE = join(__dirname, `onnx-session.worker${extname(__filename)}`);
const WORKER_EXEC_ARGV =
  extname(__filename) === '.ts' && !process.execArgv.some((arg) => arg.includes('tsx')) ? [...process.execArgv, '--require', 'tsx/cjs'] : undefined;
/** The thread's name (its /proc comm, at most 15 characters): how `bench:pipeline` tells its CPU apart. */
export const ONNX_SESSION_THREAD_NAME = 'onnx-sessions';
/** How long an ending worker may finish its forward pass before it is terminated after all. */
const END_GRACE_MS = 10_000;

/** The worker thread died (or was closed) with requests in flight, or a session of a worker that is gone was used. */
export class OnnxSessionThreadError extends Error {
  override readonly name = 'OnnxSessionThreadError';
}

interface Pending {
  resolve: (reply: OnnxWorkerReply & { ok: true }) => void;
  reject: (err: Error) => void;
}

/** One worker of the thread: the sessions it hosts and the requests it has not answered end with it. */
interface Hosting {
  readonly worker: Worker;
  readonly pending: Map<number, Pending>;
  alive: boolean;
  /** Its end was asked for (closed, or its last session released): an exit then is no failure. */
  ending: boolean;
}

export class OnnxSessionThread {
  private current: Hosting | undefined;
  private nextId = 1;
  /** Sessions open or being opened in the current worker: it ends when this falls to 0. */
  private hosted = 0;
  private readonly failureListeners = new Set<(err: Error) => void>();

  /**
   * Calls `listener` when a worker dies that nobody ended (an error thrown outside a request, an exit): its sessions
   * are gone with it, so every later run of theirs rejects. A service that loaded them at start cannot recover in
   * place and should exit for its supervisor to restart it. Returns the unsubscribe function.
   */
  onFailure(listener: (err: Error) => void): () => void {
    this.failureListeners.add(listener);
    return () => this.failureListeners.delete(listener);
  }

  /** Whether the worker thread is up (it is from the first session until the last is released). */
  get running(): boolean {
    return this.current !== undefined;
  }

  /** Loads a model in the worker thread (starting it if needed). Load errors reject with ONNX Runtime's message. */
  async open(model: Uint8Array | string, options: OnnxSessionOptions): Promise<OnnxSessionBackend> {
    const hosting = this.current ?? this.spawn();
    this.hosted++;
    try {
      const reply = await this.request(hosting, { kind: 'create', id: 0, model, options });
      if (!('session' in reply)) throw new OnnxSessionThreadError('ONNX session worker: a create request got no session back');
      return new WorkerHostedSession(this, hosting, reply.session, reply.inputNames, reply.outputNames);
    } catch (err) {
      await this.closed(hosting);
      throw err;
    }
  }

  /**
   * Ends the thread: requests in flight reject now, its sessions are gone, and the thread exits once the forward
   * pass it may be in is over (`end`). The next `open` starts a new one.
   */
  async close(): Promise<void> {
    const hosting = this.current;
    if (!hosting) return;
    await this.end(hosting, new OnnxSessionThreadError('the ONNX session worker thread was closed'));
  }

  /** @internal A run of a session this thread hosts. */
  async run(hosting: Hosting, session: number, feeds: Readonly<Record<string, TensorData>>, outputs: readonly string[]): Promise<Record<string, TensorData>> {
    const copies: Record<string, TensorData> = {};
    for (const [name, { data, shape }] of Object.entries(feeds)) copies[name] = { data: data.slice(), shape: [...shape] };
    const transfer = Object.values(copies).map((t) => t.data.buffer as ArrayBuffer);
    const reply = await this.request(hosting, { kind: 'run', id: 0, session, feeds: copies, outputs: [...outputs] }, transfer);
    if (!('outputs' in reply)) throw new OnnxSessionThreadError('ONNX session worker: a run request got no outputs back');
    return reply.outputs;
  }

  /** @internal Releases a session; the thread ends with its last one. */
  async release(hosting: Hosting, session: number): Promise<void> {
    if (!hosting.alive) return; // its worker is gone, and the session with it
    try {
      await this.request(hosting, { kind: 'release', id: 0, session });
    } finally {
      await this.closed(hosting);
    }
  }

  private spawn(): Hosting {
    const worker = new Worker(WORKER_FILE, { execArgv: WORKER_EXEC_ARGV, name: ONNX_SESSION_THREAD_NAME });
    worker.unref(); // idle until asked: ref'd only while a request is in flight
    const hosting: Hosting = { worker, pending: new Map(), alive: true, ending: false };
    worker.on('message', (reply: OnnxWorkerReply) => this.answered(hosting, reply));
    worker.on('error', (err) => this.failed(hosting, err));
    worker.on('exit', (code) => this.failed(hosting, new OnnxSessionThreadError(`the ONNX session worker thread exited with code ${code}`)));
    this.current = hosting;
    this.hosted = 0;
    return hosting;
  }

  private request(hosting: Hosting, request: OnnxWorkerRequest, transfer: ArrayBuffer[] = []): Promise<OnnxWorkerReply & { ok: true }> {
    if (!hosting.alive) return Promise.reject(new OnnxSessionThreadError('the ONNX session worker thread that hosted this session is gone'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (hosting.pending.size === 0) hosting.worker.ref(); // a caller is waiting: the process stays up for the answer
      hosting.pending.set(id, { resolve, reject });
      hosting.worker.postMessage({ ...request, id }, transfer);
    });
  }

  private answered(hosting: Hosting, reply: OnnxWorkerReply): void {
    const call = hosting.pending.get(reply.id);
    hosting.pending.delete(reply.id);
    if (hosting.pending.size === 0) hosting.worker.unref();
    if (!call) return;
    if (reply.ok) call.resolve(reply);
    else call.reject(Object.assign(new Error(reply.error.message), { name: reply.error.name }));
  }

  /** A session of `hosting` is gone (released, or never opened): the worker ends with its last one. */
  private async closed(hosting: Hosting): Promise<void> {
    if (hosting !== this.current) return;
    this.hosted--;
    if (this.hosted > 0) return;
    await this.end(hosting, new OnnxSessionThreadError('the ONNX session worker thread ended'));
  }

  /**
   * Asks the worker to end after what it is doing and waits for it to exit: terminating a worker inside ONNX
   * Runtime's native run can abort the process. It is terminated only if it has not exited after END_GRACE_MS.
   */
  private async end(hosting: Hosting, err: Error): Promise<void> {
    hosting.ending = true;
    this.retire(hosting, err);
    const exited = new Promise<void>((resolve) => hosting.worker.once('exit', () => resolve()));
    hosting.worker.ref(); // until it has exited: the caller waits for it
    hosting.worker.postMessage({ kind: 'end', id: 0 } satisfies OnnxWorkerRequest);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), END_GRACE_MS).unref()));
    if ((await Promise.race([exited, late])) === 'late') await hosting.worker.terminate();
    clearTimeout(timer);
  }

  /** The worker errored or exited: a failure unless its end was asked for. */
  private failed(hosting: Hosting, err: Error): void {
    const unexpected = hosting.alive && !hosting.ending;
    this.retire(hosting, err);
    if (unexpected) for (const listener of this.failureListeners) listener(err);
  }

  /** The worker is done for (closed, crashed, or its last session released): what waits on it fails. */
  private retire(hosting: Hosting, err: Error): void {
    if (!hosting.alive) return;
    hosting.alive = false;
    if (this.current === hosting) {
      this.current = undefined;
      this.hosted = 0;
    }
    for (const call of hosting.pending.values()) call.reject(err);
    hosting.pending.clear();
  }
}

/** A session living in the worker thread, addressed by its id there. */
class WorkerHostedSession implements OnnxSessionBackend {
  constructor(
    private readonly thread: OnnxSessionThread,
    private readonly hosting: Hosting,
    private readonly id: number,
    readonly inputNames: readonly string[],
    readonly outputNames: readonly string[],
  ) {}

  run(feeds: Readonly<Record<string, TensorData>>, outputs: readonly string[]): Promise<Record<string, TensorData>> {
    return this.thread.run(this.hosting, this.id, feeds, outputs);
  }

  release(): Promise<void> {
    return this.thread.release(this.hosting, this.id);
  }
}

let shared: OnnxSessionThread | undefined;

/** The process's ONNX session thread (its worker starts with the first session). */
export function sharedOnnxSessionThread(): OnnxSessionThread {
  shared ??= new OnnxSessionThread();
  return shared;
}
