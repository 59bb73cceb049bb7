/**
 * Trains a LeNet-style network on the 7,996 MNIST training digits of
 * `@opt/data` and reports test accuracy on the 2,004 held-out digits.
 *
 *   pnpm --filter @opt/nn bench:mnist            # 8 epochs
 *   EPOCHS=3 pnpm --filter @opt/nn bench:mnist   # fewer
 *
 * The optimizer is a tiny SGD-with-momentum loop written inline (nn must not
 * depend on @opt/optim), with a cosine learning-rate schedule. Training data
 * is augmented with a seeded RandomCrop(28, padding 2). Everything random is
 * drawn from seeded generators, so runs are reproducible.
 *
 * The same recipe in PyTorch 1.13 (same split, same schedule) reaches
 * 97.5–97.8% test accuracy over three seeds after 8 epochs.
 */
import { noGrad, Variable } from '@opt/autograd';
import { Compose, DataLoader, MnistDigits, Normalize, RandomCrop } from '@opt/data';
import { Generator, type Tensor } from '@opt/tensor';
import { Conv2d, CrossEntropyLoss, Flatten, Linear, MaxPool2d, Module, ReLU, Sequential } from '../src/index';

const EPOCHS = Number(process.env.EPOCHS ?? 8);
const BATCH = 64;
const LR = 0.05;
const MOMENTUM = 0.9;
const SEED = Number(process.env.SEED ?? 0);

class LeNet extends Module {
  features = new Sequential(
    new Conv2d(1, 6, 5, { generator: gen(SEED) }),
    new ReLU(),
    new MaxPool2d(2, { stride: 2 }),
    new Conv2d(6, 16, 5, { generator: gen(SEED + 1) }),
    new ReLU(),
    new MaxPool2d(2, { stride: 2 }),
  );
  classifier = new Sequential(
    new Flatten(),
    new Linear(16 * 4 * 4, 120, { generator: gen(SEED + 2) }),
    new ReLU(),
    new Linear(120, 84, { generator: gen(SEED + 3) }),
    new ReLU(),
    new Linear(84, 10, { generator: gen(SEED + 4) }),
  );
  override forward(x: Variable): Variable {
    return this.classifier.forward(this.features.forward(x));
  }
}

function gen(seed: number): Generator {
  return new Generator().manualSeed(seed);
}

const normalize = new Normalize([0.1307], [0.3081]);
const train = new MnistDigits({
  train: true,
  transform: new Compose([new RandomCrop(28, { padding: 2, generator: gen(SEED + 10) }), normalize]),
});
const test = new MnistDigits({ train: false, transform: normalize });
const trainLoader = new DataLoader<[Tensor, number], [Tensor, Tensor]>(train, {
  batchSize: BATCH,
  shuffle: true,
  generator: gen(SEED + 20),
});
const testLoader = new DataLoader<[Tensor, number], [Tensor, Tensor]>(test, { batchSize: 500 });

const net = new LeNet();
const lossFn = new CrossEntropyLoss();
const params = net.parameters();
const velocity = params.map(() => null as Tensor | null);
const totalSteps = EPOCHS * trainLoader.length;
let step = 0;

function evaluate(): number {
  net.eval();
  let correct = 0;
  let seen = 0;
  noGrad(() => {
    for (const [x, y] of testLoader) {
      const logits = net.forward(new Variable(x)).data;
      const pred = logits.argmax(1).toTypedArray() as Int32Array;
      const labels = y.toTypedArray() as Int32Array;
      for (let i = 0; i < labels.length; i++) if (pred[i] === labels[i]) correct++;
      seen += labels.length;
    }
  });
  net.train();
  return correct / seen;
}

console.log(
  `LeNet on MNIST digits: ${train.length} train / ${test.length} test, ${EPOCHS} epochs, batch ${BATCH}`,
);
console.log(net.toString());
const t0 = performance.now();
for (let epoch = 0; epoch < EPOCHS; epoch++) {
  const te = performance.now();
  let lossSum = 0;
  let batches = 0;
  for (const [x, y] of trainLoader) {
    const lr = 0.5 * LR * (1 + Math.cos((Math.PI * step) / totalSteps));
    step++;
    net.zeroGrad();
    const loss = lossFn.forward(net.forward(new Variable(x)), y);
    loss.backward();
    params.forEach((p, i) => {
      const g = p.grad!;
      const v = velocity[i] === null ? g.clone() : velocity[i]!.mul_(MOMENTUM).add_(g);
      velocity[i] = v;
      p.data.sub_(v.mul(lr));
    });
    lossSum += loss.item();
    batches++;
  }
  const acc = evaluate();
  console.log(
    `epoch ${epoch + 1}: train loss ${(lossSum / batches).toFixed(4)}, test accuracy ${(100 * acc).toFixed(2)}%, ${((performance.now() - te) / 1000).toFixed(1)} s`,
  );
}
const acc = evaluate();
console.log(
  `final test accuracy ${(100 * acc).toFixed(2)}% after ${EPOCHS} epochs in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);
