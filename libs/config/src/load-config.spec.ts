import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, clickhouseConfig, httpConfig, kafkaConfig, loadConfig, mlConfig, trueOrFalse } from './index';

const schema = kafkaConfig.merge(clickhouseConfig).merge(httpConfig('DETECTOR', 9464)).merge(mlConfig);

describe('trueOrFalse', () => {
  it('reads only true or false, with its default when unset', () => {
    const switches = z.object({ X_FROM_BEGINNING: trueOrFalse('false'), Y_ON: trueOrFalse('true') });
    expect(loadConfig(switches, {})).toEqual({ X_FROM_BEGINNING: false, Y_ON: true });
    expect(loadConfig(switches, { X_FROM_BEGINNING: 'true', Y_ON: 'false' })).toEqual({ X_FROM_BEGINNING: true, Y_ON: false });
    expect(() => loadConfig(switches, { X_FROM_BEGINNING: '1' })).toThrow(ConfigError);
  });
});

describe('loadConfig', () => {
  it('gives the defaults of every fragment for an empty environment', () => {
    const cfg = loadConfig(schema, {});
    expect(cfg.VIGIL_KAFKA_BROKERS).toEqual(['127.0.0.1:9092']);
    expect(cfg.VIGIL_KAFKA_SSL).toBe(false);
    expect(cfg.VIGIL_CLICKHOUSE_DATABASE).toBe('vigil');
    expect(cfg.DETECTOR_HTTP_HOST).toBe('0.0.0.0');
    expect(cfg.DETECTOR_HTTP_PORT).toBe(9464);
    expect(cfg.ML_BACKEND).toBe('tensorflow');
  });

  it('trims values, splits lists and treats empty strings as unset', () => {
    const cfg = loadConfig(schema, { VIGIL_KAFKA_BROKERS: ' a:1 , b:2 ,', DETECTOR_HTTP_PORT: '', VIGIL_KAFKA_SSL: 'true' });
    expect(cfg.VIGIL_KAFKA_BROKERS).toEqual(['a:1', 'b:2']);
    expect(cfg.DETECTOR_HTTP_PORT).toBe(9464);
    expect(cfg.VIGIL_KAFKA_SSL).toBe(true);
  });

  it('fails fast naming every bad variable', () => {
    const bad = () => loadConfig(schema, { DETECTOR_HTTP_PORT: '70000', ML_BACKEND: 'gpu', VIGIL_CLICKHOUSE_DATABASE: 'x;drop' }, 'detector');
    expect(bad).toThrow(ConfigError);
    try {
      bad();
    } catch (error) {
      const e = error as ConfigError;
      expect(e.problems.map((p) => p.variable).sort()).toEqual(['DETECTOR_HTTP_PORT', 'ML_BACKEND', 'VIGIL_CLICKHOUSE_DATABASE']);
      expect(e.message).toMatch(/^invalid detector configuration: /);
    }
  });

  it('leaves variables the schema does not know alone', () => {
    expect(loadConfig(z.object({ A: z.string().default('x') }), { B: 'y' })).toEqual({ A: 'x' });
  });
});
