/**
 * The `vigil` program: one commander `Command` per group, added with `addCommand` (a vision group plugs in the
 * same way). Output goes through `io`, and commander never exits the process itself, so main.ts owns the exit codes.
 *
 * @example
 *   await createProgram(io).parseAsync(['timeseries', 'train', '--help'], { from: 'user' });
 */
import { Command } from 'commander';
import type { CommandIo } from './timeseries/plant-inputs';
import { evaluateCommand, timeseriesCommand } from './timeseries/timeseries.command';
import { visionCommand } from './vision/vision.command';

/** Applies exit override and output routing to a command and every subcommand (addCommand does not inherit them). */
function configureTree(command: Command, io: CommandIo): void {
  command
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({ writeOut: (text) => (io.out ?? io.log)(text.trimEnd()), writeErr: (text) => io.log(text.trimEnd()) });
  checkUnknownOptionsFirst(command);
  for (const sub of command.commands) configureTree(sub, io);
}

/**
 * commander checks required options before unknown ones, so `train --bogus` used to answer "required option
 * '--csv' not specified" and hide the typo. Here the required options are checked in a `preAction` hook
 * instead, which commander runs after its unknown-option check: a misspelt flag is named first (with commander's
 * "did you mean" hint), a missing one after, with commander's own wording and exit path.
 */
function checkUnknownOptionsFirst(command: Command): void {
  const required = command.options.filter((option) => option.mandatory);
  if (required.length === 0) return;
  for (const option of required) option.makeOptionMandatory(false);
  command.hook('preAction', (self) => {
    const missing = required.find((option) => self.getOptionValue(option.attributeName()) === undefined);
    if (missing) self.error(`error: required option '${missing.flags}' not specified`, { code: 'commander.missingMandatoryOptionValue' });
  });
}

export function createProgram(io: CommandIo): Command {
  const program = new Command('vigil')
    .description('Vigil: anomaly detection on your own plant data')
    .addCommand(timeseriesCommand(io))
    .addCommand(evaluateCommand(io))
    .addCommand(visionCommand({ log: io.log }));
  configureTree(program, io);
  return program;
}
