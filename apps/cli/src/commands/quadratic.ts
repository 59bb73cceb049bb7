import { Variable } from '@opt/autograd';
import { SGD } from '@opt/optim';
import { tensor } from '@opt/tensor';

/** One iteration of gradient descent on y = 4x², as the tutorial prints it. */
export interface Iterate {
  iter: number;
  x: number;
  grad: number;
  loss: number;
}

/**
 * The tutorial's manual loop on y = 4x²: y.backward(), x.data.sub_(x.grad·lr),
 * x.grad.zero_(), recording x, dy/dx and y before each update.
 */
export function descend(lr: number, iters: number, x0 = 2): Iterate[] {
  const x = new Variable(tensor([x0]), { requiresGrad: true });
  const out: Iterate[] = [];
  for (let i = 0; i < iters; i++) {
    const y = x.mul(2).pow(2); // (2x)² = 4x²
    y.backward();
    out.push({ iter: i, x: x.item(), grad: x.grad!.item(), loss: y.item() });
    x.data.sub_(x.grad!.mul(lr));
    x.grad!.zero_();
  }
  return out;
}

/** SGD (with momentum) from @opt/optim on y = 4x²: the loss before each step. */
export function sgdLosses(lr: number, momentum: number, iters: number, x0 = 2): number[] {
  const x = new Variable(tensor([x0]), { requiresGrad: true });
  const opt = new SGD([x], { lr, momentum });
  const losses: number[] = [];
  for (let i = 0; i < iters; i++) {
    const y = x.mul(2).pow(2);
    y.backward();
    opt.step();
    opt.zeroGrad();
    losses.push(y.item());
  }
  return losses;
}

/** |1 − 8·lr|: the factor x is multiplied by each step; above 1 the iteration diverges. */
export function contraction(lr: number): number {
  return Math.abs(1 - 8 * lr);
}
