/**
 * Runs `vigil vision …` on its own until the lead wires visionCommand into the main `vigil` program:
 *   npx tsx libs/cli/src/vision/vision.main.ts train --data ../shared/data/mtd/magnetic_tile --out /tmp/mtd
 */
import { Command } from 'commander';
import { visionCommand } from './vision.command';

const program = new Command('vigil').addCommand(visionCommand({ log: (line) => console.error(line) }));
program.parseAsync(['node', 'vigil', 'vision', ...process.argv.slice(2)]).catch((error: unknown) => {
  console.error(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
