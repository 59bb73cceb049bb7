import type { Command } from 'commander';
import { type CommonOptions, type Io, report } from '../io';
import { countParser, lrParser, numList } from '../parse';
import { contraction, descend } from './quadratic';

interface Options extends CommonOptions {
  lrs: number[];
  iters: number;
  x0: number;
}

/** `opt-demo lr`: the learning rate's effect on gradient descent over y = 4x². */
export function register(program: Command, io: Io, common: (c: Command) => Command): void {
  common(
    program
      .command('lr')
      .description('gradient descent on y = 4x² from x = 2 for several learning rates (tutorial 01)')
      .option('--lrs <list>', 'comma-separated learning rates', numList(lrParser), [0.5, 0.2, 0.125, 0.1])
      .option('--iters <n>', 'iterations per learning rate', countParser, 10)
      .option('--x0 <x>', 'starting point', Number, 2),
  ).action((o: Options) => {
    const runs = o.lrs.map((lr) => {
      const iterates = descend(lr, o.iters, o.x0);
      const factor = contraction(lr);
      const verdict =
        factor > 1
          ? 'diverges'
          : factor === 1
            ? 'oscillates'
            : factor === 0
              ? 'reaches 0 in one step'
              : 'converges';
      return { lr, factor, verdict, iterates };
    });
    const lines: string[] = [];
    for (const r of runs) {
      lines.push(
        `lr = ${r.lr}: x ← x − lr·8x = x·(1 − 8·lr), |1 − 8·lr| = ${r.factor.toPrecision(4)} → ${r.verdict}`,
      );
      for (const it of r.iterates)
        lines.push(`  Iter:${it.iter}, X:${fmt(it.x)}, X.grad:${fmt(it.grad)}, loss:${fmt(it.loss)}`);
    }
    const cap = 4 * o.x0 * o.x0 * 2;
    report(io, o, { function: 'y = 4x^2', x0: o.x0, runs }, lines, [
      {
        title: 'Gradient descent on y = 4x²',
        xLabel: 'Iteration',
        yLabel: 'Loss value',
        yMax: cap,
        series: runs.map((r) => ({ label: `lr ${r.lr} (${r.verdict})`, y: r.iterates.map((i) => i.loss) })),
      },
    ]);
  });
}

function fmt(v: number): string {
  return Number.isFinite(v) ? String(Number(v.toPrecision(8))).padStart(8) : String(v);
}
