/**
 * Runs in the ONNX session worker thread (see `OnnxSessionThread`): holds ONNX Runtime sessions by id and answers
 * create / run / release requests one after another, in the order they were posted, so a release never overtakes
 * a run of the same session that was asked for before it. `end` releases every session and closes the port, so the
 * thread exits once its current forward pass is done: terminating it inside ONNX Runtime's native code can abort the
 * whole process (SIGABRT). The inputs arrive as transferred buffers; the outputs go
 * back transferred (no copy).
 */
import { parentPort } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';
import { ortSessionOptions, type OnnxWorkerReply, type OnnxWorkerRequest, type TensorData } from './onnx-session-backend';

const port = parentPort!;
const sessions = new Map<number, ort.InferenceSession>();
let nextSession = 1;
let queue: Promise<void> = Promise.resolve();

port.on('message', (request: OnnxWorkerRequest) => {
  queue = queue.then(() => answer(request));
});

async function answer(request: OnnxWorkerRequest): Promise<void> {
  if (request.kind === 'end') {
    await Promise.allSettled([...sessions.values()].map((s) => s.release()));
    sessions.clear();
    port.close(); // nothing else keeps this thread alive: it exits
    return;
  }
  let reply: OnnxWorkerReply;
  let transfer: ArrayBuffer[] = [];
  try {
    if (request.kind === 'create') {
      const options = ortSessionOptions(request.options);
      const session =
        typeof request.model === 'string'
          ? await ort.InferenceSession.create(request.model, options)
          : await ort.InferenceSession.create(request.model, options);
      const id = nextSession++;
      sessions.set(id, session);
      reply = { id: request.id, ok: true, session: id, inputNames: [...session.inputNames], outputNames: [...session.outputNames] };
    } else if (request.kind === 'run') {
      const session = sessionOf(request.session);
      const feeds = Object.fromEntries(Object.entries(request.feeds).map(([name, { data, shape }]) => [name, new ort.Tensor('float32', data, shape)]));
      const results = await session.run(feeds, request.outputs);
      const outputs: Record<string, TensorData> = {};
      for (const name of request.outputs) {
        const tensor = results[name]!;
        outputs[name] = { data: wholeBuffer(tensor.data as Float32Array), shape: tensor.dims.map(Number) };
      }
      reply = { id: request.id, ok: true, outputs };
      transfer = [...new Set(Object.values(outputs).map((t) => t.data.buffer as ArrayBuffer))];
    } else {
      await sessionOf(request.session).release();
      sessions.delete(request.session);
      reply = { id: request.id, ok: true };
    }
  } catch (err) {
    const error = err instanceof Error ? err : new Error(String(err));
    reply = { id: request.id, ok: false, error: { name: error.name, message: error.message } };
  }
  port.postMessage(reply, transfer);
}

function sessionOf(id: number): ort.InferenceSession {
  const session = sessions.get(id);
  if (!session) throw new Error(`ONNX session worker: no session ${id} (released already?)`);
  return session;
}

/** An array that owns its whole buffer, so transferring the buffer hands over this array's values and nothing else. */
function wholeBuffer(data: Float32Array): Float32Array {
  return data.byteOffset === 0 && data.byteLength === data.buffer.byteLength && data.buffer instanceof ArrayBuffer ? data : data.slice();
}
