import * as S from '@opt/lr-scheduler';
import type { Command } from 'commander';
import { CliError } from '../errors';
import { cell } from '../format';
import { type CommonOptions, type Io, report } from '../io';
import { countParser, lrParser } from '../parse';

type Make = (o: S.OptimizerLike, extra: Record<string, unknown>) => S.Scheduler | S.ReduceLROnPlateau;

/** Every scheduler with the tutorials' settings; `extra` (from the command line) overrides them. */
const SPECS: Record<
  string,
  { settings: Record<string, unknown>; make: Make; metric?: (epoch: number) => number }
> = {
  StepLR: { settings: { stepSize: 50, gamma: 0.1 }, make: (o, x) => new S.StepLR(o, x as never) },
  MultiStepLR: {
    settings: { milestones: [50, 125, 160], gamma: 0.1 },
    make: (o, x) => new S.MultiStepLR(o, x as never),
  },
  ExponentialLR: { settings: { gamma: 0.95 }, make: (o, x) => new S.ExponentialLR(o, x as never) },
  CosineAnnealingLR: {
    settings: { tMax: 50, etaMin: 0 },
    make: (o, x) => new S.CosineAnnealingLR(o, x as never),
  },
  ReduceLROnPlateau: {
    settings: { mode: 'min', factor: 0.1, patience: 10, cooldown: 10, minLr: 1e-4 },
    make: (o, x) => new S.ReduceLROnPlateau(o, x as never),
    metric: () => 0.5, // the tutorial's constant loss: the lr drops every patience + cooldown epochs
  },
  LambdaLR: {
    settings: {},
    make: (o, x) => new S.LambdaLR(o, { lrLambda: (e: number) => 0.1 ** Math.floor(e / 20), ...x } as never),
  },
  MultiplicativeLR: {
    settings: {},
    make: (o, x) => new S.MultiplicativeLR(o, { lrLambda: () => 0.95, ...x } as never),
  },
  ConstantLR: {
    settings: { factor: 1 / 3, totalIters: 50 },
    make: (o, x) => new S.ConstantLR(o, x as never),
  },
  LinearLR: { settings: { startFactor: 0.1, totalIters: 50 }, make: (o, x) => new S.LinearLR(o, x as never) },
  PolynomialLR: {
    settings: { totalIters: 150, power: 2 },
    make: (o, x) => new S.PolynomialLR(o, x as never),
  },
  CosineAnnealingWarmRestarts: {
    settings: { t0: 20, tMult: 2 },
    make: (o, x) => new S.CosineAnnealingWarmRestarts(o, x as never),
  },
  CyclicLR: {
    settings: { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 25, mode: 'triangular2', cycleMomentum: false },
    make: (o, x) => new S.CyclicLR(o, x as never),
  },
  OneCycleLR: { settings: { maxLr: 0.1, totalSteps: 200 }, make: (o, x) => new S.OneCycleLR(o, x as never) },
  warmupCosine: {
    settings: { warmupSteps: 10, totalSteps: 200 },
    make: (o, x) => S.warmupCosine(o, x as never),
  },
};

interface Options extends CommonOptions {
  name?: string;
  each: boolean;
  epochs: number;
  lr: number;
}

/** Parses pass-through `--key value` pairs (kebab-case → camelCase; numbers, lists, booleans). */
function passThrough(args: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('--')) throw new CliError(`unexpected argument '${a}'`);
    const key = a.slice(2).replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
    const raw = args[i + 1];
    if (raw === undefined || raw.startsWith('--')) {
      out[key] = true;
      continue;
    }
    i++;
    out[key] = raw.includes(',')
      ? raw.split(',').map(Number)
      : raw === 'true' || raw === 'false'
        ? raw === 'true'
        : Number.isFinite(Number(raw))
          ? Number(raw)
          : raw;
  }
  return out;
}

/** `opt-demo schedulers`: the lr curve of every scheduler with the tutorials' settings. */
export function register(program: Command, io: Io, common: (c: Command) => Command): void {
  common(
    program
      .command('schedulers')
      .description(
        'the learning rate over 200 epochs for every scheduler of @opt/lr-scheduler (tutorial settings); extra --options are passed to the scheduler',
      )
      .option('--name <scheduler>', `one of: ${Object.keys(SPECS).join(', ')}`)
      .option('--each', 'one plot per scheduler (files get -1, -2, … before the extension)', false)
      .option('--epochs <n>', 'epochs', countParser, 200)
      .option('--lr <lr>', 'initial learning rate of the group', lrParser, 0.1)
      .allowUnknownOption(true)
      .allowExcessArguments(true),
  ).action((o: Options, cmd: Command) => {
    const extra = passThrough(cmd.args);
    if (o.name !== undefined && !(o.name in SPECS)) {
      throw new CliError(`unknown scheduler '${o.name}'; choose one of ${Object.keys(SPECS).join(', ')}`);
    }
    if (o.name === undefined && Object.keys(extra).length > 0) {
      throw new CliError('scheduler options need --name to say which scheduler they are for');
    }
    const names = o.name ? [o.name] : Object.keys(SPECS);
    const curves = names.map((name) => {
      const spec = SPECS[name]!;
      const settings = { ...spec.settings, ...extra };
      let lrs: number[];
      try {
        const seq = S.lrSequence((opt) => spec.make(opt, settings) as S.Scheduler, o.epochs, {
          lrs: [o.lr],
          momentum: 0.9,
          ...(spec.metric ? { metric: spec.metric } : {}),
        });
        lrs = seq.lrs.map((row) => row[0]!);
      } catch (e) {
        throw new CliError(`${name}: ${(e as Error).message}`);
      }
      return { name, settings, lrs };
    });
    const marks = [
      0,
      Math.floor(o.epochs / 4),
      Math.floor(o.epochs / 2),
      Math.floor((3 * o.epochs) / 4),
      o.epochs - 1,
    ];
    const lines = [
      `lr per epoch (initial lr ${o.lr}, ${o.epochs} epochs); columns are epochs ${marks.join(', ')}`,
      ...curves.map(
        (c) =>
          `  ${c.name.padEnd(28)} ${marks.map((m) => cell(c.lrs[m]!).padStart(10)).join(' ')}   ${JSON.stringify(c.settings)}`,
      ),
    ];
    const charts =
      o.name || o.each
        ? curves.map((c) => ({
            title: `${c.name} ${JSON.stringify(c.settings)}`,
            xLabel: 'Epoch',
            yLabel: 'Learning rate',
            series: [{ label: c.name, y: c.lrs }],
          }))
        : [
            {
              title: 'Every scheduler, tutorial settings',
              xLabel: 'Epoch',
              yLabel: 'Learning rate',
              series: curves.map((c) => ({ label: c.name, y: c.lrs })),
            },
          ];
    report(io, o, { epochs: o.epochs, lr: o.lr, schedulers: curves }, lines, charts);
  });
}
