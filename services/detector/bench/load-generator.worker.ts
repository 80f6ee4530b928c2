/**
 * Worker-thread entry of the bench's load generator: lowers its own thread's priority, generates the load its
 * parent asked for and posts the report back. On Linux a nice value is per thread: the parent, and the detectors
 * it spawns afterwards, keep theirs.
 */
import { getPriority, setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { generateLoad, type LoadPlan } from './load-generator';

/** How much lower than the bench's own priority the generator runs (nice +10). */
const NICENESS = 10;

setPriority(0, Math.min(19, getPriority(0) + NICENESS));
// A failure is an unhandled rejection: the worker's 'error' event, and the bench fails with it.
void generateLoad(workerData as LoadPlan, NICENESS).then((report) =>
  parentPort!.postMessage(report, [report.closerSentAt.buffer as ArrayBuffer, report.closerAppendedAt.buffer as ArrayBuffer]),
);
