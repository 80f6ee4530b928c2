import { CompressionCodecs, CompressionTypes, Kafka, logLevel, type KafkaConfig } from 'kafkajs';
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
