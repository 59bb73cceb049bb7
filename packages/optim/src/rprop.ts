import { full, type Tensor } from '@opt/tensor';
import { OptimizerError } from './errors';
import { arr, arraysOf, incrementStep, touched, zerosLikeParam } from './kernel';
import { type Closure, Optimizer } from './optimizer';
import { pyRepr } from './python-repr';
import type { ParamGroup, Params } from './types';
import { checkLr, checkSwitches } from './validate';

/**
 * Options of {@link Rprop}.
 *
 * @example
 * ```ts
 * const o: RpropOptions = { lr: 1e-2, etas: [0.5, 1.2], stepSizes: [1e-6, 50] };
 * ```
 */
export interface RpropOptions {
  /** Initial step size (default 1e-2). */
  lr: number;
  /** Multiplicative decrease and increase factors (η−, η+) (default [0.5, 1.2]). */
  etas: [number, number];
  /** Minimum and maximum step sizes (default [1e-6, 50]). */
  stepSizes: [number, number];
  /** Recorded PyTorch switch (default false). */
  capturable: boolean;
  /** Recorded PyTorch switch (default null). */
  foreach: boolean | null;
  /** Maximize the objective (default false). */
  maximize: boolean;
  /** PyTorch's autograd-through-the-step switch; must stay false here. */
  differentiable: boolean;
}

const DEFAULTS: RpropOptions = {
  lr: 1e-2,
  etas: [0.5, 1.2],
  stepSizes: [1e-6, 50],
  capturable: false,
  foreach: null,
  maximize: false,
  differentiable: false,
};

/**
 * Rprop (resilient backpropagation), like `torch.optim.Rprop`: each weight
 * moves by its own step size, grown while the gradient's sign holds and
 * shrunk when it flips.
 *
 * @example
 * ```ts
 * const optimizer = new Rprop(params, { lr: 0.01 });
 * ```
 */
export class Rprop extends Optimizer<RpropOptions> {
  readonly name = 'Rprop';

  /**
   * @param params parameters, named parameters, or groups.
   * @param options hyperparameters (PyTorch 2.x defaults).
   */
  constructor(params: Params<RpropOptions>, options: Partial<RpropOptions> = {}) {
    super(params, { ...DEFAULTS, ...options });
  }

  protected validateGroup(g: ParamGroup<RpropOptions>): void {
    checkLr(g.lr);
    const [minus, plus] = g.etas;
    if (!(typeof minus === 'number' && typeof plus === 'number' && minus > 0 && minus < 1 && plus > 1)) {
      throw new OptimizerError(`Invalid eta values: ${pyRepr(minus)}, ${pyRepr(plus)}`);
    }
    const [lo, hi] = g.stepSizes;
    if (!(typeof lo === 'number' && typeof hi === 'number' && lo >= 0 && hi >= lo)) {
      throw new OptimizerError(`Invalid step_sizes: ${pyRepr(g.stepSizes)}`);
    }
    checkSwitches(g);
  }

  /**
   * sᵢ = sign(gₜ,ᵢ · gₜ₋₁,ᵢ); ηᵢ ← clamp(ηᵢ · (η+ if sᵢ > 0, η− if sᵢ < 0, else 1), Γmin, Γmax);
   * where sᵢ < 0 the gradient is taken as 0; θₜ ← θₜ₋₁ − sign(gₜ)·η; the (possibly zeroed) gₜ is kept as gₜ₋₁.
   */
  protected update(closure?: Closure): unknown {
    const loss = this.evaluate(closure);
    for (const group of this.paramGroups) {
      const { lr, maximize } = group;
      const etaMinus = group.etas[0];
      const etaPlus = group.etas[1];
      const minStep = group.stepSizes[0];
      const maxStep = group.stepSizes[1];
      for (const p of group.params) {
        if (p.grad === null) continue;
        const { x, xo, g, go, n } = arraysOf('Rprop', p);
        const s = this.stateOf(p);
        if (s.prev === undefined) {
          s.prev = zerosLikeParam(p);
          s.step_size = full([...p.data.shape], lr, { dtype: p.data.dtype });
        }
        incrementStep(s);
        const prev = arr(s.prev as Tensor);
        const size = arr(s.step_size as Tensor);
        const sign = maximize ? -1 : 1;
        for (let i = 0; i < n; i++) {
          let gi = sign * g[go + i]!;
          const prod = gi * prev[i]!;
          let eta = size[i]!;
          if (prod > 0) eta *= etaPlus;
          else if (prod < 0) eta *= etaMinus;
          eta = Math.min(Math.max(eta, minStep), maxStep);
          size[i] = eta;
          if (prod < 0) gi = 0;
          x[xo + i] = x[xo + i]! - Math.sign(gi) * size[i]!;
          prev[i] = gi;
        }
        touched(p);
      }
    }
    return loss;
  }
}
