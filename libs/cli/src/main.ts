/**
 * The `vigil` command line. Users with their own plant data start here (`npx vigil --help`):
 *
 *   npx vigil timeseries train    --csv plant.csv [--time-column time] [--exclude a,b] --out models/pump-7
 *   npx vigil timeseries score    --model models/pump-7 --csv today.csv --out scores.csv      (+ scores.alarms.csv)
 *   npx vigil timeseries evaluate --csv labelled/ --label-column anomaly --model models/pump-7
 *   npx vigil timeseries tune     --csv plant.csv --out models/pump-7-tuned
 *
 * Exit codes: 0 done, 2 usage or input error (the message says what to fix), 1 anything else.
 */
import { CommanderError } from 'commander';
import { CsvFormatError } from '@vigil/datasets';
import { InvalidAlarmOptionsError } from '@vigil/detection';
import { ModelManifestError } from '@vigil/ml';
import { InputError, UsageError } from './cli-errors';
import { createProgram } from './program';
import type { CommandIo } from './timeseries/plant-inputs';

export type { CommandIo } from './timeseries/plant-inputs';

const defaultIo: CommandIo = { log: (line) => console.error(line), out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`) };

export async function main(argv: readonly string[], io: CommandIo = defaultIo): Promise<number> {
  try {
    await createProgram(io).parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    // commander has already printed its message (unknown option, bad value, missing option) through io.
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (
      error instanceof UsageError ||
      error instanceof InputError ||
      error instanceof CsvFormatError ||
      error instanceof ModelManifestError ||
      error instanceof InvalidAlarmOptionsError
    ) {
      io.log(`error: ${error.message}`);
      return 2;
    }
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'EACCES') {
      io.log(`error: cannot read or write ${(error as NodeJS.ErrnoException).path ?? 'a file'} (${code})`);
      return 2;
    }
    io.log(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 1;
  }
}
