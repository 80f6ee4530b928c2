import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_MODALITIES, isStreamModality, STREAM_MODALITIES } from './modalities';

describe('modality catalogue', () => {
  it('is the Avro Modality enum (plus nothing)', () => {
    const common = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'schemas', 'avro', 'common.avsc'), 'utf8')) as {
      name: string;
      symbols?: string[];
    };
    expect(common.symbols).toEqual([...ALL_MODALITIES]);
  });

  it('tells streamed modalities from other strings', () => {
    expect(STREAM_MODALITIES.every(isStreamModality)).toBe(true);
    expect(isStreamModality('FUSED')).toBe(false);
    expect(isStreamModality('sensor')).toBe(false);
  });
});
