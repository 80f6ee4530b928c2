import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from './main';

/** A small plant: two correlated sensors, a constant one and a status column; a fault triples the vibration. */
function plantCsv(rows: number, faultFrom = Number.POSITIVE_INFINITY, delimiter = ','): string {
  const lines = [['time', 'vibration', 'temperature', 'setpoint', 'status', 'fault'].join(delimiter)];
  for (let r = 0; r < rows; r++) {
    const amplitude = r >= faultFrom ? 3 : 1;
    const vibration = amplitude * Math.sin(r * 0.6) + 0.05 * Math.cos(r * 7.1);
    const temperature = r === 5 ? '' : (40 + 2 * Math.sin(r * 0.6 + 0.5)).toFixed(3);
    lines.push(
      [
        `2024-01-01T00:${String(Math.floor(r / 60)).padStart(2, '0')}:${String(r % 60).padStart(2, '0')}Z`,
        vibration.toFixed(4),
        temperature,
        '7',
        r % 2 ? 'RUN' : 'IDLE',
        r >= faultFrom ? 1 : 0,
      ].join(delimiter),
    );
  }
  return lines.join('\n') + '\n';
}

describe('vigil', () => {
  let dir: string;
  const logs: string[] = [];
  const io = { log: (line: string) => logs.push(line) };
  const run = (...argv: string[]) => main(argv, io);
  const file = (name: string) => path.join(dir, name);
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'vigil-cli-'));
    await writeFile(file('train.csv'), plantCsv(400, Number.POSITIVE_INFINITY, ';'));
    await writeFile(file('test.csv'), plantCsv(300, 150));
    await writeFile(file('spaces.csv'), 'time vibration\n0 1\n');
    await writeFile(file('text.csv'), 'time,vibration\n0,1\n1,high\n');
    await writeFile(file('nan.csv'), 'time,vibration,temperature\n0,1,2\n1,NaN,3\n2,1,4\n');
    await writeFile(file('short.csv'), plantCsv(20));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    [['--help'], /Usage: vigil \[options\] \[command\]/],
    [['timeseries', '--help'], /train \[options\]/],
    [['timeseries', 'train', '--help'], /--holdout <fraction>/],
    [['timeseries', 'score', '--help'], /--threshold <mode>/],
    [['timeseries', 'evaluate', '--help'], /--label-column <name>/],
    [['evaluate', '--help'], /--train-rows <rows>/],
  ])('prints real help for %j and exits 0', async (argv, expected) => {
    const out: string[] = [];
    expect(await main(argv, { log: (l) => out.push(l), out: (t) => out.push(t) })).toBe(0);
    expect(out.join('\n')).toMatch(expected);
  });

  it.each([
    ['an unknown flag', ['timeseries', 'train', '--csv', 'x.csv', '--out', 'm', '--epoch', '3'], /unknown option '--epoch'[\s\S]*Did you mean --epochs\?/],
    [
      'a bad number',
      ['timeseries', 'train', '--csv', 'x.csv', '--out', 'm', '--window', 'ten'],
      /option '--window <rows>' argument 'ten' is invalid. expected an integer/,
    ],
    [
      'a bad choice',
      ['timeseries', 'score', '--csv', 'x.csv', '--model', 'm', '--out', 's', '--threshold', 'magic'],
      /argument 'magic' is invalid. Allowed choices are static, spot, dspot/,
    ],
    ['a missing option', ['timeseries', 'train', '--csv', 'x.csv'], /required option '--out <dir>' not specified/],
    ['a missing required option of evaluate', ['evaluate', '--csv', 'x.csv'], /required option '--label-column <name>' not specified/],
    ['an unknown command', ['timeseries', 'fly'], /unknown command 'fly'/],
  ])('fails with exit code 2 on %s', async (_name, argv, message) => {
    expect(await run(...argv)).toBe(2);
    expect(logs.slice(-3).join('\n')).toMatch(message);
  });

  it('names an unknown flag before complaining about missing required options', async () => {
    const out: string[] = [];
    expect(await main(['timeseries', 'train', '--bogus'], { log: (l) => out.push(l) })).toBe(2);
    expect(out.join('\n')).toMatch(/unknown option '--bogus'/);
    expect(out.join('\n')).not.toMatch(/required option/);
  });

  it('trains the same detector twice from the same --seed, another from another seed', async () => {
    const train = async (seed: string, out: string) => {
      expect(await run('timeseries', 'train', '--csv', file('train.csv'), '--exclude', 'status', '--epochs', '2', '--seed', seed, '--out', file(out))).toBe(0);
      return JSON.parse(await readFile(path.join(file(out), 'detector.json'), 'utf8')) as { calibration: { threshold: number }; heldOutScores: number[] };
    };
    const first = await train('3', 'seed-a');
    const again = await train('3', 'seed-b');
    const other = await train('4', 'seed-c');
    expect(again.heldOutScores).toEqual(first.heldOutScores);
    expect(again.calibration).toEqual(first.calibration);
    expect(other.heldOutScores).not.toEqual(first.heldOutScores);
  });

  it.each([
    ['the wrong delimiter', 'spaces.csv', [], /spaces.csv: line 1: the header "time vibration" has no delimiter/],
    ['a missing time column', 'train.csv', ['--time-column', 'when'], /column "when" is not in the file \(columns: time, vibration/],
    ['a non-numeric cell', 'text.csv', [], /text.csv: line 3, column "vibration": "high" is not a number/],
    ['a NaN cell under --non-finite fail', 'nan.csv', ['--non-finite', 'fail'], /nan.csv: line 3, column "vibration": "NaN" is not a finite number/],
    ['too few rows for the window', 'short.csv', ['--exclude', 'status,fault'], /short.csv: 20 rows are too few for --window 16/],
  ])('rejects %s with a message and exit code 2', async (_name, csv, extra, message) => {
    expect(await run('timeseries', 'train', '--csv', file(csv), '--out', file('never'), ...extra)).toBe(2);
    expect(logs.at(-1)).toMatch(message);
  });

  // The fault here triples a sine's amplitude: a shape fault the VAE sees and the level statistic (a rolling
  // mean) does not, so this run gives the VAE a larger share than the level-fault default.
  it('trains (dropping the constant column), scores with alarms, and evaluates', async () => {
    const model = file('model');
    expect(
      await run(
        'timeseries',
        'train',
        '--csv',
        file('train.csv'),
        '--exclude',
        'status',
        '--label-column',
        'fault',
        '--epochs',
        '8',
        '--vae-weight',
        '0.5',
        '--out',
        model,
      ),
    ).toBe(0);
    const log = logs.join('\n');
    expect(log).toMatch(/warning: column "setpoint" is constant in the training rows; dropped/);
    expect(log).toMatch(/temperature: 1 of 400 cells empty, NaN or infinite \(first on line 7\), interpolated/);
    expect(logs.at(-1)).toMatch(/expected false-alarm rate [\d.]+ % of normal rows \(an in-sample threshold would flag [\d.]+ %\)/);
    const detector = JSON.parse(await readFile(path.join(model, 'detector.json'), 'utf8'));
    expect(detector.droppedConstantColumns).toEqual(['setpoint']);
    expect(detector.heldOutScores).toHaveLength(100);

    const scores = file('scores.csv');
    expect(await run('timeseries', 'score', '--model', model, '--csv', file('test.csv'), '--exclude', 'status', '--out', scores)).toBe(0);
    const lines = (await readFile(scores, 'utf8')).trim().split('\n');
    expect(lines[0]).toBe('time,score,threshold,above_threshold,in_alarm');
    expect(lines).toHaveLength(301);
    const inAlarm = lines.slice(1).map((l) => Number(l.split(',')[4]));
    expect(inAlarm.slice(170).filter(Boolean).length).toBeGreaterThan(100);
    const alarms = (await readFile(file('scores.alarms.csv'), 'utf8')).trim().split('\n');
    expect(alarms[0]).toBe('start,end,rows,peak_at,peak_score,top_channels');
    expect(alarms.some((a) => a.includes('vibration'))).toBe(true);

    // Debouncing: without k-of-n, hysteresis and the gap, the same scores give one alarm per loud stretch.
    const raw = ['--alarm-k', '1', '--alarm-n', '1', '--clear-after', '1', '--clear-ratio', '1', '--min-gap', '0'];
    expect(await run('timeseries', 'score', '--model', model, '--csv', file('test.csv'), '--exclude', 'status', '--out', file('raw.csv'), ...raw)).toBe(0);
    const rawAlarms = (await readFile(file('raw.alarms.csv'), 'utf8')).trim().split('\n');
    expect(alarms.length - 1).toBeLessThanOrEqual(2);
    expect(rawAlarms.length - 1).toBeGreaterThan(3 * (alarms.length - 1));

    expect(
      await run('timeseries', 'score', '--model', model, '--csv', file('test.csv'), '--exclude', 'status', '--out', file('spot.csv'), '--threshold', 'dspot'),
    ).toBe(0);

    const out: string[] = [];
    const report = file('report.json');
    expect(
      await main(['timeseries', 'evaluate', '--model', model, '--csv', file('test.csv'), '--exclude', 'status', '--label-column', 'fault', '--json', report], {
        log: () => {},
        out: (t) => out.push(t),
      }),
    ).toBe(0);
    expect(out.join('\n')).toMatch(/point: {2}F1 [\d.]+ {2}FAR [\d.]+ % {2}MAR [\d.]+ %/);
    const json = JSON.parse(await readFile(report, 'utf8'));
    expect(json.point.rocAuc).toBeGreaterThan(0.9);
    expect(json.events.caught).toBe(1);
  });
});
