/**
 * Avro in Confluent wire format (magic byte 0, 4-byte big-endian schema id, Avro binary) against a
 * Confluent-compatible registry (Apicurio's ccompat API in our deployments).
 *
 * Writes use the schema id registered for the topic's subject (TopicNameStrategy, BACKWARD compatibility).
 * Reads resolve the writer's schema (fetched by id, cached) against the topic's reader schema, so old and
 * new producers can coexist; a record of another type fails with SchemaMismatchError instead of decoding
 * into garbage.
 *
 * @example
 *   const serde = new AvroSerde(new SchemaRegistry({ host: registryUrl }));
 *   await serde.register(TOPICS.sensorReadings);
 *   const bytes = serde.encode(TOPICS.sensorReadings, reading);
 *   const back = await serde.decode(TOPICS.sensorReadings, bytes);
 */
import { COMPATIBILITY, SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import {
  DecodeError,
  SchemaMismatchError,
  SchemaRegistrationError,
  subjectOf,
  type TopicSpec,
  TransientError,
  ValidationError,
  VigilError,
} from '@vigil/contracts';
import { type Schema, Type } from 'avsc';

const MAGIC_BYTE = 0;
const HEADER_BYTES = 5;

interface WriterEntry {
  type: Type;
  /** Resolver from this writer schema to a reader type, per reader (topic schema); null when they are equal. */
  resolvers: Map<Type, ReturnType<Type['createResolver']> | null>;
}

export type DecodeOutcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** The schema id of a Confluent-framed message; DecodeError when it is not framed. */
function schemaIdOf(bytes: Buffer | null): number {
  const id = framedIdOrUndefined(bytes);
  if (id === undefined) {
    throw new DecodeError(`not Confluent-framed Avro (${bytes === null ? 'null value' : `${bytes.length} bytes, first byte ${bytes[0]}`})`);
  }
  return id;
}

function framedIdOrUndefined(bytes: Buffer | null): number | undefined {
  return bytes === null || bytes.length < HEADER_BYTES || bytes.readUInt8(0) !== MAGIC_BYTE ? undefined : bytes.readInt32BE(1);
}

export class AvroSerde {
  private readonly readerTypes = new Map<string, Type>();
  private readonly writerIds = new Map<string, number>();
  private readonly writers = new Map<number, Promise<WriterEntry>>();
  /** The writers whose lookup has completed, for synchronous decoding. */
  private readonly readyWriters = new Map<number, WriterEntry>();

  constructor(private readonly registry: SchemaRegistry) {}

  static forUrl(registryUrl: string): AvroSerde {
    return new AvroSerde(new SchemaRegistry({ host: registryUrl }));
  }

  /** Register the topic's schema (idempotent) and remember its id for encoding. */
  async register(spec: TopicSpec<unknown>): Promise<number> {
    const subject = subjectOf(spec);
    try {
      const { id } = await this.registry.register(
        { type: SchemaType.AVRO, schema: JSON.stringify(spec.schema) },
        { subject, compatibility: COMPATIBILITY.BACKWARD },
      );
      this.writerIds.set(spec.name, id);
      return id;
    } catch (err) {
      const status = (err as { status?: number }).status;
      if (status === 409 || status === 422) {
        throw new SchemaRegistrationError(
          `registry refused the schema for subject ${subject} (HTTP ${status}): ${errorText(err)}; a change must stay BACKWARD compatible (add fields with defaults, never change a field's type) or go to a new topic version`,
          { cause: err },
        );
      }
      if (status !== undefined && status < 500) throw new SchemaRegistrationError(`registering ${subject} failed: ${errorText(err)}`, { cause: err });
      throw new TransientError(`schema registry unavailable while registering ${subject}`, err);
    }
  }

  async registerAll(specs: Iterable<TopicSpec<unknown>>): Promise<void> {
    for (const spec of specs) await this.register(spec);
  }

  /** Encode a record for `spec`'s topic. Throws ValidationError when the value does not fit the schema. */
  encode<T>(spec: TopicSpec<T>, value: T): Buffer {
    const id = this.writerIds.get(spec.name);
    if (id === undefined) throw new Error(`schema for ${spec.name} is not registered: call register() first`);
    const type = this.readerType(spec);
    let body: Buffer;
    try {
      body = type.toBuffer(value);
    } catch (err) {
      const problems: string[] = [];
      type.isValid(value, { errorHook: (path, v) => problems.push(`${path.join('.') || '(root)'} = ${preview(v)}`) });
      throw new ValidationError(`value does not match ${type.name}`, problems.length ? problems : [String(err)]);
    }
    const out = Buffer.allocUnsafe(HEADER_BYTES + body.length);
    out.writeUInt8(MAGIC_BYTE, 0);
    out.writeInt32BE(id, 1);
    body.copy(out, HEADER_BYTES);
    return out;
  }

  /** Decode and validate; throws DecodeError, SchemaMismatchError or ValidationError (none retriable). */
  async decode<T>(spec: TopicSpec<T>, bytes: Buffer | null): Promise<T> {
    const id = schemaIdOf(bytes);
    const writer = this.readyWriters.get(id) ?? (await this.writerFor(id));
    return this.decodeWith(spec, writer, id, bytes!);
  }

  /**
   * Decode a consumed batch: each writer schema is looked up once, then every message decodes synchronously
   * (no promise per message on the hot path). A message that cannot be decoded gets its error in place; a
   * registry outage (retriable) throws, so the caller retries the whole batch.
   */
  async decodeBatch<T>(spec: TopicSpec<T>, values: ReadonlyArray<Buffer | null>): Promise<Array<DecodeOutcome<T>>> {
    const lookups = new Map<number, Promise<WriterEntry>>();
    for (const bytes of values) {
      const id = framedIdOrUndefined(bytes);
      if (id !== undefined && !this.readyWriters.has(id) && !lookups.has(id)) lookups.set(id, this.writerFor(id));
    }
    const lookupErrors = new Map<number, unknown>();
    for (const [id, lookup] of lookups) {
      try {
        await lookup;
      } catch (err) {
        if (err instanceof VigilError && err.retriable) throw err;
        lookupErrors.set(id, err);
      }
    }
    return values.map((bytes) => {
      try {
        const id = schemaIdOf(bytes);
        const writer = this.readyWriters.get(id);
        if (writer === undefined) throw lookupErrors.get(id) ?? new DecodeError(`schema id ${id} could not be resolved`);
        return { ok: true, value: this.decodeWith(spec, writer, id, bytes!) } as const;
      } catch (error) {
        return { ok: false, error } as const;
      }
    });
  }

  private decodeWith<T>(spec: TopicSpec<T>, writer: WriterEntry, id: number, bytes: Buffer): T {
    const reader = this.readerType(spec);
    let resolver = writer.resolvers.get(reader);
    if (resolver === undefined) {
      try {
        // Same schema on both sides (the common case): read directly, a resolver would only add work.
        resolver = writer.type.equals(reader) ? null : reader.createResolver(writer.type);
      } catch (err) {
        throw new SchemaMismatchError(
          `record written as ${writer.type.name ?? writer.type.typeName} (schema id ${id}) cannot be read as ${reader.name} for ${spec.name}`,
          { cause: err },
        );
      }
      writer.resolvers.set(reader, resolver);
    }
    let value: T;
    try {
      const body = bytes.subarray(HEADER_BYTES);
      value = (resolver === null ? reader.fromBuffer(body) : reader.fromBuffer(body, resolver, true)) as T;
    } catch (err) {
      throw new DecodeError(`Avro body does not decode as ${reader.name}: ${(err as Error).message}`, { cause: err });
    }
    const violations = spec.validate?.(value) ?? [];
    if (violations.length > 0) throw new ValidationError(`${reader.name} breaks the contract`, violations);
    return value;
  }

  private readerType(spec: TopicSpec<unknown>): Type {
    let type = this.readerTypes.get(spec.name);
    if (type === undefined) {
      type = Type.forSchema(spec.schema as Schema);
      this.readerTypes.set(spec.name, type);
    }
    return type;
  }

  private writerFor(id: number): Promise<WriterEntry> {
    let entry = this.writers.get(id);
    if (entry === undefined) {
      entry = this.fetchWriter(id);
      this.writers.set(id, entry);
      entry.then(
        (ready) => this.readyWriters.set(id, ready),
        () => this.writers.delete(id), // a failed lookup must not be cached: the next message retries
      );
    }
    return entry;
  }

  private async fetchWriter(id: number): Promise<WriterEntry> {
    let schema: unknown;
    try {
      schema = await this.registry.getSchema(id);
    } catch (err) {
      const status = (err as { status?: number }).status;
      if (status === 404) throw new DecodeError(`schema id ${id} is unknown to the registry`, { cause: err });
      throw new TransientError(`schema registry unavailable while fetching schema id ${id}`, err);
    }
    // The library returns an avsc Type for Avro schemas; rebuild from its JSON so we own the instance.
    const json = (schema as { schema?: () => unknown }).schema?.() ?? schema;
    return { type: Type.forSchema(json as Schema), resolvers: new Map() };
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function preview(v: unknown): string {
  const s = typeof v === 'string' ? JSON.stringify(v) : String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
