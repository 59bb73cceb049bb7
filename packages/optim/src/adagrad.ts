import { full, type Tensor } from '@opt/tensor';
import { OptimizerError } from './errors';
import { arr, arraysOf, incrementStep, touched, withWeightDecay } from './kernel';
import { type Closure, Optimizer } from './optimizer';
import type { ParamGroup, Params } from './types';
import { checkEps, checkLr, checkRange, checkSwitches, checkWeightDecay } from './validate';

/**
 * Options of {@link Adagrad}.
 *
 * @example
 * ```ts
 * const o: AdagradOptions = { lr: 1e-2, lrDecay: 0, initialAccumulatorValue: 0.1, eps: 1e-10 };
 * ```
 */
export interface AdagradOptions {
  /** Learning rate (default 1e-2). */
  lr: number;
  /** Learning-rate decay: γₜ = γ/(1 + (t − 1)·lrDecay) (default 0). */
  lrDecay: number;
  /** L2 penalty (default 0). */
  weightDecay: number;
  /** Starting value of the sum of squares (default 0). */
  initialAccumulatorValue: number;
  /** Added to the denominator (default 1e-10). */
  eps: number;
  /** Recorded PyTorch switch (default null). */
  foreach: boolean | null;
  /** Maximize the objective (default false). */
  maximize: boolean;
  /** PyTorch's autograd-through-the-step switch; must stay false here. */
  differentiable: boolean;
  /** Recorded PyTorch switch (default null). */
  fused: boolean | null;
}

const DEFAULTS: AdagradOptions = {
  lr: 1e-2,
  lrDecay: 0,
  weightDecay: 0,
  initialAccumulatorValue: 0,
  eps: 1e-10,
  foreach: null,
  maximize: false,
  differentiable: false,
  fused: null,
};

/**
 * Adagrad (Duchi et al.), like `torch.optim.Adagrad`. Its `sum` state is
 * created at construction, as in PyTorch.
 * Sparse gradients are accepted (without weight decay, as in PyTorch) and
 * applied as their dense equivalent.
 *
 * @example
 * ```ts
 * const optimizer = new Adagrad(net.parameters(), { lr: 1e-2 });
 * ```
 */
export class Adagrad extends Optimizer<AdagradOptions> {
  readonly name = 'Adagrad';

  /**
   * @param params parameters, named parameters, or groups.
   * @param options hyperparameters (PyTorch 2.x defaults).
   */
  constructor(params: Params<AdagradOptions>, options: Partial<AdagradOptions> = {}) {
    super(params, { ...DEFAULTS, ...options });
    for (const g of this.paramGroups) this.initGroup(g);
  }

  private initGroup(g: ParamGroup<AdagradOptions>): void {
    for (const p of g.params) {
      const s = this.stateOf(p);
      if (s.sum !== undefined) continue;
      s.step = full([], 0);
      s.sum = full([...p.data.shape], g.initialAccumulatorValue, { dtype: p.data.dtype });
    }
  }

  override addParamGroup(group: Parameters<Optimizer<AdagradOptions>['addParamGroup']>[0]): void {
    super.addParamGroup(group);
    // during construction the state map is not ready yet; the constructor initialises those groups
    if (this.state) this.initGroup(this.paramGroups[this.paramGroups.length - 1]!);
  }

  protected validateGroup(g: ParamGroup<AdagradOptions>): void {
    checkLr(g.lr);
    checkRange('lr_decay', g.lrDecay, 0, Number.POSITIVE_INFINITY);
    checkWeightDecay(g.weightDecay);
    checkRange('initial_accumulator_value', g.initialAccumulatorValue, 0, Number.POSITIVE_INFINITY);
    checkEps(g.eps);
    checkSwitches(g);
  }

  /**
   * gₜ ← ∇ + λθ;  γ̃ = γ/(1 + (t − 1)η);  sₜ ← sₜ₋₁ + gₜ²;  θₜ ← θₜ₋₁ − γ̃ gₜ/(√sₜ + ε).
   */
  protected update(closure?: Closure): unknown {
    const loss = this.evaluate(closure);
    for (const group of this.paramGroups) {
      const { lr, lrDecay, weightDecay: wd, eps, maximize } = group;
      for (const p of group.params) {
        if (p.grad === null) continue;
        if (p.grad.isSparse && wd !== 0) {
          throw new OptimizerError('weight_decay option is not compatible with sparse gradients');
        }
        const { x, xo, g, go, n } = arraysOf('Adagrad', p, 'densify');
        const s = this.stateOf(p);
        if (s.sum === undefined)
          s.sum = full([...p.data.shape], group.initialAccumulatorValue, { dtype: p.data.dtype });
        const t = incrementStep(s);
        const sum = arr(s.sum as Tensor);
        const clr = lr / (1 + (t - 1) * lrDecay);
        const sign = maximize ? -1 : 1;
        for (let i = 0; i < n; i++) {
          const gi = withWeightDecay(sign * g[go + i]!, wd, x[xo + i]!);
          sum[i] = sum[i]! + gi * gi;
          x[xo + i] = x[xo + i]! - (clr * gi) / (Math.sqrt(sum[i]!) + eps);
        }
        touched(p);
      }
    }
    return loss;
  }
}
