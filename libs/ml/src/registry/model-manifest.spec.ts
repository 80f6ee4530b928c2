import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ModelManifest, ModelManifestError, parseManifest } from './model-manifest';

const COMMITTED = path.resolve(__dirname, '..', '..', '..', '..', 'models', 'cmapss-fd001-cnn', 'v1', 'model.json');
const committed = (): ModelManifest => JSON.parse(readFileSync(COMMITTED, 'utf8')) as ModelManifest;
const REMOVED = Symbol('removed');

/** The committed manifest with the value at `at` replaced (or removed), as a hand-edited file would be. */
function damaged(at: Array<string | number>, value: unknown): unknown {
  const manifest = committed();
  let node = manifest as unknown as Record<string | number, unknown>;
  for (const key of at.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  if (value === REMOVED) delete node[at.at(-1)!];
  else node[at.at(-1)!] = value;
  return manifest;
}

describe('parseManifest', () => {
  it('returns a committed manifest unchanged, unknown keys included', () => {
    const manifest = { ...committed(), reviewedBy: 'someone' };
    expect(parseManifest(manifest, 'model.json')).toEqual(manifest);
  });

  it('reads JSON null (how NaN is written) in history and metrics back as NaN', () => {
    const manifest = committed();
    Object.assign(manifest.training.history[0]!, { validationLoss: null });
    Object.assign(manifest.metrics, { testRocAuc: null });
    const parsed = parseManifest(manifest, 'model.json');
    expect(parsed.training.history[0]!.validationLoss).toBeNaN();
    expect(parsed.metrics.testRocAuc).toBeNaN();
  });

  const channels = committed().config.channels;
  it.each<[string, Array<string | number>, unknown, string]>([
    ['a foreign format', ['format'], 'onnx', 'format: is "onnx", expected "vigil-window-model"'],
    ['a newer format version', ['formatVersion'], 2, 'formatVersion: 2 is not supported (expected 1)'],
    ['a config value of the wrong type', ['config', 'latentDim'], '8', 'config.latentDim: Expected number, received string'],
    ['an unknown encoder', ['config', 'encoder'], 'rnn', "config.encoder: Invalid enum value. Expected 'cnn' | 'transformer', received 'rnn'"],
    ['a missing weight shape', ['weights', 3, 'shape'], REMOVED, 'weights[3].shape: Required'],
    [
      'a scaler of the wrong width',
      ['scaler', 'std'],
      Array.from({ length: channels - 1 }, () => 1),
      `scaler.std: has ${channels - 1} values, config.channels is ${channels}`,
    ],
    ['a non-positive scaler std', ['scaler', 'std', 2], 0, 'scaler.std[2]: Number must be greater than 0'],
    ['a calibration without threshold', ['calibration', 'threshold'], REMOVED, 'calibration.threshold: Required'],
    ['a missing name', ['name'], REMOVED, 'name: Required'],
  ])('rejects %s, naming the field', (_case, at, value, message) => {
    expect(() => parseManifest(damaged(at, value), 'models/x/v1/model.json')).toThrow(new ModelManifestError(`models/x/v1/model.json: ${message}`));
  });

  it('rejects what is not a JSON object', () => {
    expect(() => parseManifest([1, 2], 'model.json')).toThrow(new ModelManifestError('model.json: not a JSON object'));
  });
});
