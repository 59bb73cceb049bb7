import type { Command } from 'commander';
import { CliError } from '../errors';
import { type CommonOptions, type Io, report } from '../io';
import { countParser, lrParser } from '../parse';
import { descend } from './quadratic';

interface Options extends CommonOptions {
  min: number;
  max: number;
  count: number;
  iters: number;
}

/** `opt-demo lr-sweep`: evenly spaced learning rates, all loss curves on one plot. */
export function register(program: Command, io: Io, common: (c: Command) => Command): void {
  common(
    program
      .command('lr-sweep')
      .description(
        'loss curves on y = 4x² for evenly spaced learning rates (tutorial 01, np.linspace(0.01, 0.2, 10))',
      )
      .option('--min <lr>', 'smallest learning rate', lrParser, 0.01)
      .option('--max <lr>', 'largest learning rate', lrParser, 0.2)
      .option('--count <n>', 'number of learning rates', countParser, 10)
      .option('--iters <n>', 'iterations each', countParser, 100),
  ).action((o: Options) => {
    if (o.max < o.min) throw new CliError(`--max (${o.max}) must be at least --min (${o.min})`);
    const lrs = Array.from({ length: o.count }, (_, i) =>
      o.count === 1 ? o.min : o.min + ((o.max - o.min) * i) / (o.count - 1),
    );
    const runs = lrs.map((lr) => ({ lr, losses: descend(lr, o.iters).map((i) => i.loss) }));
    const lines = runs.map(
      (r) => `LR: ${r.lr.toFixed(4)}  final loss ${r.losses[r.losses.length - 1]!.toExponential(3)}`,
    );
    report(io, o, { runs }, lines, [
      {
        title: 'Learning-rate sweep on y = 4x²',
        xLabel: 'Iterations',
        yLabel: 'Loss value',
        yMax: 32,
        series: runs.map((r) => ({ label: `LR: ${r.lr.toFixed(4)}`, y: r.losses })),
      },
    ]);
  });
}
