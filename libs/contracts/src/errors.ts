/**
 * The error hierarchy every service shares. Errors carry behaviour: `retriable` tells a consumer whether to
 * retry with backoff (broker hiccup, registry down) or to dead-letter the message and move on (bad bytes,
 * wrong schema, invalid values) so one poison message never blocks its partition.
 */
export class VigilError extends Error {
  readonly retriable: boolean;

  constructor(message: string, opts: { retriable?: boolean; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.name = new.target.name;
    this.retriable = opts.retriable ?? false;
  }
}

/** The bytes are not a Confluent-framed Avro record we can read (no magic byte, unknown schema id, truncated). */
export class DecodeError extends VigilError {}

/** The record was written with a schema that cannot be read as the topic's schema (e.g. another record type). */
export class SchemaMismatchError extends VigilError {}

/** The record decoded but its values break the contract (NaN, negative sample rate, empty device id, …). */
export class ValidationError extends VigilError {
  constructor(
    message: string,
    readonly violations: string[],
  ) {
    super(`${message}: ${violations.join('; ')}`);
  }
}

/** The registry refused a schema, e.g. a change that breaks BACKWARD compatibility. */
export class SchemaRegistrationError extends VigilError {}

/** A dependency is temporarily unavailable; the operation may succeed if retried. */
export class TransientError extends VigilError {
  constructor(message: string, cause?: unknown) {
    super(message, { retriable: true, cause });
  }
}
