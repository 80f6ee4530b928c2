import { readFileSync } from 'node:fs';
import type { KafkaConfig as KafkaConnectionConfig } from '@vigil/config';
import { CompressionCodecs, CompressionTypes, Kafka, logLevel, type KafkaConfig, type SASLOptions } from 'kafkajs';
// kafkajs ships only gzip; snappy (pure JS, via snappyjs) is far cheaper on CPU for our numeric payloads.
import SnappyCodec from 'kafkajs-snappy';

CompressionCodecs[CompressionTypes.Snappy] = SnappyCodec;

export interface KafkaEndpoints {
  brokers: string[];
  registryUrl: string;
}

export type Compression = 'none' | 'gzip' | 'snappy';

export function compressionType(c: Compression): CompressionTypes {
  return { none: CompressionTypes.None, gzip: CompressionTypes.GZIP, snappy: CompressionTypes.Snappy }[c];
}

/** One Kafka client per process; kafkajs's own logging is routed to warnings and above. */
export function createKafka(opts: { brokers: string[]; clientId: string } & Partial<KafkaConfig>): Kafka {
  return new Kafka({ logLevel: logLevel.WARN, retry: { retries: 8, initialRetryTime: 200 }, ...opts });
}

/**
 * kafkajs connection options from the validated config fragment (`VIGIL_KAFKA_*`): brokers, TLS (with an
 * optional CA file) and SASL. A SASL mechanism without both credentials fails here, at start-up.
 */
export function kafkaConnection(cfg: KafkaConnectionConfig): { brokers: string[] } & Pick<KafkaConfig, 'ssl' | 'sasl'> {
  const ssl = cfg.VIGIL_KAFKA_SSL ? (cfg.VIGIL_KAFKA_SSL_CA_FILE ? { ca: [readFileSync(cfg.VIGIL_KAFKA_SSL_CA_FILE, 'utf8')] } : true) : undefined;
  let sasl: SASLOptions | undefined;
  if (cfg.VIGIL_KAFKA_SASL_MECHANISM) {
    const { VIGIL_KAFKA_SASL_USERNAME: username, VIGIL_KAFKA_SASL_PASSWORD: password } = cfg;
    if (!username || !password)
      throw new Error(`VIGIL_KAFKA_SASL_MECHANISM=${cfg.VIGIL_KAFKA_SASL_MECHANISM} needs VIGIL_KAFKA_SASL_USERNAME and VIGIL_KAFKA_SASL_PASSWORD`);
    sasl = { mechanism: cfg.VIGIL_KAFKA_SASL_MECHANISM, username, password } as SASLOptions;
  }
  return { brokers: cfg.VIGIL_KAFKA_BROKERS, ...(ssl ? { ssl } : {}), ...(sasl ? { sasl } : {}) };
}
