import type { Command } from 'commander';
import { type CommonOptions, type Io, report } from '../io';
import { betaParser, countParser, numList } from '../parse';
import { sgdLosses } from './quadratic';

interface Options extends CommonOptions {
  betas: number[];
  points: number;
  iters: number;
  momenta: number[];
}

/** `opt-demo momentum`: exponentially weighted averages, then SGD with momentum on y = 4x². */
export function register(program: Command, io: Io, common: (c: Command) => Command): void {
  common(
    program
      .command('momentum')
      .description(
        'EWA weights (1−β)βᵗ for several β, and SGD with momentum vs without on y = 4x² (tutorial 01)',
      )
      .option(
        '--betas <list>',
        'β values of the weighted average',
        numList(betaParser),
        [0.98, 0.95, 0.9, 0.8],
      )
      .option('--points <n>', 'time points of the weight curves', countParser, 100)
      .option('--iters <n>', 'SGD iterations', countParser, 100)
      .option(
        '--momenta <list>',
        'momentum values tried with lr 0.01 (lr 0.03 runs without)',
        numList(betaParser),
        [0.9, 0.63],
      ),
  ).action((o: Options) => {
    const t = Array.from({ length: o.points }, (_, i) => i);
    const ewa = o.betas.map((beta) => {
      const weights = t.map((k) => (1 - beta) * beta ** k);
      return { beta, memory: 1 / (1 - beta), sum: weights.reduce((a, b) => a + b, 0), weights };
    });
    const runs = [...o.momenta.map((m) => ({ lr: 0.01, momentum: m })), { lr: 0.03, momentum: 0 }].map(
      (r) => ({ ...r, losses: sgdLosses(r.lr, r.momentum, o.iters) }),
    );
    const lines = [
      'Exponentially weighted average vₜ = β·vₜ₋₁ + (1 − β)·θₜ: the weight of the value k steps back is (1 − β)·βᵏ.',
      ...ewa.map(
        (e) =>
          `  β = ${e.beta}: memory ≈ 1/(1 − β) = ${e.memory.toFixed(1)} steps; weight now ${(1 - e.beta).toFixed(3)}, ` +
          `sum of the first ${o.points} weights ${e.sum.toFixed(4)}`,
      ),
      '',
      'SGD on y = 4x² from x = 2 (PyTorch momentum: v ← μv + g, x ← x − lr·v):',
      ...runs.map((r) => {
        const last = r.losses[r.losses.length - 1]!;
        const firstBelow = r.losses.findIndex((l) => l < 1e-3);
        return `  LR: ${r.lr} M: ${r.momentum}  final loss ${last.toExponential(3)}, loss < 1e-3 from iteration ${firstBelow < 0 ? 'never' : firstBelow}`;
      }),
    ];
    report(io, o, { ewa, runs }, lines, [
      {
        title: 'Exponentially weighted average: weight (1−β)βᵗ',
        xLabel: 'time',
        yLabel: 'weight',
        series: ewa.map((e) => ({ label: `Beta: ${e.beta}`, y: e.weights })),
      },
      {
        title: 'SGD with momentum on y = 4x²',
        xLabel: 'Iterations',
        yLabel: 'Loss value',
        series: runs.map((r) => ({ label: `LR: ${r.lr} M:${r.momentum}`, y: r.losses })),
      },
    ]);
  });
}
