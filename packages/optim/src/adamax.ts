import { arr, arraysOf, incrementStep, touched, withWeightDecay, zerosLikeParam } from './kernel';
import { type Closure, Optimizer } from './optimizer';
import type { ParamGroup, Params } from './types';
import { checkBetas, checkEps, checkLr, checkSwitches, checkWeightDecay } from './validate';

/**
 * Options of {@link Adamax}.
 *
 * @example
 * ```ts
 * const o: AdamaxOptions = { lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0 };
 * ```
 */
export interface AdamaxOptions {
  /** Learning rate (default 2e-3). */
  lr: number;
  /** Decay rates of the first moment and of the infinity norm (default [0.9, 0.999]). */
  betas: [number, number];
  /** Added to |g| for stability (default 1e-8). */
  eps: number;
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

const DEFAULTS: AdamaxOptions = {
  lr: 2e-3,
  betas: [0.9, 0.999],
  eps: 1e-8,
  weightDecay: 0,
  foreach: null,
  maximize: false,
  differentiable: false,
  capturable: false,
};

/**
 * Adamax: Adam with the infinity norm, like `torch.optim.Adamax`.
 *
 * @example
 * ```ts
 * const optimizer = new Adamax(net.parameters(), { lr: 2e-3 });
 * ```
 */
export class Adamax extends Optimizer<AdamaxOptions> {
  readonly name = 'Adamax';

  /**
   * @param params parameters, named parameters, or groups.
   * @param options hyperparameters (PyTorch 2.x defaults).
   */
  constructor(params: Params<AdamaxOptions>, options: Partial<AdamaxOptions> = {}) {
    super(params, { ...DEFAULTS, ...options });
  }

  protected validateGroup(g: ParamGroup<AdamaxOptions>): void {
    checkLr(g.lr);
    checkEps(g.eps);
    checkBetas(g.betas);
    checkWeightDecay(g.weightDecay);
    checkSwitches(g);
  }

  /**
   * gₜ ← ∇ + λθ;  mₜ ← β₁mₜ₋₁ + (1 − β₁)gₜ;  uₜ ← max(β₂uₜ₋₁, |gₜ| + ε);
   * θₜ ← θₜ₋₁ − γ/(1 − β₁ᵗ) · mₜ/uₜ.
   */
  protected update(closure?: Closure): unknown {
    const loss = this.evaluate(closure);
    for (const group of this.paramGroups) {
      const { lr, eps, weightDecay: wd, maximize } = group;
      const b1 = group.betas[0];
      const b2 = group.betas[1];
      for (const p of group.params) {
        if (p.grad === null) continue;
        const { x, xo, g, go, n } = arraysOf('Adamax', p);
        const s = this.stateOf(p);
        if (s.exp_avg === undefined) {
          s.exp_avg = zerosLikeParam(p);
          s.exp_inf = zerosLikeParam(p);
        }
        const t = incrementStep(s);
        const m = arr(s.exp_avg as typeof p.data);
        const u = arr(s.exp_inf as typeof p.data);
        const clr = lr / (1 - b1 ** t);
        const sign = maximize ? -1 : 1;
        for (let i = 0; i < n; i++) {
          const gi = withWeightDecay(sign * g[go + i]!, wd, x[xo + i]!);
          m[i] = m[i]! + (gi - m[i]!) * (1 - b1);
          u[i] = Math.max(u[i]! * b2, Math.abs(gi) + eps);
          x[xo + i] = x[xo + i]! - (clr * m[i]!) / u[i]!;
        }
        touched(p);
      }
    }
    return loss;
  }
}
