/**
 * Measures how long each frame's work takes in the page: from the start of an animation frame to the first task
 * after it (a MessageChannel message is queued behind the frame's script, style, layout and paint). The e2e run
 * reads `window.__vigilFrames` and prints the p95; nothing here runs unless `start()` is called.
 */
export interface FrameSamples {
  work: number[];
  intervals: number[];
}

export function startFrameProbe(target: { __vigilFrames?: FrameSamples }, max = 20_000): FrameSamples {
  const samples: FrameSamples = { work: [], intervals: [] };
  target.__vigilFrames = samples;
  const channel = new MessageChannel();
  let frameStart = 0;
  let lastFrame = 0;
  channel.port1.onmessage = () => {
    if (samples.work.length < max) samples.work.push(performance.now() - frameStart);
  };
  const onFrame = (t: number) => {
    frameStart = performance.now();
    if (lastFrame && samples.intervals.length < max) samples.intervals.push(t - lastFrame);
    lastFrame = t;
    channel.port2.postMessage(0);
    requestAnimationFrame(onFrame);
  };
  requestAnimationFrame(onFrame);
  return samples;
}
