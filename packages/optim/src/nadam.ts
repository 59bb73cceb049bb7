import { type Tensor, tensor } from '@opt/tensor';
import { arr, arraysOf, incrementStep, touched, withWeightDecay, zerosLikeParam } from './kernel';
import { type Closure, Optimizer } from './optimizer';
import type { ParamGroup, Params } from './types';
import { checkBetas, checkEps, checkLr, checkRange, checkSwitches, checkWeightDecay } from './validate';

/**
 * Options of {@link NAdam}.
 *
 * @example
 * ```ts
 * const o: NAdamOptions = { lr: 2e-3, momentumDecay: 4e-3, decoupledWeightDecay: true, weightDecay: 0.01 };
 * ```
 */
export interface NAdamOptions {
  /** Learning rate (default 2e-3). */
  lr: number;
  /** Decay rates of the moment averages (default [0.9, 0.999]). */
  betas: [number, number];
  /** Added to the denominator (default 1e-8). */
  eps: number;
  /** Weight decay (default 0). */
  weightDecay: number;
  /** Momentum decay ψ of the μₜ schedule (default 4e-3). */
  momentumDecay: number;
  /** Decay the weights directly instead of through the gradient (default false). */
  decoupledWeightDecay: boolean;
  /** Recorded PyTorch switch (default null). */
  foreach: boolean | null;
  /** Maximize the objective (default false). */
  maximize: boolean;
  /** Recorded PyTorch switch (default false). */
  capturable: boolean;
  /** PyTorch's autograd-through-the-step switch; must stay false here. */
  differentiable: boolean;
}

const DEFAULTS: NAdamOptions = {
  lr: 2e-3,
  betas: [0.9, 0.999],
  eps: 1e-8,
  weightDecay: 0,
  momentumDecay: 4e-3,
  decoupledWeightDecay: false,
  foreach: null,
  maximize: false,
  capturable: false,
  differentiable: false,
};

/**
 * NAdam: Adam with Nesterov momentum (Dozat), like `torch.optim.NAdam`.
 *
 * @example
 * ```ts
 * const optimizer = new NAdam(net.parameters(), { lr: 2e-3 });
 * ```
 */
export class NAdam extends Optimizer<NAdamOptions> {
  readonly name = 'NAdam';
  protected override readonly scalarStateKeys = ['step', 'mu_product'];

  /**
   * @param params parameters, named parameters, or groups.
   * @param options hyperparameters (PyTorch 2.x defaults).
   */
  constructor(params: Params<NAdamOptions>, options: Partial<NAdamOptions> = {}) {
    super(params, { ...DEFAULTS, ...options });
  }

  protected validateGroup(g: ParamGroup<NAdamOptions>): void {
    checkLr(g.lr);
    checkEps(g.eps);
    checkBetas(g.betas);
    checkWeightDecay(g.weightDecay);
    checkRange('momentum_decay', g.momentumDecay, 0, Number.POSITIVE_INFINITY);
    checkSwitches(g);
  }

  /**
   * μₜ = β₁(1 − ½·0.96^(tψ)), μₜ₊₁ likewise, Πₜ = Πₜ₋₁μₜ;
   * mₜ, vₜ as in Adam; d = √(vₜ/(1 − β₂ᵗ)) + ε;
   * θₜ ← θₜ₋₁ − γ(1 − μₜ)/(1 − Πₜ) · gₜ/d − γμₜ₊₁/(1 − Πₜμₜ₊₁) · mₜ/d.
   */
  protected update(closure?: Closure): unknown {
    const loss = this.evaluate(closure);
    for (const group of this.paramGroups) {
      const { lr, eps, weightDecay: wd, maximize, momentumDecay: psi, decoupledWeightDecay } = group;
      const b1 = group.betas[0];
      const b2 = group.betas[1];
      for (const p of group.params) {
        if (p.grad === null) continue;
        const { x, xo, g, go, n } = arraysOf('NAdam', p);
        const s = this.stateOf(p);
        if (s.exp_avg === undefined) {
          s.mu_product = tensor(1);
          s.exp_avg = zerosLikeParam(p);
          s.exp_avg_sq = zerosLikeParam(p);
        }
        const t = incrementStep(s);
        const muProductT = s.mu_product as Tensor;
        const mu = b1 * (1 - 0.5 * 0.96 ** (t * psi));
        const muNext = b1 * (1 - 0.5 * 0.96 ** ((t + 1) * psi));
        const muProduct = Math.fround(muProductT.item() * mu);
        (muProductT.values as Float32Array)[muProductT.offset] = muProduct;
        const muProductNext = muProduct * muNext;
        const bc2 = 1 - b2 ** t;
        const m = arr(s.exp_avg as Tensor);
        const v = arr(s.exp_avg_sq as Tensor);
        const sign = maximize ? -1 : 1;
        const decay = decoupledWeightDecay ? 1 - lr * wd : 1;
        const l2 = decoupledWeightDecay ? 0 : wd;
        const cg = (lr * (1 - mu)) / (1 - muProduct);
        const cm = (lr * muNext) / (1 - muProductNext);
        for (let i = 0; i < n; i++) {
          let xi = x[xo + i]!;
          const gi = withWeightDecay(sign * g[go + i]!, l2, xi);
          if (decay !== 1) xi = x[xo + i] = xi * decay;
          m[i] = m[i]! + (gi - m[i]!) * (1 - b1);
          v[i] = v[i]! * b2 + (1 - b2) * gi * gi;
          const d = Math.sqrt(v[i]! / bc2) + eps;
          x[xo + i] = xi - (cg * gi) / d - (cm * m[i]!) / d;
        }
        touched(p);
      }
    }
    return loss;
  }
}
