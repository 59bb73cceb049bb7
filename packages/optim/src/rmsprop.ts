import type { Tensor } from '@opt/tensor';
import { arr, arraysOf, incrementStep, touched, withWeightDecay, zerosLikeParam } from './kernel';
import { type Closure, Optimizer } from './optimizer';
import type { ParamGroup, Params } from './types';
import { checkEps, checkLr, checkMomentum, checkRange, checkSwitches, checkWeightDecay } from './validate';

/**
 * Options of {@link RMSprop}.
 *
 * @example
 * ```ts
 * const o: RMSpropOptions = { lr: 1e-2, alpha: 0.99, centered: true, momentum: 0.9 };
 * ```
 */
export interface RMSpropOptions {
  /** Learning rate (default 1e-2). */
  lr: number;
  /** Smoothing constant of the squared-gradient average (default 0.99). */
  alpha: number;
  /** Added to the denominator (default 1e-8). */
  eps: number;
  /** L2 penalty (default 0). */
  weightDecay: number;
  /** Momentum factor (default 0). */
  momentum: number;
  /** Normalize by the estimated variance instead of the raw second moment (default false). */
  centered: boolean;
  /** Recorded PyTorch switch (default false). */
  capturable: boolean;
  /** Recorded PyTorch switch (default null). */
  foreach: boolean | null;
  /** Maximize the objective (default false). */
  maximize: boolean;
  /** PyTorch's autograd-through-the-step switch; must stay false here. */
  differentiable: boolean;
}

const DEFAULTS: RMSpropOptions = {
  lr: 1e-2,
  alpha: 0.99,
  eps: 1e-8,
  weightDecay: 0,
  momentum: 0,
  centered: false,
  capturable: false,
  foreach: null,
  maximize: false,
  differentiable: false,
};

/**
 * RMSprop (Hinton), like `torch.optim.RMSprop`, with optional momentum and
 * the centered variant.
 *
 * @example
 * ```ts
 * const optimizer = new RMSprop(net.parameters(), { lr: 1e-3 });
 * ```
 */
export class RMSprop extends Optimizer<RMSpropOptions> {
  readonly name = 'RMSprop';

  /**
   * @param params parameters, named parameters, or groups.
   * @param options hyperparameters (PyTorch 2.x defaults).
   */
  constructor(params: Params<RMSpropOptions>, options: Partial<RMSpropOptions> = {}) {
    super(params, { ...DEFAULTS, ...options });
  }

  protected validateGroup(g: ParamGroup<RMSpropOptions>): void {
    checkLr(g.lr);
    checkEps(g.eps);
    checkMomentum(g.momentum);
    checkWeightDecay(g.weightDecay);
    checkRange('alpha', g.alpha, 0, Number.POSITIVE_INFINITY);
    checkSwitches(g);
  }

  /**
   * gₜ ← ∇ + λθ;  vₜ ← αvₜ₋₁ + (1 − α)gₜ²;  centered: ḡₜ ← αḡₜ₋₁ + (1 − α)gₜ, d = √(vₜ − ḡₜ²) + ε, else d = √vₜ + ε;
   * momentum μ > 0: bₜ ← μbₜ₋₁ + gₜ/d, θₜ ← θₜ₋₁ − γbₜ; else θₜ ← θₜ₋₁ − γgₜ/d.
   */
  protected update(closure?: Closure): unknown {
    const loss = this.evaluate(closure);
    for (const group of this.paramGroups) {
      const { lr, alpha, eps, weightDecay: wd, momentum, centered, maximize } = group;
      for (const p of group.params) {
        if (p.grad === null) continue;
        const { x, xo, g, go, n } = arraysOf('RMSprop', p);
        const s = this.stateOf(p);
        if (s.square_avg === undefined) {
          s.square_avg = zerosLikeParam(p);
          if (momentum > 0) s.momentum_buffer = zerosLikeParam(p);
          if (centered) s.grad_avg = zerosLikeParam(p);
        }
        incrementStep(s);
        const v = arr(s.square_avg as Tensor);
        const ga = centered ? arr(s.grad_avg as Tensor) : null;
        const buf = momentum > 0 ? arr(s.momentum_buffer as Tensor) : null;
        const sign = maximize ? -1 : 1;
        for (let i = 0; i < n; i++) {
          const gi = withWeightDecay(sign * g[go + i]!, wd, x[xo + i]!);
          v[i] = v[i]! * alpha + (1 - alpha) * gi * gi;
          let d: number;
          if (ga) {
            ga[i] = ga[i]! + (gi - ga[i]!) * (1 - alpha);
            d = Math.sqrt(v[i]! - ga[i]! * ga[i]!) + eps;
          } else d = Math.sqrt(v[i]!) + eps;
          if (buf) {
            buf[i] = buf[i]! * momentum + gi / d;
            x[xo + i] = x[xo + i]! - lr * buf[i]!;
          } else x[xo + i] = x[xo + i]! - (lr * gi) / d;
        }
        touched(p);
      }
    }
    return loss;
  }
}
