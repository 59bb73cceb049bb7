import type { Variable } from '@opt/autograd';
import { Conv2d, Dropout, Flatten, Identity, Linear, MaxPool2d, Module, ReLU, Sequential } from '@opt/nn';
import type { Generator } from '@opt/tensor';

/** The article's Net (tutorial 03): LeNet for 3×32×32 images, with `features` and `classifier`. */
export class Net extends Module {
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
    return this.classifier.forward(this.features.forward(x).view(x.shape[0]!, -1));
  }
}

/** LeNet for the 1×28×28 MNIST digits (padding 2 on the first conv, as in the classic LeNet-5), with optional dropout. */
export class MnistLeNet extends Module {
  features: Sequential;
  classifier: Sequential;

  constructor(dropout: number, g: Generator) {
    super();
    this.features = new Sequential(
      new Conv2d(1, 6, 5, { padding: 2, generator: g }),
      new ReLU(),
      new MaxPool2d(2),
      new Conv2d(6, 16, 5, { generator: g }),
      new ReLU(),
      new MaxPool2d(2),
    );
    this.classifier = new Sequential(
      new Flatten(),
      new Linear(16 * 5 * 5, 120, { generator: g }),
      new ReLU(),
      dropout > 0 ? new Dropout(dropout, { generator: g }) : new Identity(),
      new Linear(120, 84, { generator: g }),
      new ReLU(),
      new Linear(84, 10, { generator: g }),
    );
  }

  override forward(x: Variable): Variable {
    return this.classifier.forward(this.features.forward(x));
  }
}
