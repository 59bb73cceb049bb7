import { SGD } from '@opt/optim';
import { manualSeed } from '@opt/tensor';
import type { Command } from 'commander';
import { pyFloat } from '../format';
import { type CommonOptions, type Io, report } from '../io';
import { Net } from '../models';
import { lrParser } from '../parse';

interface Options extends CommonOptions {
  featuresLr: number;
  classifierLr: number;
  factor: number;
}

/** `opt-demo param-groups`: one learning rate for `features`, another for `classifier` (tutorial 03). */
export function register(program: Command, io: Io, common: (c: Command) => Command): void {
  common(
    program
      .command('param-groups')
      .description(
        "the article's Net with features at lr 1e-5 and classifier at 1e-2, printed like PyTorch, then every lr × 0.1",
      )
      .option('--features-lr <lr>', 'learning rate of net.features', lrParser, 1e-5)
      .option('--classifier-lr <lr>', 'learning rate of net.classifier', lrParser, 1e-2)
      .option('--factor <f>', 'multiplier applied to every group afterwards', lrParser, 0.1),
  ).action((o: Options) => {
    manualSeed(o.seed);
    const net = new Net();
    const optimizer = new SGD(
      [{ params: net.features.parameters() }, { params: net.classifier.parameters(), lr: o.classifierLr }],
      { lr: o.featuresLr },
    );
    const printed = String(optimizer);
    const before = optimizer.paramGroups.map((g) => g.lr);
    for (const g of optimizer.paramGroups) g.lr *= o.factor;
    const after = optimizer.paramGroups.map((g) => g.lr);
    const lines = [
      String(net),
      '',
      'new SGD([{ params: net.features.parameters() }, { params: net.classifier.parameters(), lr: 1e-2 }], { lr: 1e-5 }):',
      printed,
      '',
      `for (const g of optimizer.paramGroups) g.lr *= ${o.factor};`,
      ...after.map((lr, i) => `  group ${i}: ${pyFloat(before[i]!)} → ${pyFloat(lr)}`),
    ];
    report(
      io,
      o,
      {
        net: String(net),
        printed,
        groups: optimizer.paramGroups.map((g, i) => ({
          params: g.params.length,
          lrBefore: before[i],
          lrAfter: after[i],
        })),
      },
      lines,
      [],
    );
  });
}
