import { OptimizerError } from './errors';
import { arr, arraysOf, touched } from './kernel';
import { type Closure, Optimizer } from './optimizer';
import type { ParamGroup, Params } from './types';
import { checkLr, checkMomentum, checkSwitches, checkWeightDecay } from './validate';

/**
 * Options of {@link SGD} (PyTorch's names in camelCase).
 *
 * @example
 * ```ts
 * const o: SGDOptions = { lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 5e-4 };
 * ```
 */
export interface SGDOptions {
  /** Learning rate (default 1e-3). */
  lr: number;
  /** Momentum factor (default 0). */
  momentum: number;
  /** Dampening for momentum (default 0). */
  dampening: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** Nesterov momentum (default false; needs momentum > 0 and dampening 0). */
  nesterov: boolean;
  /** Maximize the objective instead of minimizing (default false). */
  maximize: boolean;
  /** PyTorch's multi-tensor switch, recorded for state-dict compatibility (default null). */
  foreach: boolean | null;
  /** PyTorch's autograd-through-the-step switch; must stay false here. */
  differentiable: boolean;
  /** PyTorch's fused-kernel switch, recorded (default null). */
  fused: boolean | null;
}

const DEFAULTS: SGDOptions = {
  lr: 1e-3,
  momentum: 0,
  dampening: 0,
  weightDecay: 0,
  nesterov: false,
  maximize: false,
  foreach: null,
  differentiable: false,
  fused: null,
};

/**
 * Stochastic gradient descent with optional momentum, like `torch.optim.SGD`.
 * A sparse gradient (`Embedding({ sparse: true })`) is applied as its dense
 * equivalent, which gives PyTorch's numbers.
 *
 * @example
 * ```ts
 * const optimizer = new SGD(net.parameters(), { lr: 0.1, momentum: 0.9 });
 * optimizer.zeroGrad(); loss.backward(); optimizer.step();
 * ```
 */
export class SGD extends Optimizer<SGDOptions> {
  readonly name = 'SGD';

  /**
   * @param params parameters, named parameters, or groups.
   * @param options hyperparameters (defaults in PyTorch 2.x: lr 1e-3, momentum 0, …).
   */
  constructor(params: Params<SGDOptions>, options: Partial<SGDOptions> = {}) {
    super(params, { ...DEFAULTS, ...options });
  }

  protected validateGroup(g: ParamGroup<SGDOptions>): void {
    checkLr(g.lr);
    checkMomentum(g.momentum);
    checkWeightDecay(g.weightDecay);
    checkSwitches(g);
    if (g.nesterov && (g.momentum <= 0 || g.dampening !== 0)) {
      throw new OptimizerError('Nesterov momentum requires a momentum and zero dampening');
    }
  }

  /**
   * gₜ ← ∇ (negated when maximizing) + λθ;
   * with momentum μ: bₜ ← μbₜ₋₁ + (1 − τ)gₜ (b₁ = g₁), gₜ ← gₜ + μbₜ (Nesterov) or bₜ;
   * θₜ ← θₜ₋₁ − γgₜ.
   */
  protected update(closure?: Closure): unknown {
    const loss = this.evaluate(closure);
    for (const group of this.paramGroups) {
      const { lr, momentum, dampening, weightDecay: wd, nesterov, maximize } = group;
      for (const p of group.params) {
        if (p.grad === null) continue;
        const { x, xo, g, go, n } = arraysOf('SGD', p, 'densify');
        const sign = maximize ? -1 : 1;
        if (momentum === 0) {
          for (let i = 0; i < n; i++) x[xo + i] = x[xo + i]! - lr * (sign * g[go + i]! + wd * x[xo + i]!);
          // PyTorch 2.x keeps no state without momentum (1.13 stored momentum_buffer: None)
        } else {
          const s = this.stateOf(p);
          const first = s.momentum_buffer === undefined || s.momentum_buffer === null;
          if (first) s.momentum_buffer = p.data.clone().zero_();
          const b = arr(s.momentum_buffer as typeof p.data);
          if (!first && !nesterov && wd === 0 && dampening === 0 && sign === 1) {
            // the common case, without per-element branches: b ← μb + g, θ ← θ − γb
            for (let i = 0; i < n; i++) {
              const bi = momentum * b[i]! + g[go + i]!;
              b[i] = bi;
              x[xo + i] = x[xo + i]! - lr * b[i]!;
            }
            touched(p);
            continue;
          }
          for (let i = 0; i < n; i++) {
            const gi = sign * g[go + i]! + wd * x[xo + i]!;
            const bi = first ? gi : momentum * b[i]! + (1 - dampening) * gi;
            b[i] = bi;
            // read the stored (rounded) buffer, as PyTorch does
            const step = nesterov ? gi + momentum * b[i]! : b[i]!;
            x[xo + i] = x[xo + i]! - lr * step;
          }
        }
        touched(p);
      }
    }
    return loss;
  }
}
