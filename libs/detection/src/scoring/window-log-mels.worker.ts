/**
 * Runs in a worker thread (see `LogMelThread`): the log-mel frames of placed windows, with the per-device frame
 * cache of `WindowLogMels`, so the FFTs of the fused model's sound leave the detector's event loop. Each message is
 * one batch of windows, answered in order: their frames, and their sample buffers handed back for reuse.
 */
import { parentPort } from 'node:worker_threads';
import type { LogMelReady, LogMelRequest, LogMelResponse } from './log-mel-thread';
import { WindowLogMels } from './window-log-mels';

const logMels = new WindowLogMels();
const port = parentPort!;

port.postMessage({ ready: true } satisfies LogMelReady);
port.on('message', ({ id, windows }: LogMelRequest) => {
  let response: LogMelResponse;
  try {
    const frames = windows.map((w) => logMels.frames(w));
    response = { id, frames, buffers: windows.map((w) => w.samples) };
  } catch (err) {
    response = { id, error: err instanceof Error ? err.message : String(err), buffers: windows.map((w) => w.samples) };
  }
  port.postMessage(
    response,
    [...(response.frames ?? []), ...response.buffers].map((a) => a.buffer as ArrayBuffer),
  );
});
