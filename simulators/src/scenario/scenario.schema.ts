/**
 * The scenario file format as zod schemas, one per section: what each field accepts, its default, and the
 * seconds → milliseconds conversion. The parsed output is the `Scenario` the simulator runs (its named types
 * live in `scenario.types.ts`, inferred from these schemas).
 *
 * @example
 *   const result = scenarioSchema.safeParse({ seed: 1, durationS: 60, fleet: [{ count: 5, sensor: {} }] });
 *   result.success && result.data.fleet[0]?.sensor; // { source: 'synthetic', rateHz: 10 }
 */
import { z } from 'zod';
import { SYNTHETIC_CHANNELS, type SyntheticChannel } from '../sensor/synthetic-sensor.source';
import { MODALITY_STREAMS, type ModalityStream } from '../simulation/sim-event';
import { list, mapping, number, oneOf, seconds, sourceUnion, text } from './scenario-fields';
import { FAULT_TYPES } from './scenario.types';

const syntheticChannel = oneOf(Object.keys(SYNTHETIC_CHANNELS) as [SyntheticChannel, ...SyntheticChannel[]]);

/**
 * A lasting change of the group's operating point from `atS` on (a new duty, a changed system curve): each
 * named channel's healthy value is scaled, then offset (noise unchanged). Drift for the models to adapt to,
 * not a fault: it has no ground-truth label.
 */
export const regimeShiftSchema = mapping({
  atS: seconds({ min: 0 }),
  scale: z.record(syntheticChannel, number({ positive: true })).default({}),
  offset: z.record(syntheticChannel, number()).default({}),
})
  .refine(({ scale, offset }) => Object.keys(scale).length + Object.keys(offset).length > 0, { message: 'expected at least one channel in scale or offset' })
  .transform(({ atS, scale, offset }) => ({ atMs: atS, scale, offset }));

export const sensorSchema = sourceUnion('synthetic', [
  mapping({ source: z.literal('synthetic'), rateHz: number({ positive: true, max: 1000 }).default(10), regimeShift: regimeShiftSchema.optional() }),
  /** One C-MAPSS FD001 engine per device, one engine cycle per sample, looping at the end of the unit. */
  mapping({
    source: z.literal('cmapss'),
    rateHz: number({ positive: true, max: 1000 }).default(10),
    firstUnit: number({ integer: true, min: 1 }).default(1),
    degradedRulCycles: number({ integer: true, min: 1 }).default(30),
  }),
]);

const chunkS = seconds({ positive: true, max: 10 }).default(1);

export const audioSchema = sourceUnion('synthetic', [
  mapping({ source: z.literal('synthetic'), chunkS, sampleRate: number({ integer: true, min: 1000, max: 96000 }).default(16000) }),
  /** `machine` narrows the MIMII clips used (fan, pump, slider, valve, unknown_dcase2020); all when absent. */
  mapping({ source: z.literal('mimii'), chunkS, machine: text().optional() }),
]).transform((audio) =>
  audio.source === 'mimii'
    ? { source: audio.source, chunkMs: audio.chunkS, machine: audio.machine }
    : { source: audio.source, chunkMs: audio.chunkS, sampleRate: audio.sampleRate },
);

const periodS = seconds({ positive: true }).default(5);
const side = number({ integer: true, min: 8, max: 1024 }).default(64);

export const imageSchema = sourceUnion('synthetic', [
  mapping({ source: z.literal('synthetic'), periodS, width: side, height: side }),
  mapping({ source: z.literal('mvtec'), periodS, category: text().default('magnetic_tile') }),
]).transform((image) =>
  image.source === 'mvtec'
    ? { source: image.source, periodMs: image.periodS, category: image.category }
    : { source: image.source, periodMs: image.periodS, width: image.width, height: image.height },
);

export const deviceGroupSchema = mapping({
  name: text().default('devices'),
  count: number({ integer: true, positive: true }).default(1),
  /** Synthetic ids are `<idPrefix>-0001`…, numbered on across groups that share a prefix; C-MAPSS replay devices are named after their engine. */
  idPrefix: text().default('dev'),
  sensor: sensorSchema.optional(),
  audio: audioSchema.optional(),
  image: imageSchema.optional(),
});

export const outageSchema = mapping({
  device: text(),
  modality: oneOf(MODALITY_STREAMS),
  startS: seconds({ min: 0 }).default(0),
  /** Absent: the modality is missing for the whole run from `startS`. */
  durationS: seconds({ positive: true }).optional(),
}).transform(({ device, modality, startS: startMs, durationS: durationMs }) => ({
  device,
  modality,
  startMs,
  durationMs: durationMs ?? Number.POSITIVE_INFINITY,
}));

