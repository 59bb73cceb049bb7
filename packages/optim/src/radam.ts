import type { Tensor } from '@opt/tensor';
import { arr, arraysOf, incrementStep, touched, withWeightDecay, zerosLikeParam } from './kernel';
import { type Closure, Optimizer } from './optimizer';
import type { ParamGroup, Params } from './types';
import { checkBetas, checkEps, checkLr, checkSwitches, checkWeightDecay } from './validate';

/**
 * Options of {@link RAdam}.
 *
 * @example
 * ```ts
 * const o: RAdamOptions = { lr: 1e-3, betas: [0.9, 0.999], decoupledWeightDecay: true, weightDecay: 0.01 };
 * ```
 */
export interface RAdamOptions {
  /** Learning rate (default 1e-3). */
  lr: number;
  /** Decay rates of the moment averages (default [0.9, 0.999]). */
  betas: [number, number];
  /** Added to the denominator (default 1e-8). */
  eps: number;
  /** Weight decay (default 0). */
  weightDecay: number;
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

const DEFAULTS: RAdamOptions = {
  lr: 1e-3,
  betas: [0.9, 0.999],
  eps: 1e-8,
  weightDecay: 0,
  decoupledWeightDecay: false,
  foreach: null,
  maximize: false,
  capturable: false,
  differentiable: false,
};

/**
 * RAdam: Adam with the variance of the adaptive rate rectified (Liu et al.),
 * like `torch.optim.RAdam`.
 *
 * @example
 * ```ts
 * const optimizer = new RAdam(net.parameters(), { lr: 1e-3 });
 * ```
 */
export class RAdam extends Optimizer<RAdamOptions> {
  readonly name = 'RAdam';

  /**
   * @param params parameters, named parameters, or groups.
   * @param options hyperparameters (PyTorch 2.x defaults).
   */
  constructor(params: Params<RAdamOptions>, options: Partial<RAdamOptions> = {}) {
    super(params, { ...DEFAULTS, ...options });
  }

  protected validateGroup(g: ParamGroup<RAdamOptions>): void {
    checkLr(g.lr);
    checkEps(g.eps);
    checkBetas(g.betas);
    checkWeightDecay(g.weightDecay);
    checkSwitches(g);
  }

  /**
   * mₜ, vₜ as in Adam; ρ∞ = 2/(1 − β₂) − 1; ρₜ = ρ∞ − 2tβ₂ᵗ/(1 − β₂ᵗ);
   * if ρₜ > 5: rₜ = √((ρₜ − 4)(ρₜ − 2)ρ∞ / ((ρ∞ − 4)(ρ∞ − 2)ρₜ)),
   * θₜ ← θₜ₋₁ − γ · m̂ₜ · rₜ√(1 − β₂ᵗ)/(√vₜ + ε); else θₜ ← θₜ₋₁ − γm̂ₜ (m̂ₜ = mₜ/(1 − β₁ᵗ)).
   */
  protected update(closure?: Closure): unknown {
    const loss = this.evaluate(closure);
    for (const group of this.paramGroups) {
      const { lr, eps, weightDecay: wd, maximize, decoupledWeightDecay } = group;
      const b1 = group.betas[0];
      const b2 = group.betas[1];
      for (const p of group.params) {
        if (p.grad === null) continue;
        const { x, xo, g, go, n } = arraysOf('RAdam', p);
        const s = this.stateOf(p);
        if (s.exp_avg === undefined) {
          s.exp_avg = zerosLikeParam(p);
          s.exp_avg_sq = zerosLikeParam(p);
        }
        const t = incrementStep(s);
        const m = arr(s.exp_avg as Tensor);
        const v = arr(s.exp_avg_sq as Tensor);
        const bc1 = 1 - b1 ** t;
        const bc2 = 1 - b2 ** t;
        const rhoInf = 2 / (1 - b2) - 1;
        const rhoT = rhoInf - (2 * t * b2 ** t) / bc2;
        const rect =
          rhoT > 5 ? Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT)) : 0;
        const sign = maximize ? -1 : 1;
        const decay = decoupledWeightDecay ? 1 - lr * wd : 1;
        const l2 = decoupledWeightDecay ? 0 : wd;
        for (let i = 0; i < n; i++) {
          let xi = x[xo + i]!;
          const gi = withWeightDecay(sign * g[go + i]!, l2, xi);
          if (decay !== 1) xi = x[xo + i] = xi * decay;
          m[i] = m[i]! + (gi - m[i]!) * (1 - b1);
          v[i] = v[i]! * b2 + (1 - b2) * gi * gi;
          const mHat = m[i]! / bc1;
          x[xo + i] =
            rhoT > 5 ? xi - (mHat * lr * rect * Math.sqrt(bc2)) / (Math.sqrt(v[i]!) + eps) : xi - mHat * lr;
        }
        touched(p);
      }
    }
    return loss;
  }
}
