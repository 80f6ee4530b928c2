/** Results for specs: one window of one device, with overrides. */
import type { LiveResult } from '@vigil/contracts/realtime';

export function liveResult(over: Partial<LiveResult> = {}): LiveResult {
  const windowStartMs = over.windowStartMs ?? 1_000_000;
  return {
    deviceId: 'dev-0001',
    windowStartMs,
    windowEndMs: windowStartMs + 3000,
    modelVersion: 'pump-synthetic@v1',
    modalities: [{ modality: 'SENSOR', score: 1, threshold: 4, isAnomaly: false }],
    missingModalities: [],
    fusedScore: 1,
    fusedThreshold: 4,
    isAnomaly: false,
    rootCauseSummary: null,
    processedAtMs: windowStartMs + 3100,
    ...over,
  };
}
