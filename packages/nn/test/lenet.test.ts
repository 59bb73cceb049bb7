import { Variable } from '@opt/autograd';
import type { Tensor } from '@opt/tensor';
import { describe, expect, it } from 'vitest';
import { Conv2d, CrossEntropyLoss, Linear, MaxPool2d, Module, ReLU, Sequential } from '../src/index';
import { expectClose, fixture, type TJson, toTensor } from './helpers';

/** The tutorial's LeNet (tutorial 03), written with class fields. */
class LeNet extends Module {
  features = new Sequential(
    new Conv2d(3, 6, 5),
    new ReLU(),
    new MaxPool2d(2, { stride: 2 }),
    new Conv2d(6, 16, 5),
    new ReLU(),
    new MaxPool2d(2, { stride: 2 }),
  );
  classifier = new Sequential(
    new Linear(16 * 5 * 5, 120),
    new ReLU(),
    new Linear(120, 84),
    new ReLU(),
    new Linear(84, 10),
  );
  override forward(x: Variable): Variable {
    const f = this.features.forward(x);
    return this.classifier.forward(f.view(f.shape[0]!, -1));
  }
}

const fx = fixture<{
  repr: string;
  stateDict: Record<string, TJson>;
  input: TJson;
  target: TJson;
  logits: TJson;
  loss: number;
  grads: Record<string, TJson>;
}>('lenet.json');

describe("the tutorial's LeNet with PyTorch's weights", () => {
  it("gives PyTorch's logits, cross-entropy loss and every parameter gradient (1e-4 relative)", () => {
    const net = new LeNet();
    const sd: Record<string, Tensor> = {};
    for (const [k, v] of Object.entries(fx.stateDict)) sd[k] = toTensor(v);
    net.loadStateDict(sd);
    const x = new Variable(toTensor(fx.input));
    const logits = net.forward(x);
    expectClose(logits.data, fx.logits, 1e-4, 1e-5, 'logits');
    const loss = new CrossEntropyLoss().forward(logits, toTensor(fx.target, 'int32'));
    expect(Math.abs(loss.item() - fx.loss) / fx.loss).toBeLessThan(1e-4);
    loss.backward();
    const named = net.namedParameters();
    expect(named.map(([n]) => n)).toEqual(Object.keys(fx.grads));
    for (const [name, p] of named) {
      // relative to the gradient's scale: atol is 1e-4 of its largest entry
      const g = fx.grads[name]!;
      const scale = Math.max(...g.data.map(Math.abs));
      expectClose(p.grad!, g, 1e-4, 1e-4 * scale, `grad ${name}`);
    }
  });
});
