import type { Command } from 'commander';
import { Option } from 'commander';
import { CliError } from '../errors';
import { type CommonOptions, type Io, report } from '../io';
import { countParser, lrParser } from '../parse';
import { makeRun, OPTIMIZERS, type OptimizerName, trainStep } from '../training';

interface Options extends CommonOptions {
  optimizer: OptimizerName;
  start: number;
  end: number;
  steps: number;
  batchSize: number;
  trainSize?: number;
}

/**
 * `opt-demo find-lr`: the learning-rate range test. The lr grows exponentially
 * from `start` to `end` over one pass; the loss is smoothed (EMA with bias
 * correction) and the run stops once it exceeds 4× its best. The suggestion is
 * the lr where the smoothed loss falls fastest.
 */
export function register(program: Command, io: Io, common: (c: Command) => Command): void {
  common(
    program
      .command('find-lr')
      .description(
        'learning-rate range test: exponentially increasing lr over one pass, smoothed loss, suggested lr',
      )
      .addOption(new Option('--optimizer <name>', 'optimizer').choices(OPTIMIZERS).default('sgd-momentum'))
      .option('--start <lr>', 'first learning rate', lrParser, 1e-5)
      .option('--end <lr>', 'last learning rate', lrParser, 1)
      .option('--steps <n>', 'number of batches (and learning rates)', countParser, 100)
      .option('--batch-size <n>', 'batch size', countParser, 64)
      .option('--train-size <n>', 'use n training digits, spread evenly over the split', countParser),
  ).action((o: Options) => {
    if (o.end <= o.start) throw new CliError(`--end (${o.end}) must be greater than --start (${o.start})`);
    const run = makeRun({
      optimizer: o.optimizer,
      lr: o.start,
      momentum: 0.9,
      weightDecay: 0,
      scheduler: 'none',
      warmup: 0,
      batchSize: o.batchSize,
      epochs: 1,
      dropout: 0,
      augment: false,
      trainSize: o.trainSize,
      seed: o.seed,
    });
    const ratio = (o.end / o.start) ** (1 / Math.max(1, o.steps - 1));
    const lrs: number[] = [];
    const smoothed: number[] = [];
    const raw: number[] = [];
    let avg = 0;
    let best = Number.POSITIVE_INFINITY;
    let step = 0;
    outer: for (;;) {
      for (const [x, y] of run.train) {
        const lr = o.start * ratio ** step;
        for (const g of run.optimizer.paramGroups) g.lr = lr;
        const loss = trainStep(run, x, y).loss;
        avg = 0.98 * avg + 0.02 * loss;
        const s = avg / (1 - 0.98 ** (step + 1));
        lrs.push(lr);
        raw.push(loss);
        smoothed.push(s);
        best = Math.min(best, s);
        step++;
        if (step >= o.steps || !Number.isFinite(s) || s > 4 * best) break outer;
      }
    }
    // steepest descent of the smoothed loss against log lr, ignoring the noisy first 10%
    let at = -1;
    let steepest = 0;
    for (let i = Math.max(1, Math.floor(lrs.length / 10)); i < lrs.length; i++) {
      const slope = (smoothed[i]! - smoothed[i - 1]!) / Math.log(lrs[i]! / lrs[i - 1]!);
      if (slope < steepest) {
        steepest = slope;
        at = i;
      }
    }
    const suggestion = at >= 0 ? lrs[at]! : null;
    const stoppedEarly = lrs.length < o.steps;
    const lines = [
      `lr range test with ${o.optimizer}: ${lrs.length} batches, lr from ${o.start} to ${lrs[lrs.length - 1]!.toExponential(2)}` +
        (stoppedEarly ? ' (stopped: the loss exceeded 4× its best)' : ''),
      suggestion === null
        ? 'no suggestion: the loss never fell'
        : `suggested lr: ${suggestion.toExponential(2)} (steepest fall of the smoothed loss)`,
      `lowest smoothed loss ${best.toFixed(4)}`,
    ];
    report(io, o, { lrs, loss: raw, smoothed, suggestion, stoppedEarly }, lines, [
      {
        title: `LR range test (${o.optimizer})`,
        xLabel: 'learning rate (log scale)',
        yLabel: 'smoothed loss',
        logX: true,
        series: [{ label: 'smoothed loss', x: lrs, y: smoothed }],
      },
    ]);
  });
}
