import { describe, expect, it } from 'vitest';
import { visionCommand } from './vision.command';

describe('visionCommand', () => {
  it('offers train, score and evaluate with their required options', () => {
    const vision = visionCommand({ log: () => undefined });
    expect(vision.name()).toBe('vision');
    const byName = Object.fromEntries(vision.commands.map((c) => [c.name(), c.options.filter((o) => o.mandatory).map((o) => o.long)]));
    expect(byName).toEqual({ train: ['--data', '--out'], score: ['--model', '--images', '--out'], evaluate: ['--model', '--data'] });
  });

  it('rejects an unknown model kind before doing any work', async () => {
    const vision = visionCommand({ log: () => undefined }).exitOverride();
    vision.commands.forEach((c) => c.exitOverride().configureOutput({ writeErr: () => undefined }));
    await expect(vision.parseAsync(['train', '--data', 'x', '--out', 'y', '--model', 'forest'], { from: 'user' })).rejects.toThrow(/forest/);
  });

  it('rejects input sizes that are not multiples of 32', async () => {
    const vision = visionCommand({ log: () => undefined }).exitOverride();
    vision.commands.forEach((c) => c.exitOverride().configureOutput({ writeErr: () => undefined }));
    await expect(vision.parseAsync(['train', '--data', 'x', '--out', 'y', '--sizes', '256,300'], { from: 'user' })).rejects.toThrow(/multiples of 32/);
  });

  it('rejects top-k candidates that are not positive integers and an unknown --serve before doing any work', async () => {
    const vision = visionCommand({ log: () => undefined }).exitOverride();
    vision.commands.forEach((c) => c.exitOverride().configureOutput({ writeErr: () => undefined }));
    await expect(vision.parseAsync(['train', '--data', 'x', '--out', 'y', '--top-ks', '1,0'], { from: 'user' })).rejects.toThrow(/positive integers/);
    await expect(vision.parseAsync(['train', '--data', 'x', '--out', 'y', '--serve', 'vae'], { from: 'user' })).rejects.toThrow(
      /'vae' is invalid.*best, own-kind/,
    );
  });
});
