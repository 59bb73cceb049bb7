import { Command, CommanderError } from 'commander';
import { register as compare } from './commands/compare';
import { register as findLr } from './commands/find-lr';
import { register as lr } from './commands/lr';
import { register as lrSweep } from './commands/lr-sweep';
import { register as momentum } from './commands/momentum';
import { register as optimizer } from './commands/optimizer';
import { register as paramGroups } from './commands/param-groups';
import { register as schedulers } from './commands/schedulers';
import { register as train } from './commands/train';
import type { Io } from './io';
import { num } from './parse';

/** The options every command shares: seed, JSON output, plot file, terminal plot switch. */
function common(c: Command): Command {
  return c
    .option('--seed <n>', 'seed of every random generator', num({ integer: true, min: 0 }), 0)
    .option('--json', 'print machine-readable JSON instead of text', false)
    .option('--out <file>', 'write the plot(s) to a .png or .svg file')
    .option('--no-plot', 'no plot in the terminal');
}

/** Builds the `opt-demo` program writing to `io`. */
export function buildProgram(io: Io): Command {
  const program = new Command('opt-demo')
    .description("The classic PyTorch optimizer tutorials' experiments, on @opt, one command each.")
    .version('0.1.0')
    .showSuggestionAfterError(true)
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .exitOverride();
  for (const add of [lr, lrSweep, momentum, schedulers, optimizer, paramGroups, train, compare, findLr])
    add(program, io, common);
  for (const c of program.commands)
    c.exitOverride().configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  return program;
}

/**
 * Runs `opt-demo` with `args` (without `node` and the script) and returns the
 * exit code: 0, or 1 with one line on `io.err` for bad input (never a stack trace).
 */
export async function run(args: readonly string[], io: Io): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...args], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode; // commander already printed its one line (or the help)
    const message = e instanceof Error ? e.message : String(e);
    io.err(`opt-demo: error: ${message.split('\n')[0]}\n`);
    if (process.env.OPT_DEBUG && e instanceof Error) io.err(`${e.stack}\n`);
    return 1;
  }
}
