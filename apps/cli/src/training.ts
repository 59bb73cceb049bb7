import { noGrad, Variable } from '@opt/autograd';
import { Compose, DataLoader, Dataset, MnistDigits, Normalize, RandomCrop, type Transform } from '@opt/data';
import * as S from '@opt/lr-scheduler';
import { CrossEntropyLoss } from '@opt/nn';
import { Adagrad, Adam, AdamW, type Optimizer, type ParamLike, RMSprop, SGD } from '@opt/optim';
import { Generator, type Tensor } from '@opt/tensor';
import { CliError } from './errors';
import { MnistLeNet } from './models';

/** The optimizers `train`, `compare` and `find-lr` can use. */
export const OPTIMIZERS = ['sgd', 'sgd-momentum', 'adam', 'adamw', 'rmsprop', 'adagrad'] as const;
/** One of {@link OPTIMIZERS}. */
export type OptimizerName = (typeof OPTIMIZERS)[number];
/** The schedulers `train` can use. */
export const SCHEDULERS = ['none', 'step', 'cosine', 'onecycle'] as const;

/** Everything that defines a training run. */
export interface RunConfig {
  optimizer: OptimizerName;
  lr: number;
  momentum: number;
  weightDecay: number;
  featuresLr?: number;
  classifierLr?: number;
  scheduler: (typeof SCHEDULERS)[number];
  warmup: number;
  batchSize: number;
  epochs: number;
  dropout: number;
  augment: boolean;
  trainSize?: number;
  testSize?: number;
  seed: number;
}

/**
 * `length` samples spread evenly over a dataset (index i ↦ ⌊i·N/length⌋). The
 * MNIST split is ordered by digit, so a prefix would hold one class only.
 */
class Spread<T> extends Dataset<T> {
  constructor(
    private readonly inner: Dataset<T>,
    readonly length: number,
  ) {
    super();
  }
  get(index: number): T {
    return this.inner.get(Math.floor((index * this.inner.length) / this.length));
  }
}

/** Builds an optimizer by name over `groups`. */
export function makeOptimizer(
  name: string,
  groups: { params: ParamLike[]; lr?: number }[],
  c: Pick<RunConfig, 'lr' | 'momentum' | 'weightDecay'>,
): Optimizer<{ lr: number }> {
  const base = { lr: c.lr, weightDecay: c.weightDecay };
  switch (name) {
    case 'sgd':
      return new SGD(groups, base) as unknown as Optimizer<{ lr: number }>;
    case 'sgd-momentum':
      return new SGD(groups, { ...base, momentum: c.momentum || 0.9 }) as unknown as Optimizer<{
        lr: number;
      }>;
    case 'adam':
      return new Adam(groups, base) as unknown as Optimizer<{ lr: number }>;
    case 'adamw':
      return new AdamW(groups, { lr: c.lr, weightDecay: c.weightDecay || 1e-2 }) as unknown as Optimizer<{
        lr: number;
      }>;
    case 'rmsprop':
      return new RMSprop(groups, { ...base, momentum: c.momentum }) as unknown as Optimizer<{ lr: number }>;
    case 'adagrad':
      return new Adagrad(groups, base) as unknown as Optimizer<{ lr: number }>;
    default:
      throw new CliError(`unknown optimizer '${name}'; choose one of ${OPTIMIZERS.join(', ')}`);
  }
}

/** The live objects of one run: model, optimizer, scheduler, loaders and every generator. */
export interface Run {
  net: MnistLeNet;
  optimizer: Optimizer<{ lr: number }>;
  scheduler: S.Scheduler | null;
  /** Whether the scheduler steps per batch (OneCycleLR) instead of per epoch. */
  perBatch: boolean;
  train: DataLoader<[Tensor, number], [Tensor, Tensor]>;
  test: DataLoader<[Tensor, number], [Tensor, Tensor]>;
  generators: Record<string, Generator>;
  lossFn: CrossEntropyLoss;
}

