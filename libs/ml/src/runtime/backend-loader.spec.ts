import { afterEach, describe, expect, it } from 'vitest';
import { loadMlBackend } from './backend-loader';
import { mlBackend, tf } from './index';
import { InvalidMlBackendError, parseMlBackend } from './ml-backend';

// A package that resolves nowhere: the backend is genuinely absent, no stub involved.
const ABSENT = '@vigil/no-such-tfjs-backend';

describe('parseMlBackend', () => {
  it.each([
    [undefined, 'tensorflow'],
    ['', 'tensorflow'],
    ['cpu', 'cpu'],
    [' tensorflow-gpu ', 'tensorflow-gpu'],
  ])('reads %j as %s', (value, expected) => {
    expect(parseMlBackend(value)).toBe(expected);
  });

  it('rejects names it does not know, so a typo cannot silently pick the slow backend', () => {
    expect(() => parseMlBackend('gpu')).toThrow(InvalidMlBackendError);
    expect(() => parseMlBackend('gpu')).toThrow(/tensorflow \| tensorflow-gpu \| cpu/);
  });
});

describe('loadMlBackend', () => {
  afterEach(async () => {
    await tf.setBackend('tensorflow');
  });

  it('runs the default runtime on real TensorFlow (provisioned by scripts/setup.sh)', () => {
    expect(mlBackend).toMatchObject({ requested: 'tensorflow', backend: 'tensorflow', skipped: [] });
    expect(tf.getBackend()).toBe('tensorflow');
    const product = tf.tidy(() => tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]])).dataSync()[0]);
    expect(product).toBe(11);
  });

  it('falls back from an absent GPU package to TensorFlow on the CPU with one line naming why', () => {
    const lines: string[] = [];
    const loaded = loadMlBackend('tensorflow-gpu', { log: (line) => lines.push(line), modules: { 'tensorflow-gpu': ABSENT } });
    expect(loaded.backend).toBe('tensorflow');
    expect(tf.getBackend()).toBe('tensorflow');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/ML_BACKEND=tensorflow-gpu is not available \(tensorflow-gpu: .*no-such-tfjs-backend.*\); using tensorflow/);
  });

  it('falls back to the pure-JS cpu backend with a loud warning when tfjs-node is absent', () => {
    const lines: string[] = [];
    const loaded = loadMlBackend('tensorflow', { log: (line) => lines.push(line), modules: { tensorflow: ABSENT } });
    expect(loaded.backend).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(loaded.skipped.map((s) => s.backend)).toEqual(['tensorflow']);
    expect(lines[0]).toMatch(/ML_BACKEND=tensorflow is not available .*; using cpu/);
    expect(lines[1]).toMatch(/WARNING: running on the pure-JavaScript tfjs CPU backend/);
  });

  it('warns even when cpu is what was asked for', () => {
    const lines: string[] = [];
    expect(loadMlBackend('cpu', { log: (line) => lines.push(line) }).backend).toBe('cpu');
    expect(lines).toEqual([expect.stringMatching(/^\[vigil\/ml\] WARNING/)]);
  });

  it('reports every candidate when none loads', () => {
    expect(() => loadMlBackend('tensorflow', { log: () => undefined, modules: { tensorflow: ABSENT, cpu: ABSENT } })).toThrow(
      /no TensorFlow.js backend could be loaded: tensorflow: .*; cpu: /,
    );
  });
});