const probability = number({ min: 0, max: 1 }).default(0);
const dropShape: Record<ModalityStream, typeof probability> = { sensor: probability, audio: probability, image: probability };

export const timingSchema = mapping({
  /** Fixed part of the device → broker delay. */
  latencyMs: number({ min: 0 }).default(30),
  /** Mean of the exponential jitter added to each event; jitter beyond a sample period reorders events. */
  jitterMs: number({ min: 0 }).default(20),
  late: mapping({ probability, minDelayMs: number({ min: 0 }).default(2000), maxDelayMs: number({ min: 0 }).default(10000) }).default({}),
  /** Each device's clock is off by a constant drawn from ±clockSkewMs: records carry device time, so a device
   * ahead of the reference clock can stamp events "in the future" relative to their send time. */
  clockSkewMs: number({ min: 0 }).default(0),
  drop: mapping(dropShape).default({}),
  outages: list(outageSchema).default([]),
});

/** The fault's time window, checked apart from its other fields so an ordering problem shows even when, say, its type is wrong. */
const faultWindowSchema = mapping({ startS: seconds({ min: 0 }), endS: seconds({ positive: true }), rampS: seconds({ min: 0 }).default(0) })
  .superRefine(({ startS, endS, rampS }, ctx) => {
    if (endS <= startS) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['endS'], message: 'must be after startS' });
    if (rampS > endS - startS) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['rampS'], message: 'must fit between startS and endS' });
  })
  .transform(({ startS, endS, rampS }) => ({ startMs: startS, rampMs: rampS, endMs: endS }));

export const scheduledFaultSchema = z
  .intersection(
    mapping({
      id: text().optional(),
      device: text(),
      type: oneOf(FAULT_TYPES),
      severity: number({ positive: true, max: 1 }).default(1),
      /** Overrides the fault type's default channels (e.g. which channel `sensor_stuck` freezes). */
      channels: list(z.string({ errorMap: () => ({ message: 'expected a string' }) })).optional(),
    }),
    faultWindowSchema,
  )
  .transform(({ id, device, type, startMs, rampMs, endMs, severity, channels }) => ({ id, device, type, startMs, rampMs, endMs, severity, channels }));

export const randomFaultsSchema = mapping({
  count: number({ integer: true, min: 0 }).default(0),
  types: list(oneOf(FAULT_TYPES)).default([...FAULT_TYPES]),
  minDurationS: seconds({ positive: true }).default(10),
  maxDurationS: seconds({ positive: true }).default(30),
  minSeverity: number({ positive: true, max: 1 }).default(0.5),
  maxSeverity: number({ positive: true, max: 1 }).default(1),
  /** Share of the fault's duration spent ramping up. */
  rampFraction: number({ min: 0, max: 1 }).default(0.3),
})
  .superRefine((random, ctx) => {
    if (random.maxDurationS < random.minDurationS) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['maxDurationS'], message: 'must be >= minDurationS' });
    if (random.maxSeverity < random.minSeverity) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['maxSeverity'], message: 'must be >= minSeverity' });
  })
  .transform(({ minDurationS, maxDurationS, ...rest }) => ({ ...rest, minDurationMs: minDurationS, maxDurationMs: maxDurationS }));

export const scenarioSchema = mapping({
  name: text().default('unnamed'),
  /** Keys every random draw of the run (`SeededRandom.forKey`): a string or an integer. */
  seed: z.union([text(), number({ integer: true })], {
    errorMap: (_issue, ctx) => ({ message: `expected an integer or a non-empty string, got ${JSON.stringify(ctx.data)}` }),
  }),
  durationS: seconds({ positive: true }),
  /** Epoch ms of the first sample; absent → the moment the run starts. Tests fix it. */
  startTimeMs: number({ integer: true, min: 0 }).optional(),
  fleet: list(deviceGroupSchema).min(1, 'expected at least one device group').default([]),
  timing: timingSchema.default({}),
  faults: mapping({ scheduled: list(scheduledFaultSchema).default([]), random: randomFaultsSchema.optional() }).default({}),
}).transform(({ name, seed, durationS, startTimeMs, fleet, timing, faults }) => ({ name, seed, durationMs: durationS, startTimeMs, fleet, timing, faults }));
