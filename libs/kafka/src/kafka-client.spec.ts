import { describe, expect, it } from 'vitest';
import { kafkaConfig, loadConfig } from '@vigil/config';
import { kafkaConnection } from './kafka-client';

describe('kafkaConnection', () => {
  it('is plain brokers by default', () => {
    expect(kafkaConnection(loadConfig(kafkaConfig, { VIGIL_KAFKA_BROKERS: 'k1:9092,k2:9092' }))).toEqual({ brokers: ['k1:9092', 'k2:9092'] });
  });

  it('maps TLS and SASL', () => {
    const cfg = loadConfig(kafkaConfig, {
      VIGIL_KAFKA_SSL: 'true',
      VIGIL_KAFKA_SASL_MECHANISM: 'scram-sha-512',
      VIGIL_KAFKA_SASL_USERNAME: 'u',
      VIGIL_KAFKA_SASL_PASSWORD: 'p',
    });
    expect(kafkaConnection(cfg)).toEqual({ brokers: ['127.0.0.1:9092'], ssl: true, sasl: { mechanism: 'scram-sha-512', username: 'u', password: 'p' } });
  });

  it('refuses a SASL mechanism without credentials', () => {
    expect(() => kafkaConnection(loadConfig(kafkaConfig, { VIGIL_KAFKA_SASL_MECHANISM: 'plain' }))).toThrow(/needs VIGIL_KAFKA_SASL_USERNAME/);
  });
});
