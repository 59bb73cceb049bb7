import { Variable } from '@opt/autograd';
import { CrossEntropyLoss, Linear, type Module, ReLU, Sequential } from '@opt/nn';
import { Adam, AdamW, SGD } from '@opt/optim';
import { manualSeed, randint, randn, zeros } from '@opt/tensor';
import { LeNet } from './lenet.mjs';

export { LeNet };

/** A 784-256-128-10 ReLU MLP. */
export function mlp(): Sequential {
  return new Sequential(
    new Linear(784, 256),
    new ReLU(),
    new Linear(256, 128),
    new ReLU(),
    new Linear(128, 10),
  );
}

/** One training step closure: zeroGrad, forward, cross-entropy, backward, step. */
function stepOf(
  model: Module,
  optimizer: { zeroGrad(): void; step(): unknown },
  x: Variable,
  y: ReturnType<typeof randint>,
) {
  const loss = new CrossEntropyLoss();
  return () => {
    optimizer.zeroGrad();
    loss.forward(model.forward(x), y).backward();
    optimizer.step();
  };
}

/** The LeNet step of the benchmark: batch 64, SGD momentum 0.9, two parameter groups. */
export function lenetStep(batch = 64): () => void {
  manualSeed(0);
  const net = new LeNet();
  const optimizer = new SGD(
    [{ params: net.features.parameters() }, { params: net.classifier.parameters(), lr: 1e-2 }],
    { lr: 1e-3, momentum: 0.9 },
  );
  return stepOf(
    net,
    optimizer,
    new Variable(randn([batch, 3, 32, 32])),
    randint(0, 10, [batch], { dtype: 'int32' }),
  );
}

/** The MLP step of the benchmark: batch 128, Adam. */
export function mlpStep(batch = 128): () => void {
  manualSeed(0);
  const net = mlp();
  const optimizer = new Adam(net.parameters(), { lr: 1e-3 });
  return stepOf(
    net,
    optimizer,
    new Variable(randn([batch, 784])),
    randint(0, 10, [batch], { dtype: 'int32' }),
  );
}

/**
 * Where {@link optimizerStep} keeps its tensors: all in ordinary memory (the update is staged
 * through the kernels' memory); parameters pinned and gradients ordinary, as autograd leaves them
 * (updated in place, the gradients copied in chunks); or parameters and gradients pinned (updated
 * in place with no copy: pinned gradients set once and zeroed in place).
 */
export const OPTIMIZER_STORAGES = ['ordinary', 'pinned params', 'pinned params and grads'] as const;

/**
 * An optimizer step alone over `4 × 2^20` float32 parameters with fixed random gradients, in one of
 * the {@link OPTIMIZER_STORAGES}.
 */
export function optimizerStep(
  kind: 'sgd' | 'adam' | 'adamw',
  storage: (typeof OPTIMIZER_STORAGES)[number] = 'ordinary',
): { step: () => void; numel: number } {
  const n = 1 << 20;
  const pinData = storage !== 'ordinary';
  const pinGrad = storage === 'pinned params and grads';
  const params = [0, 1, 2, 3].map(() => ({
    data: zeros([n], { pinMemory: pinData }),
    grad: pinGrad ? randn([n]).pinMemory() : randn([n]),
  }));
  const optimizer =
    kind === 'sgd'
      ? new SGD(params, { lr: 1e-3, momentum: 0.9 })
      : kind === 'adam'
        ? new Adam(params, { lr: 1e-3 })
        : new AdamW(params, { lr: 1e-3 });
  return { step: () => optimizer.step(), numel: 4 * n };
}