/** Sets up a run from its configuration (same config and seed → same run). */
export function makeRun(c: RunConfig): Run {
  const generators = {
    init: new Generator(c.seed),
    shuffle: new Generator(c.seed + 1),
    augment: new Generator(c.seed + 2),
  };
  const net = new MnistLeNet(c.dropout, generators.init);
  const normalize = new Normalize([0.1307], [0.3081]);
  const trainTransform: Transform = c.augment
    ? new Compose([new RandomCrop(28, { padding: 2, generator: generators.augment }), normalize])
    : normalize;
  let trainSet: Dataset<[Tensor, number]> = new MnistDigits({ train: true, transform: trainTransform });
  let testSet: Dataset<[Tensor, number]> = new MnistDigits({ train: false, transform: normalize });
  if (c.trainSize !== undefined) trainSet = new Spread(trainSet, Math.min(c.trainSize, trainSet.length));
  if (c.testSize !== undefined) testSet = new Spread(testSet, Math.min(c.testSize, testSet.length));
  const train = new DataLoader<[Tensor, number], [Tensor, Tensor]>(trainSet, {
    batchSize: c.batchSize,
    shuffle: true,
    generator: generators.shuffle,
  });
  const test = new DataLoader<[Tensor, number], [Tensor, Tensor]>(testSet, { batchSize: 500 });
  const groups =
    c.featuresLr !== undefined || c.classifierLr !== undefined
      ? [
          { params: net.features.parameters(), lr: c.featuresLr ?? c.lr },
          { params: net.classifier.parameters(), lr: c.classifierLr ?? c.lr },
        ]
      : [{ params: net.parameters() }];
  const optimizer = makeOptimizer(c.optimizer, groups, c);
  let scheduler: S.Scheduler | null = null;
  let perBatch = false;
  const afterWarmup = Math.max(1, c.epochs - c.warmup);
  if (c.scheduler === 'step')
    scheduler = new S.StepLR(optimizer, { stepSize: Math.max(1, Math.ceil(afterWarmup / 3)), gamma: 0.1 });
  else if (c.scheduler === 'cosine') scheduler = new S.CosineAnnealingLR(optimizer, { tMax: afterWarmup });
  else if (c.scheduler === 'onecycle') {
    scheduler = new S.OneCycleLR(optimizer, {
      maxLr: optimizer.paramGroups.map((g) => g.lr as number),
      totalSteps: c.epochs * train.length,
      cycleMomentum: false,
    });
    perBatch = true;
  }
  if (c.warmup > 0) {
    if (perBatch)
      throw new CliError('--warmup cannot be combined with --scheduler onecycle (it has its own warmup)');
    scheduler = S.warmup(
      optimizer,
      (scheduler ?? new S.LambdaLR(optimizer, { lrLambda: () => 1 })) as S.LRScheduler,
      {
        warmupSteps: c.warmup,
      },
    );
  }
  return { net, optimizer, scheduler, perBatch, train, test, generators, lossFn: new CrossEntropyLoss() };
}

/** Test accuracy of the net (eval mode, no graph). */
export function evaluate(run: Run): number {
  run.net.eval();
  let correct = 0;
  let seen = 0;
  noGrad(() => {
    for (const [x, y] of run.test) {
      const pred = run.net.forward(new Variable(x)).data.argmax(1).toTypedArray();
      const labels = y.toTypedArray();
      for (let i = 0; i < labels.length; i++) if (pred[i] === labels[i]) correct++;
      seen += labels.length;
    }
  });
  run.net.train();
  return seen === 0 ? 0 : correct / seen;
}

/** One optimisation step on a batch; returns the loss and the batch accuracy. */
export function trainStep(run: Run, x: Tensor, y: Tensor): { loss: number; correct: number } {
  run.optimizer.zeroGrad();
  const logits = run.net.forward(new Variable(x));
  const loss = run.lossFn.forward(logits, y);
  loss.backward();
  run.optimizer.step();
  if (run.perBatch) (run.scheduler as S.Scheduler).step();
  const pred = logits.data.argmax(1).toTypedArray();
  const labels = y.toTypedArray();
  let correct = 0;
  for (let i = 0; i < labels.length; i++) if (pred[i] === labels[i]) correct++;
  return { loss: loss.item(), correct };
}
