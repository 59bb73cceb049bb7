import { type Tensor, tensor } from '@opt/tensor';
import { arr, arraysOf, incrementStep, touched, withWeightDecay, zerosLikeParam } from './kernel';
import { type Closure, Optimizer } from './optimizer';
import type { ParamGroup, Params } from './types';
import { checkLr, checkRange, checkSwitches, checkWeightDecay } from './validate';

/**
 * Options of {@link ASGD}.
 *
 * @example
 * ```ts
 * const o: ASGDOptions = { lr: 1e-2, lambd: 1e-4, alpha: 0.75, t0: 1e6 };
 * ```
 */
export interface ASGDOptions {
  /** Learning rate (default 1e-2). */
  lr: number;
  /** Decay term (default 1e-4). */
  lambd: number;
  /** Power of the eta update (default 0.75). */
  alpha: number;
  /** Step from which averaging starts (default 1e6). */
  t0: number;
  /** L2 penalty (default 0). */
  weightDecay: number;
  /** Recorded PyTorch switch (default null). */
  foreach: boolean | null;
  /** Maximize the objective (default false). */
  maximize: boolean;
  /** PyTorch's autograd-through-the-step switch; must stay false here. */
  differentiable: boolean;
  /** Recorded PyTorch switch (default false). */
  capturable: boolean;
}

const DEFAULTS: ASGDOptions = {
  lr: 1e-2,
  lambd: 1e-4,
  alpha: 0.75,
  t0: 1e6,
  weightDecay: 0,
  foreach: null,
  maximize: false,
  differentiable: false,
  capturable: false,
};

/**
 * Averaged SGD (Polyak & Juditsky), like `torch.optim.ASGD`; the running
 * average of the parameters is kept in the state as `ax`.
 *
 * @example
 * ```ts
 * const optimizer = new ASGD(params, { lr: 0.01, t0: 100 });
 * // after training: optimizer.state.get(p)!.ax is the averaged parameter
 * ```
 */
export class ASGD extends Optimizer<ASGDOptions> {
  readonly name = 'ASGD';
  protected override readonly scalarStateKeys = ['step', 'eta', 'mu'];
  protected override readonly floatDefaults = ['t0'];

  /**
   * @param params parameters, named parameters, or groups.
   * @param options hyperparameters (PyTorch 2.x defaults).
   */
  constructor(params: Params<ASGDOptions>, options: Partial<ASGDOptions> = {}) {
    super(params, { ...DEFAULTS, ...options });
  }

  protected validateGroup(g: ParamGroup<ASGDOptions>): void {
    checkLr(g.lr);
    checkWeightDecay(g.weightDecay);
    checkRange('lambd', g.lambd, 0, Number.POSITIVE_INFINITY);
    checkRange('alpha', g.alpha, 0, Number.POSITIVE_INFINITY);
    checkRange('t0', g.t0, 0, Number.POSITIVE_INFINITY);
    checkSwitches(g);
  }

  /**
   * gₜ ← ∇ + λθ;  θ ← θ(1 − ληₜ₋₁) − ηₜ₋₁gₜ;  axₜ ← axₜ₋₁ + μₜ₋₁(θ − axₜ₋₁) (a copy of θ while μ = 1);
   * ηₜ = γ/(1 + λγt)^α;  μₜ = 1/max(1, t − t₀).
   */
  protected update(closure?: Closure): unknown {
    const loss = this.evaluate(closure);
    for (const group of this.paramGroups) {
      const { lr, lambd, alpha, t0, weightDecay: wd, maximize } = group;
      for (const p of group.params) {
        if (p.grad === null) continue;
        const { x, xo, g, go, n } = arraysOf('ASGD', p);
        const s = this.stateOf(p);
        if (s.ax === undefined) {
          s.eta = tensor(lr);
          s.mu = tensor(1);
          s.ax = zerosLikeParam(p);
        }
        const t = incrementStep(s);
        const etaT = s.eta as Tensor;
        const muT = s.mu as Tensor;
        const eta = etaT.item();
        const mu = muT.item();
        const ax = arr(s.ax as Tensor);
        const sign = maximize ? -1 : 1;
        for (let i = 0; i < n; i++) {
          const gi = withWeightDecay(sign * g[go + i]!, wd, x[xo + i]!);
          x[xo + i] = x[xo + i]! * (1 - lambd * eta);
          x[xo + i] = x[xo + i]! - eta * gi;
          ax[i] = mu !== 1 ? ax[i]! + (x[xo + i]! - ax[i]!) * mu : x[xo + i]!;
        }
        (etaT.values as Float32Array)[etaT.offset] = lr / (1 + lambd * lr * t) ** alpha;
        (muT.values as Float32Array)[muT.offset] = 1 / Math.max(1, t - t0);
        touched(p);
      }
    }
    return loss;
  }
}
