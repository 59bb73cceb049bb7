import type { Command } from 'commander';
import { CliError } from '../errors';
import { type CommonOptions, type Io, report } from '../io';
import { countParser } from '../parse';
import { evaluate, makeRun, OPTIMIZERS, type OptimizerName, trainStep } from '../training';

interface Options extends CommonOptions {
  optimizers: string[];
  epochs: number;
  batchSize: number;
  trainSize?: number;
  testSize?: number;
}

/** The learning rate each optimizer gets by default (the usual starting points for each). */
const LR: Record<OptimizerName, number> = {
  sgd: 0.05,
  'sgd-momentum': 0.05,
  adam: 1e-3,
  adamw: 1e-3,
  rmsprop: 1e-3,
  adagrad: 0.01,
};

/** `opt-demo compare`: the same net and data, one optimizer after another, loss curves on one plot. */
export function register(program: Command, io: Io, common: (c: Command) => Command): void {
  common(
    program
      .command('compare')
      .description(
        'train the same LeNet with several optimizers for the same budget and compare their loss curves (tutorial 02)',
      )
      .option(
        '--optimizers <list>',
        `comma-separated, from ${OPTIMIZERS.join(', ')}`,
        (v: string) => v.split(','),
        [...OPTIMIZERS],
      )
      .option('--epochs <n>', 'epochs each', countParser, 1)
      .option('--batch-size <n>', 'batch size', countParser, 64)
      .option('--train-size <n>', 'use n training digits, spread evenly over the split', countParser, 2048)
      .option('--test-size <n>', 'use n test digits, spread evenly over the split', countParser),
  ).action((o: Options) => {
    for (const name of o.optimizers) {
      if (!(OPTIMIZERS as readonly string[]).includes(name)) {
        throw new CliError(`unknown optimizer '${name}'; choose from ${OPTIMIZERS.join(', ')}`);
      }
    }
    const results = (o.optimizers as OptimizerName[]).map((name) => {
      const run = makeRun({
        optimizer: name,
        lr: LR[name],
        momentum: name === 'sgd-momentum' ? 0.9 : 0,
        weightDecay: 0,
        scheduler: 'none',
        warmup: 0,
        batchSize: o.batchSize,
        epochs: o.epochs,
        dropout: 0,
        augment: false,
        trainSize: o.trainSize,
        testSize: o.testSize,
        seed: o.seed,
      });
      const losses: number[] = [];
      const t0 = performance.now();
      for (let e = 0; e < o.epochs; e++)
        for (const [x, y] of run.train) losses.push(trainStep(run, x, y).loss);
      const seconds = (performance.now() - t0) / 1000;
      const testAccuracy = evaluate(run);
      return { optimizer: name, lr: LR[name], losses, smoothed: smooth(losses), testAccuracy, seconds };
    });
    const lines = [
      `same LeNet, same ${o.trainSize ?? 7996} digits, ${o.epochs} epoch(s), batch ${o.batchSize}, seed ${o.seed}:`,
      ...results.map(
        (r) =>
          `  ${r.optimizer.padEnd(13)} lr ${String(r.lr).padEnd(6)} final loss (smoothed) ${r.smoothed[r.smoothed.length - 1]!.toFixed(4)}  ` +
          `test acc ${(100 * r.testAccuracy).toFixed(2)}%  ${r.seconds.toFixed(1)} s`,
      ),
    ];
    report(io, o, { results }, lines, [
      {
        title: 'Optimizers compared: training loss (smoothed)',
        xLabel: 'Step',
        yLabel: 'Loss',
        series: results.map((r) => ({ label: r.optimizer, y: r.smoothed })),
      },
    ]);
  });
}

/** Exponential moving average with bias correction (β = 0.9). */
export function smooth(values: readonly number[], beta = 0.9): number[] {
  let avg = 0;
  return values.map((v, i) => {
    avg = beta * avg + (1 - beta) * v;
    return avg / (1 - beta ** (i + 1));
  });
}
