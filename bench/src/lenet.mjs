// The tutorial's LeNet, in plain JavaScript so that the memory run can load it in a bare `node`
// process (no TypeScript loader, whose own ~35 MiB would count as ours); workloads.ts re-exports it.
import { Conv2d, Linear, MaxPool2d, Module, ReLU, Sequential } from '@opt/nn';

/** The tutorial's LeNet: `features` and `classifier`, 3×32×32 input. */
export class LeNet extends Module {
  features = new Sequential(
    new Conv2d(3, 6, 5),
    new ReLU(),
    new MaxPool2d(2, { stride: 2 }),
    new Conv2d(6, 16, 5),
    new ReLU(),
    new MaxPool2d(2, { stride: 2 }),
  );
  classifier = new Sequential(
    new Linear(400, 120),
    new ReLU(),
    new Linear(120, 84),
    new ReLU(),
    new Linear(84, 10),
  );
  forward(x) {
    return this.classifier.forward(this.features.forward(x).flatten(1));
  }
}
