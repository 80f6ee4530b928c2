import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from './main';

/** A small plant: two correlated sensors and a status column; a fault doubles the vibration's amplitude. */
function plantCsv(rows: number, faultFrom = Number.POSITIVE_INFINITY, delimiter = ','): string {
  const lines = [['time', 'vibration', 'temperature', 'status', 'fault'].join(delimiter)];
  for (let r = 0; r < rows; r++) {
    const amplitude = r >= faultFrom ? 3 : 1;
    const vibration = amplitude * Math.sin(r * 0.6) + 0.05 * Math.cos(r * 7.1);
    const temperature = r === 5 ? '' : (40 + 2 * Math.sin(r * 0.6 + 0.5)).toFixed(3);
    lines.push([`2024-01-01T00:${String(r).padStart(4, '0')}`, vibration.toFixed(4), temperature, r % 2 ? 'RUN' : 'IDLE', r >= faultFrom ? 1 : 0].join(delimiter));
  }
  return lines.join('\n') + '\n';
}

describe('vigil timeseries train / score / evaluate', () => {
  let dir: string;
  const logs: string[] = [];
  const io = { log: (line: string) => logs.push(line) };
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'vigil-cli-'));
    await writeFile(path.join(dir, 'train.csv'), plantCsv(400, Number.POSITIVE_INFINITY, ';'));
    await writeFile(path.join(dir, 'test.csv'), plantCsv(200, 120));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('fails clearly on a non-numeric column and on unknown flags', async () => {
    const csv = path.join(dir, 'train.csv');
    expect(await main(['timeseries', 'train', '--csv', csv, '--out', path.join(dir, 'm0')], io)).toBe(2);
    expect(logs.at(-1)).toMatch(/column "status" is not numeric .* --exclude status/);
    expect(await main(['timeseries', 'train', '--csv', csv, '--out', dir, '--epoch', '3'], io)).toBe(2);
    expect(logs.at(-1)).toMatch(/unknown flag --epoch/);
  });

  it('trains on a ;-separated file, then scores every row of a ,-separated one', async () => {
    const model = path.join(dir, 'model');
    const trainArgs = ['--csv', path.join(dir, 'train.csv'), '--exclude', 'status,fault', '--window', '16', '--epochs', '12', '--out', model];
    expect(await main(['timeseries', 'train', ...trainArgs], io)).toBe(0);
    expect(logs.join('\n')).toMatch(/temperature: 1 of 400 values missing \(first on line 7\)/);
    expect(await readFile(path.join(model, 'MODEL_CARD.md'), 'utf8')).toMatch(/# Model card/);
    const manifest = JSON.parse(await readFile(path.join(model, 'model.json'), 'utf8'));
    // EVT by default; a short file may have too thin a tail, and then the log says so and the percentile is used.
    if (manifest.calibration.method === 'evt-pot') expect(JSON.parse(await readFile(path.join(model, 'threshold.json'), 'utf8')).kind).toBe('pot');
    else expect(logs.join('\n')).toMatch(/EVT calibration not possible/);

    const scoresPath = path.join(dir, 'scores.csv');
    expect(await main(['timeseries', 'score', '--model', model, '--csv', path.join(dir, 'test.csv'), '--out', scoresPath], io)).toBe(0);
    const lines = (await readFile(scoresPath, 'utf8')).trim().split('\n');
    expect(lines[0]).toBe('time,score,threshold,is_anomaly');
    expect(lines).toHaveLength(201);
    const rows = lines.slice(1).map((l) => l.split(','));
    expect(rows[0]![0]).toBe('2024-01-01T00:0000');
    expect(rows.slice(0, 16).every((r) => r[1] === rows[15]![1])).toBe(true);
    const meanScore = (from: number, to: number) => rows.slice(from, to).reduce((s, r) => s + Number(r[1]), 0) / (to - from);
    expect(meanScore(140, 200)).toBeGreaterThan(3 * meanScore(16, 110));
    expect(rows.slice(140).filter((r) => r[3] === '1').length).toBeGreaterThan(50);

    expect(await main(['evaluate', '--model', model, '--csv', path.join(dir, 'test.csv'), '--label-column', 'fault', '--card', 'true'], io)).toBe(0);
    const report = JSON.parse(logs.find((l) => l.includes('"rocAuc"'))!);
    expect(report.rocAuc).toBeGreaterThan(0.9);
    expect(await readFile(path.join(model, 'MODEL_CARD.md'), 'utf8')).toMatch(/## Evaluation on test.csv/);
  });

  it('tunes with successive halving, then trains the best configuration', async () => {
    const out = path.join(dir, 'tuned');
    const args = ['--csv', path.join(dir, 'train.csv'), '--exclude', 'status,fault', '--window', '16', '--trials', '2', '--eta', '2', '--min-epochs', '1', '--max-epochs', '2', '--out', out];
    expect(await main(['timeseries', 'tune', ...args], io)).toBe(0);
    const search = JSON.parse(await readFile(path.join(out, 'search.json'), 'utf8'));
    expect(search.history.map((h: { results: unknown[] }) => h.results.length)).toEqual([2, 1]);
    expect(search.best.budget).toBe(2);
    const manifest = JSON.parse(await readFile(path.join(out, 'model.json'), 'utf8'));
    expect(manifest.config.encoder).toBe(search.best.params.encoder);
    expect(manifest.config.latentDim).toBe(search.best.params.latentDim);
  });
});
