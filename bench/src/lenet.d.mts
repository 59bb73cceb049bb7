import type { Variable } from '@opt/autograd';
import { Module, Sequential } from '@opt/nn';

/** The tutorial's LeNet: `features` and `classifier`, 3×32×32 input. */
export declare class LeNet extends Module {
  features: Sequential;
  classifier: Sequential;
  forward(x: Variable): Variable;
}
