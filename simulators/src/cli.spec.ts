import { describe, expect, it } from 'vitest';
import { parseCli } from './cli';

describe('parseCli', () => {
  it.each([
    [['demo.yaml'], ['sensor', 'audio', 'image', 'label']],
    [
      ['--modalities', 'sensor', 'demo.yaml'],
      ['sensor', 'label'],
    ],
    [['--modalities', 'audio', 'demo.yaml'], ['audio']],
    [
      ['--modalities', 'audio,image', '--labels', 'demo.yaml'],
      ['audio', 'image', 'label'],
    ],
    [['--modalities', 'sensor', '--no-labels', 'demo.yaml'], ['sensor']],
  ])('%j simulates %j', (argv, streams) => {
    expect([...parseCli(argv).streams]).toEqual(streams);
  });

  it('reads speed, sink and duration', () => {
    expect(parseCli(['x.yaml', '--speed', 'max', '--sink', 'stdout', '--duration', '5'])).toMatchObject({
      file: 'x.yaml',
      speed: 'max',
      sink: 'stdout',
      durationS: 5,
    });
    expect(parseCli(['x.yaml', '--speed', '2.5'])).toMatchObject({ speed: 2.5, sink: 'kafka', durationS: undefined, seed: undefined });
    expect(parseCli(['x.yaml', '--seed', '17']).seed).toBe(17);
    expect(parseCli(['x.yaml', '--seed', 'night-shift']).seed).toBe('night-shift');
  });

  it.each([
    [[], /usage/],
    [['x.yaml', '--modalities', 'smell'], /unknown "smell"/],
    [['x.yaml', '--speed', 'fast'], /--speed/],
    [['x.yaml', '--sink', 'carrier-pigeon'], /--sink/],
    [['x.yaml', '--duration', '0'], /--duration/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseCli(argv)).toThrow(message);
  });
});
