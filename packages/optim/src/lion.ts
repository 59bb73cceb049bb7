import type { Tensor } from '@opt/tensor';
import { arr, arraysOf, touched, zerosLikeParam } from './kernel';
import { type Closure, Optimizer } from './optimizer';
import type { ParamGroup, Params } from './types';
import { checkBetas, checkLr, checkSwitches, checkWeightDecay } from './validate';

/**
 * Options of {@link Lion}.
 *
 * @example
 * ```ts
 * const o: LionOptions = { lr: 1e-4, betas: [0.9, 0.99], weightDecay: 0.1 };
 * ```
 */
export interface LionOptions {
  /** Learning rate (default 1e-4; typically 3–10× smaller than Adam's). */
  lr: number;
  /** β₁ interpolates the update direction, β₂ decays the momentum (default [0.9, 0.99]). */
  betas: [number, number];
  /** Decoupled weight decay (default 0). */
  weightDecay: number;
  /** Maximize the objective (default false). */
  maximize: boolean;
}

const DEFAULTS: LionOptions = { lr: 1e-4, betas: [0.9, 0.99], weightDecay: 0, maximize: false };

/**
 * Lion (EvoLved Sign Momentum; Chen et al., 2023, "Symbolic Discovery of
 * Optimization Algorithms"): the update is the sign of an interpolation
 * between momentum and gradient, so every weight moves by ±lr. One state
 * tensor (`exp_avg`) per parameter, half of Adam's memory.
 *
 * @example
 * ```ts
 * const optimizer = new Lion(net.parameters(), { lr: 3e-4, weightDecay: 0.1 });
 * ```
 */
export class Lion extends Optimizer<LionOptions> {
  readonly name = 'Lion';

  /**
   * @param params parameters, named parameters, or groups.
   * @param options hyperparameters (the paper's defaults).
   */
  constructor(params: Params<LionOptions>, options: Partial<LionOptions> = {}) {
    super(params, { ...DEFAULTS, ...options });
  }

  protected validateGroup(g: ParamGroup<LionOptions>): void {
    checkLr(g.lr);
    checkBetas(g.betas);
    checkWeightDecay(g.weightDecay);
    checkSwitches(g);
  }

  /**
   * θ ← θ(1 − γλ);  c = β₁m + (1 − β₁)g;  θ ← θ − γ·sign(c);  m ← β₂m + (1 − β₂)g.
   */
  protected update(closure?: Closure): unknown {
    const loss = this.evaluate(closure);
    for (const group of this.paramGroups) {
      const { lr, weightDecay: wd, maximize } = group;
      const b1 = group.betas[0];
      const b2 = group.betas[1];
      for (const p of group.params) {
        if (p.grad === null) continue;
        const { x, xo, g, go, n } = arraysOf('Lion', p);
        const s = this.stateOf(p);
        if (s.exp_avg === undefined) s.exp_avg = zerosLikeParam(p);
        const m = arr(s.exp_avg as Tensor);
        const sign = maximize ? -1 : 1;
        const decay = 1 - lr * wd;
        for (let i = 0; i < n; i++) {
          const gi = sign * g[go + i]!;
          const c = b1 * m[i]! + (1 - b1) * gi;
          x[xo + i] = x[xo + i]! * decay - lr * Math.sign(c);
          m[i] = b2 * m[i]! + (1 - b2) * gi;
        }
        touched(p);
      }
    }
    return loss;
  }
}
