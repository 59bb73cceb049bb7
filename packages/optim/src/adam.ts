import { arr, arraysOf, incrementStep, touched, zerosLikeParam } from './kernel';
import { type Closure, Optimizer } from './optimizer';
import type { ParamGroup, Params } from './types';
import { checkBetas, checkEps, checkLr, checkSwitches, checkWeightDecay } from './validate';

/**
 * Options of {@link Adam} and {@link AdamW}.
 *
 * @example
 * ```ts
 * const o: AdamOptions = { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false };
 * ```
 */
export interface AdamOptions {
  /** Learning rate (default 1e-3). */
  lr: number;
  /** Decay rates of the first and second moment averages (default [0.9, 0.999]). */
  betas: [number, number];
  /** Added to the denominator for stability (default 1e-8). */
  eps: number;
  /** Weight decay: L2 on the gradient, or decoupled (AdamW) with `decoupledWeightDecay` (default 0; AdamW 1e-2). */
  weightDecay: number;
  /** Use the maximum of past second moments (AMSGrad; default false). */
  amsgrad: boolean;
  /** Maximize the objective (default false). */
  maximize: boolean;
  /** Recorded PyTorch switch (default null). */
  foreach: boolean | null;
  /** Recorded PyTorch switch (default false). */
  capturable: boolean;
  /** PyTorch's autograd-through-the-step switch; must stay false here. */
  differentiable: boolean;
  /** Recorded PyTorch switch (default null). */
  fused: boolean | null;
  /** Decay the weights directly, θ ← θ(1 − γλ), instead of adding λθ to the gradient (default false; AdamW true). */
  decoupledWeightDecay: boolean;
}

const DEFAULTS: AdamOptions = {
  lr: 1e-3,
  betas: [0.9, 0.999],
  eps: 1e-8,
  weightDecay: 0,
  amsgrad: false,
  maximize: false,
  foreach: null,
  capturable: false,
  differentiable: false,
  fused: null,
  decoupledWeightDecay: false,
};

/**
 * Adam (Kingma & Ba), like `torch.optim.Adam`, including AMSGrad and
 * PyTorch 2.x's `decoupledWeightDecay`.
 *
 * @example
 * ```ts
 * const optimizer = new Adam(net.parameters(), { lr: 1e-3 });
 * ```
 */
export class Adam extends Optimizer<AdamOptions> {
  readonly name: string = 'Adam';

  /**
   * @param params parameters, named parameters, or groups.
   * @param options hyperparameters (PyTorch 2.x defaults).
   */
  constructor(
    params: Params<AdamOptions>,
    options: Partial<AdamOptions> = {},
    defaults: AdamOptions = DEFAULTS,
  ) {
    super(params, { ...defaults, ...options });
  }

  protected validateGroup(g: ParamGroup<AdamOptions>): void {
    checkLr(g.lr);
    checkEps(g.eps);
    checkBetas(g.betas);
    checkWeightDecay(g.weightDecay);
    checkSwitches(g);
  }

  /**
   * gₜ ← ∇ (negated when maximizing); θ ← θ(1 − γλ) if decoupled, else gₜ ← gₜ + λθ;
   * mₜ ← β₁mₜ₋₁ + (1 − β₁)gₜ;  vₜ ← β₂vₜ₋₁ + (1 − β₂)gₜ²;  (AMSGrad: v̂ₜ ← max(v̂ₜ₋₁, vₜ));
   * θₜ ← θₜ₋₁ − γ/(1 − β₁ᵗ) · mₜ / (√vₜ/√(1 − β₂ᵗ) + ε).
   */
  protected update(closure?: Closure): unknown {
    const loss = this.evaluate(closure);
    for (const group of this.paramGroups) {
      const { lr, eps, weightDecay: wd, amsgrad, maximize, decoupledWeightDecay } = group;
      const b1 = group.betas[0];
      const b2 = group.betas[1];
      for (const p of group.params) {
        if (p.grad === null) continue;
        const { x, xo, g, go, n } = arraysOf(this.name, p);
        const s = this.stateOf(p);
        if (s.exp_avg === undefined) {
          s.exp_avg = zerosLikeParam(p);
          s.exp_avg_sq = zerosLikeParam(p);
          if (amsgrad) s.max_exp_avg_sq = zerosLikeParam(p);
        }
        const t = incrementStep(s);
        const m = arr(s.exp_avg as typeof p.data);
        const v = arr(s.exp_avg_sq as typeof p.data);
        const vmax = amsgrad ? arr(s.max_exp_avg_sq as typeof p.data) : null;
        const stepSize = lr / (1 - b1 ** t);
        const bc2Sqrt = Math.sqrt(1 - b2 ** t);
        const sign = maximize ? -1 : 1;
        const decay = decoupledWeightDecay ? 1 - lr * wd : 1;
        const l2 = decoupledWeightDecay ? 0 : wd;
        if (vmax === null && l2 === 0 && sign === 1) {
          // no AMSGrad, no L2 term: one branch-free pass (AdamW's decay folded in as a factor)
          const c1 = 1 - b1;
          const c2 = 1 - b2;
          const invBc2 = 1 / bc2Sqrt;
          for (let i = 0; i < n; i++) {
            const gi = g[go + i]!;
            m[i] = m[i]! + (gi - m[i]!) * c1;
            v[i] = v[i]! * b2 + c2 * gi * gi;
            x[xo + i] = x[xo + i]! * decay - (stepSize * m[i]!) / (Math.sqrt(v[i]!) * invBc2 + eps);
          }
          touched(p);
          continue;
        }
        for (let i = 0; i < n; i++) {
          let xi = x[xo + i]!;
          const gi = sign * g[go + i]! + l2 * xi;
          if (decay !== 1) xi = x[xo + i] = xi * decay;
          m[i] = m[i]! + (gi - m[i]!) * (1 - b1);
          v[i] = v[i]! * b2 + (1 - b2) * gi * gi;
          let vi = v[i]!;
          if (vmax) {
            if (vi > vmax[i]!) vmax[i] = vi;
            vi = vmax[i]!;
          }
          x[xo + i] = xi - (stepSize * m[i]!) / (Math.sqrt(vi) / bc2Sqrt + eps);
        }
        touched(p);
      }
    }
    return loss;
  }
}

/**
 * AdamW (Loshchilov & Hutter): Adam with decoupled weight decay, default
 * weightDecay 1e-2, like `torch.optim.AdamW`.
 *
 * @example
 * ```ts
 * const optimizer = new AdamW(net.parameters(), { lr: 1e-3, weightDecay: 0.01 });
 * ```
 */
export class AdamW extends Adam {
  override readonly name: string = 'AdamW';

  /**
   * @param params parameters, named parameters, or groups.
   * @param options hyperparameters (defaults: Adam's with weightDecay 1e-2, decoupled).
   */
  constructor(params: Params<AdamOptions>, options: Partial<AdamOptions> = {}) {
    super(params, options, { ...DEFAULTS, weightDecay: 1e-2, decoupledWeightDecay: true });
  }
}
