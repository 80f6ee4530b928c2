/**
 * The `vigil` command line. Users with their own plant data start here:
 *
 *   npx vigil timeseries train --csv plant.csv [--time-column time] [--exclude a,b] --out models/pump-7
 *   npx vigil timeseries score --model models/pump-7 --csv today.csv --out scores.csv
 *   npx vigil timeseries tune  --csv plant.csv [--trials 9] --out models/pump-7-tuned
 *   npx vigil evaluate --model models/pump-7 --csv labelled.csv --label-column fault [--card true]
 *
 * Exit codes: 0 done, 2 usage or input error (the message says what to fix), 1 anything else.
 */
import { ModelManifestError } from '@vigil/ml';
import { CsvInputError } from './csv/delimited-text';
import { UsageError } from './args';
import { evaluate } from './evaluate.command';
import { timeseriesScore } from './timeseries/timeseries-score.command';
import { timeseriesTrain, type CommandIo } from './timeseries/timeseries-train.command';
import { timeseriesTune } from './timeseries/timeseries-tune.command';

type Command = (argv: readonly string[], io: CommandIo) => Promise<void>;

const COMMANDS: Record<string, Command> = {
  'timeseries train': timeseriesTrain,
  'timeseries score': timeseriesScore,
  'timeseries tune': timeseriesTune,
  evaluate,
};

const USAGE = `usage:
  vigil timeseries train --csv <file> [--time-column <name>] [--exclude <col,...>] --out <model-dir>
                         [--encoder cnn|transformer] [--window 32] [--epochs 30] [--latent 8] [--hidden 32]
                         [--learning-rate 0.002] [--beta 1] [--seed 7] [--threshold evt|percentile] [--risk 0.001] [--percentile 0.99]
  vigil timeseries score --model <model-dir> --csv <file> --out <scores.csv> [--time-column <name>]
  vigil timeseries tune  --csv <file> [--time-column <name>] [--exclude <col,...>] --out <model-dir>
                         [--trials 9] [--eta 3] [--min-epochs 3] [--max-epochs 27] [--seed 7]
  vigil evaluate --model <model-dir> --csv <file> --label-column <name> [--card true]`;

export async function main(argv: readonly string[], io: CommandIo = { log: (line) => console.error(line) }): Promise<number> {
  const key = argv[0] === 'timeseries' ? `timeseries ${argv[1] ?? ''}` : (argv[0] ?? '');
  const command = COMMANDS[key];
  if (!command) {
    io.log(argv.length === 0 || argv[0] === '--help' || argv[0] === 'help' ? USAGE : `unknown command "${argv.join(' ')}"\n${USAGE}`);
    return argv.length === 0 || argv[0] === '--help' || argv[0] === 'help' ? 0 : 2;
  }
  try {
    await command(argv.slice(key.split(' ').length), io);
    return 0;
  } catch (error) {
    if (error instanceof UsageError || error instanceof CsvInputError || error instanceof ModelManifestError) {
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
