import type { Tensor } from '@opt/tensor';
import { arr, arraysOf, incrementStep, touched, withWeightDecay, zerosLikeParam } from './kernel';
import { type Closure, Optimizer } from './optimizer';
import type { ParamGroup, Params } from './types';
import { checkEps, checkLr, checkRange, checkSwitches, checkWeightDecay } from './validate';

/**
 * Options of {@link Adadelta}.
 *
 * @example
 * ```ts
 * const o: AdadeltaOptions = { lr: 1.0, rho: 0.9, eps: 1e-6, weightDecay: 0 };
 * ```
 */
export interface AdadeltaOptions {
  /** Scale of the update (default 1.0). */
  lr: number;
  /** Decay of the running averages (default 0.9). */
  rho: number;
  /** Added inside the square roots (default 1e-6). */
  eps: number;
  /** L2 penalty (default 0). */
  weightDecay: number;
  /** Recorded PyTorch switch (default null). */
  foreach: boolean | null;
  /** Recorded PyTorch switch (default false). */
  capturable: boolean;
  /** Maximize the objective (default false). */
  maximize: boolean;
  /** PyTorch's autograd-through-the-step switch; must stay false here. */
  differentiable: boolean;
}

const DEFAULTS: AdadeltaOptions = {
  lr: 1.0,
  rho: 0.9,
  eps: 1e-6,
  weightDecay: 0,
  foreach: null,
  capturable: false,
  maximize: false,
  differentiable: false,
};

/**
 * Adadelta (Zeiler), like `torch.optim.Adadelta`.
 *
 * @example
 * ```ts
 * const optimizer = new Adadelta(net.parameters(), { rho: 0.9 });
 * ```
 */
export class Adadelta extends Optimizer<AdadeltaOptions> {
  readonly name = 'Adadelta';
  protected override readonly floatDefaults = ['lr'];

  /**
   * @param params parameters, named parameters, or groups.
   * @param options hyperparameters (PyTorch 2.x defaults).
   */
  constructor(params: Params<AdadeltaOptions>, options: Partial<AdadeltaOptions> = {}) {
    super(params, { ...DEFAULTS, ...options });
  }

  protected validateGroup(g: ParamGroup<AdadeltaOptions>): void {
    checkLr(g.lr);
    checkRange('rho', g.rho, 0, 1);
    checkEps(g.eps);
    checkWeightDecay(g.weightDecay);
    checkSwitches(g);
  }

  /**
   * gₜ ← ∇ + λθ;  vₜ ← ρvₜ₋₁ + (1 − ρ)gₜ²;  Δₜ = √(uₜ₋₁ + ε)/√(vₜ + ε) · gₜ;
   * uₜ ← ρuₜ₋₁ + (1 − ρ)Δₜ²;  θₜ ← θₜ₋₁ − γΔₜ.
   */
  protected update(closure?: Closure): unknown {
    const loss = this.evaluate(closure);
    for (const group of this.paramGroups) {
      const { lr, rho, eps, weightDecay: wd, maximize } = group;
      for (const p of group.params) {
        if (p.grad === null) continue;
        const { x, xo, g, go, n } = arraysOf('Adadelta', p);
        const s = this.stateOf(p);
        if (s.square_avg === undefined) {
          s.square_avg = zerosLikeParam(p);
          s.acc_delta = zerosLikeParam(p);
        }
        incrementStep(s);
        const v = arr(s.square_avg as Tensor);
        const u = arr(s.acc_delta as Tensor);
        const sign = maximize ? -1 : 1;
        for (let i = 0; i < n; i++) {
          const gi = withWeightDecay(sign * g[go + i]!, wd, x[xo + i]!);
          v[i] = v[i]! * rho + (1 - rho) * gi * gi;
          const delta = (Math.sqrt(u[i]! + eps) / Math.sqrt(v[i]! + eps)) * gi;
          u[i] = u[i]! * rho + (1 - rho) * delta * delta;
          x[xo + i] = x[xo + i]! - lr * delta;
        }
        touched(p);
      }
    }
    return loss;
  }
}
