/**
 * One small conv-net training run on real MNIST digits, written the way a
 * user writes it: a seeded shuffling loader with random-crop augmentation,
 * dropout, SGD with momentum over two parameter groups, a StepLR schedule.
 *
 *   node --conditions=@opt/source --import tsx src/training-run.ts <out.json> [--stop-after K --save PATH] [--resume PATH]
 *
 * It trains for `EPOCHS` epochs of `BATCHES` batches and writes the final
 * parameters and optimizer state as hex bytes to `<out.json>`. With
 * `--stop-after K --save PATH` it saves its whole training state after step
 * K and exits at once (a stopped process); with `--resume PATH` it restores
 * that state and continues to the end.
 */
import { writeFileSync } from 'node:fs';
import { Variable } from '@opt/autograd';
import { loadTrainingState, saveTrainingState } from '@opt/checkpoint';
import { Compose, DataLoader, Dataset, MnistDigits, Normalize, RandomCrop } from '@opt/data';
import { StepLR } from '@opt/lr-scheduler';
import {
  Conv2d,
  CrossEntropyLoss,
  Dropout,
  Flatten,
  Linear,
  MaxPool2d,
  Module,
  ReLU,
  Sequential,
} from '@opt/nn';
import { SGD } from '@opt/optim';
import { Generator, type Tensor } from '@opt/tensor';
import { BATCH_SIZE, BATCHES, EPOCHS } from './settings';

class Net extends Module {
  features: Sequential;
  classifier: Sequential;
  constructor(g: Generator, dropout: Generator) {
    super();
    this.features = new Sequential(
      new Conv2d(1, 4, 5, { generator: g }),
      new ReLU(),
      new MaxPool2d(2),
      new Conv2d(4, 8, 5, { generator: g }),
      new ReLU(),
      new MaxPool2d(2),
    );
    this.classifier = new Sequential(
      new Flatten(),
      new Dropout(0.25, { generator: dropout }),
      new Linear(8 * 4 * 4, 10, { generator: g }),
    );
  }
  override forward(x: Variable): Variable {
    return this.classifier.forward(this.features.forward(x));
  }
}

/** The first `n` samples of a dataset. */
class Head<T> extends Dataset<T> {
  constructor(
    private readonly inner: Dataset<T>,
    readonly length: number,
  ) {
    super();
  }
  get(index: number): T {
    return this.inner.get(index);
  }
}

function hex(t: Tensor): string {
  const a = t.toTypedArray();
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex');
}

async function main(): Promise<void> {
  const [out, ...rest] = process.argv.slice(2);
  const flag = (name: string) => {
    const i = rest.indexOf(name);
    return i < 0 ? undefined : rest[i + 1];
  };
  const stopAfter = flag('--stop-after');
  const savePath = flag('--save');
  const resumePath = flag('--resume');

  const generators = {
    init: new Generator(1),
    dropout: new Generator(2),
    shuffle: new Generator(3),
    augment: new Generator(4),
  };
  const net = new Net(generators.init, generators.dropout);
  const transform = new Compose([
    new RandomCrop(28, { padding: 2, generator: generators.augment }),
    new Normalize([0.1307], [0.3081]),
  ]);
  const train = new Head(new MnistDigits({ train: true, transform }), BATCHES * BATCH_SIZE);
  const loader = new DataLoader(train, {
    batchSize: BATCH_SIZE,
    shuffle: true,
    generator: generators.shuffle,
  });
  const optimizer = new SGD(
    [{ params: net.features.parameters() }, { params: net.classifier.parameters(), lr: 0.05 }],
    { lr: 0.02, momentum: 0.9, weightDecay: 1e-4 },
  );
  const scheduler = new StepLR(optimizer, { stepSize: 1, gamma: 0.5 });
  const lossFn = new CrossEntropyLoss();

  let step = 0;
  let epoch = 0;
  if (resumePath) {
    const saved = await loadTrainingState(resumePath, {
      model: net,
      optimizer,
      scheduler,
      generators,
      loader,
    });
    step = saved.step as number;
    epoch = saved.epoch as number;
  }
  net.train();
  for (; epoch < EPOCHS; epoch++) {
    for (const [images, labels] of loader) {
      optimizer.zeroGrad();
      lossFn.forward(net.forward(new Variable(images)), labels).backward();
      optimizer.step();
      step++;
      if (stopAfter !== undefined && step === Number(stopAfter)) {
        await saveTrainingState(savePath!, {
          model: net,
          optimizer,
          scheduler,
          generators,
          loader,
          epoch,
          step,
        });
        writeFileSync(out!, JSON.stringify({ step, stopped: true }));
        return;
      }
    }
    scheduler.step();
  }
  const params = Object.fromEntries(net.namedParameters().map(([name, p]) => [name, hex(p.data)]));
  const state = optimizer.stateDict() as unknown as { state: Record<string, { momentum_buffer: Tensor }> };
  const momentum = Object.values(state.state).map((s) => hex(s.momentum_buffer));
  writeFileSync(out!, JSON.stringify({ step, lrs: scheduler.getLastLr(), params, momentum }));
}

await main();
