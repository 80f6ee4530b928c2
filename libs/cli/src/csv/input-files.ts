/**
 * Expands `--csv` arguments into files: a file is itself, a folder is its `*.csv` files, anything with `* ? [ {`
 * is a glob. Sorted naturally (`2.csv` before `10.csv`), so sequences keep their experiment order.
 *
 * @example
 *   await expandCsvInputs(['data/skab/valve1']);   // ['…/0.csv', '…/1.csv', …, '…/15.csv']
 */
import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import { glob } from 'tinyglobby';
import { InputError } from '../cli-errors';

const natural = new Intl.Collator('en', { numeric: true });

export async function expandCsvInputs(inputs: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const input of inputs) {
    if (/[*?[{]/.test(input)) {
      const matched = await glob(input, { absolute: false, onlyFiles: true });
      if (matched.length === 0) throw new InputError(`no file matches ${input}`);
      files.push(...matched.sort(natural.compare));
      continue;
    }
    const info = await stat(input).catch(() => undefined);
    if (!info) throw new InputError(`${input} does not exist`);
    if (info.isDirectory()) {
      const inFolder = await glob('*.csv', { cwd: input, onlyFiles: true });
      if (inFolder.length === 0) throw new InputError(`folder ${input} has no .csv files`);
      files.push(...inFolder.sort(natural.compare).map((f) => path.join(input, f)));
    } else files.push(input);
  }
  return files;
}
