import { COMPATIBILITY, SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import {
  DecodeError,
  SAMPLE_RECORDS,
  SchemaMismatchError,
  SchemaRegistrationError,
  SensorReadingSchema,
  type TopicSpec,
  TOPICS,
  type TopicKey,
  ValidationError,
  renamed,
} from '@vigil/contracts';
import { uniqueName } from '@vigil/testing';
import { describe, expect, inject, it } from 'vitest';
import { AvroSerde } from './avro-serde';

const stack = inject('stack');

describe('AvroSerde against the real registry', () => {
  const serde = AvroSerde.forUrl(stack.registryUrl);

  it.each(Object.keys(TOPICS) as TopicKey[])('round-trips a %s record in Confluent wire format', async (key) => {
    const spec = renamed(TOPICS[key] as TopicSpec<unknown>, uniqueName(`rt-${key}`));
    const id = await serde.register(spec);
    const bytes = serde.encode(spec, SAMPLE_RECORDS[key] as never);
    expect(bytes[0]).toBe(0);
    expect(bytes.readInt32BE(1)).toBe(id);
    // A fresh serde has no cached writer schema: it must fetch it from the registry by id.
    const decoded = await AvroSerde.forUrl(stack.registryUrl).decode(spec, bytes);
    expect(decoded).toEqual(SAMPLE_RECORDS[key]);
  });

  it('registers the same schema idempotently', async () => {
    const spec = renamed(TOPICS.sensorReadings, uniqueName('idem'));
    expect(await serde.register(spec)).toBe(await serde.register(spec));
  });

  it('refuses a BACKWARD-incompatible change with a clear error', async () => {
    const spec = renamed(TOPICS.sensorReadings, uniqueName('compat'));
    await serde.register(spec);
    // New required field without a default: consumers on the new schema could not read old records.
    const breaking = {
      ...spec,
      schema: { ...SensorReadingSchema, fields: [...SensorReadingSchema.fields, { name: 'site', type: 'string' }] },
    };
    const err = await serde.register(breaking).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SchemaRegistrationError);
    expect((err as Error).message).toMatch(/BACKWARD/);
  });

  it('accepts a compatible evolution and old readers decode new records', async () => {
    const spec = renamed(TOPICS.sensorReadings, uniqueName('evolve'));
    await serde.register(spec);
    const evolved = {
      ...spec,
      schema: { ...SensorReadingSchema, fields: [...SensorReadingSchema.fields, { name: 'site', type: 'string', default: 'unknown' }] },
    };
    const writer = AvroSerde.forUrl(stack.registryUrl);
    await writer.register(evolved);
    const bytes = writer.encode(evolved as typeof spec, { ...SAMPLE_RECORDS.sensorReadings, site: 'plant-7' } as never);
    expect(await serde.decode(spec, bytes)).toEqual(SAMPLE_RECORDS.sensorReadings);
  });

  it('names what is wrong with garbage, foreign records and invalid values', async () => {
    const spec = renamed(TOPICS.sensorReadings, uniqueName('bad'));
    const labels = renamed(TOPICS.groundTruth, uniqueName('bad-labels'));
    await serde.register(spec);
    await serde.register(labels);

    await expect(serde.decode(spec, Buffer.from('{"json":true}'))).rejects.toBeInstanceOf(DecodeError);
    await expect(serde.decode(spec, Buffer.from([0, 0x7f, 0xff, 0xff, 0xf0, 1]))).rejects.toThrow(/unknown to the registry/);
    await expect(serde.decode(spec, serde.encode(labels, SAMPLE_RECORDS.groundTruth))).rejects.toBeInstanceOf(SchemaMismatchError);

    const nan = serde.encode(spec, { ...SAMPLE_RECORDS.sensorReadings, values: { vibration_rms: Number.NaN } });
    await expect(serde.decode(spec, nan)).rejects.toThrow(ValidationError);
    expect(() => serde.encode(spec, { ...SAMPLE_RECORDS.sensorReadings, seq: 'x' } as never)).toThrow(/seq = "x"/);
  });

  it('decodes a batch with one registry lookup per schema id, each failure in its own place', async () => {
    const spec = renamed(TOPICS.sensorReadings, uniqueName('batch'));
    const labels = renamed(TOPICS.groundTruth, uniqueName('batch-labels'));
    const writer = AvroSerde.forUrl(stack.registryUrl);
    await writer.register(spec);
    await writer.register(labels);
    const good = writer.encode(spec, SAMPLE_RECORDS.sensorReadings);
    const nan = writer.encode(spec, { ...SAMPLE_RECORDS.sensorReadings, values: { vibration_rms: Number.NaN } });
    const values = [good, null, Buffer.from([0, 0x7f, 0xff, 0xff, 0xf0, 1]), writer.encode(labels, SAMPLE_RECORDS.groundTruth), nan, good];

    const fresh = AvroSerde.forUrl(stack.registryUrl); // nothing cached: the writer schemas come from the registry
    const outcomes = await fresh.decodeBatch(spec, values);
    expect(outcomes.map((o) => (o.ok ? 'ok' : (o.error as Error).name))).toEqual([
      'ok',
      'DecodeError',
      'DecodeError',
      'SchemaMismatchError',
      'ValidationError',
      'ok',
    ]);
    expect(outcomes[0]).toEqual({ ok: true, value: SAMPLE_RECORDS.sensorReadings });
    expect((outcomes[2] as { error: Error }).error.message).toMatch(/unknown to the registry/);
  });

  it('fails a batch as a whole, retriably, while the registry is unreachable', async () => {
    const spec = renamed(TOPICS.sensorReadings, uniqueName('outage'));
    const writer = AvroSerde.forUrl(stack.registryUrl);
    await writer.register(spec);
    const offline = AvroSerde.forUrl('http://127.0.0.1:9/apis/ccompat/v7'); // nothing listens on the discard port
    const err = await offline.decodeBatch(spec, [writer.encode(spec, SAMPLE_RECORDS.sensorReadings)]).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'TransientError', retriable: true });
  });

  it('keeps working with the registry client it was given', async () => {
    const registry = new SchemaRegistry({ host: stack.registryUrl });
    const subject = `${uniqueName('plain')}-value`;
    const { id } = await registry.register(
      { type: SchemaType.AVRO, schema: JSON.stringify(TOPICS.sensorReadings.schema) },
      { subject, compatibility: COMPATIBILITY.BACKWARD },
    );
    // Bytes written by the stock client decode through our resolver path.
    const bytes = await registry.encode(id, SAMPLE_RECORDS.sensorReadings);
    expect(await new AvroSerde(registry).decode(TOPICS.sensorReadings, bytes)).toEqual(SAMPLE_RECORDS.sensorReadings);
  });
});
