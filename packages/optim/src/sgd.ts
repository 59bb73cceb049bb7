import { type SgdUpdate, type Tensor, UpdateBatch } from '@opt/tensor';
import { OptimizerError } from './errors';
import { arr, arraysOf, fusedKernels, touched, withWeightDecay, zerosLikeParam } from './kernel';
import { type Closure, Optimizer } from './optimizer';
import type { ParamGroup, ParamLike, Params } from './types';
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
  /**
   * The multi-tensor path: null (default) or true runs the float32 parameters of a group through
   * one fused WASM SIMD update (true throws where WebAssembly SIMD is missing); false runs the
   * per-parameter TypeScript loops, the reference the fused kernel is tested against.
   */
  foreach: boolean | null;
  /** PyTorch's autograd-through-the-step switch; must stay false here. */
  differentiable: boolean;
  /** PyTorch's fused-kernel switch (default null); true insists on the fused kernel, like `foreach: true`. */
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

  /** The tensors of one fused update, reused from step to step. */
  private readonly batch = new UpdateBatch();

  /**
   * gₜ ← ∇ (negated when maximizing) + λθ;
   * with momentum μ: bₜ ← μbₜ₋₁ + (1 − τ)gₜ (b₁ = g₁), gₜ ← gₜ + μbₜ (Nesterov) or bₜ;
   * θₜ ← θₜ₋₁ − γgₜ.
   */
  protected update(closure?: Closure): unknown {
    const loss = this.evaluate(closure);
    for (const group of this.paramGroups) {
      const fused = fusedKernels('SGD', group);
      const batch = this.batch;
      batch.clear();
      let batchFirst = false;
      for (const p of group.params) {
        if (p.grad === null) continue;
        const buffer = group.momentum === 0 ? null : this.bufferOf(p);
        const first = buffer?.created === true;
        const b = buffer === null ? null : arr(buffer.tensor);
        if (fused === null || p.data.dtype !== 'float32' || (b !== null && !(b instanceof Float32Array))) {
          this.updateLoop(p, group, first);
          continue;
        }
        const { x, xo, g, go, n } = arraysOf('SGD', p, 'densify');
        if (batch.size > 0 && first !== batchFirst) {
          fused.sgd(batch, sgdUpdate(group, batchFirst));
          batch.clear();
        }
        batchFirst = first;
        if (b === null) batch.add(n, x as Float32Array, xo, g as Float32Array, go);
        else batch.add(n, x as Float32Array, xo, g as Float32Array, go, b, 0); // b starts at the buffer's first element
        touched(p);
      }
      if (fused !== null && batch.size > 0) fused.sgd(batch, sgdUpdate(group, batchFirst));
    }
    return loss;
  }

  /** The momentum buffer of `p`, created (zeros) on its first step. */
  private bufferOf(p: ParamLike): { tensor: Tensor; created: boolean } {
    const s = this.stateOf(p);
    const created = s.momentum_buffer === undefined || s.momentum_buffer === null;
    if (created) s.momentum_buffer = zerosLikeParam(p);
    return { tensor: s.momentum_buffer as Tensor, created };
  }

  /** The reference update of one parameter, a loop over its elements (`foreach: false`, float64). */
  private updateLoop(p: ParamLike, group: ParamGroup<SGDOptions>, first: boolean): void {
    const { lr, momentum, dampening, weightDecay: wd, nesterov, maximize } = group;
    const { x, xo, g, go, n } = arraysOf('SGD', p, 'densify');
    const sign = maximize ? -1 : 1;
    if (momentum === 0) {
      for (let i = 0; i < n; i++) {
        const gi = withWeightDecay(sign * g[go + i]!, wd, x[xo + i]!);
        x[xo + i] = x[xo + i]! - lr * gi;
      }
      // PyTorch 2.x keeps no state without momentum (1.13 stored momentum_buffer: None)
      touched(p);
      return;
    }
    const b = arr(this.stateOf(p).momentum_buffer as Tensor);
    if (!first && !nesterov && wd === 0 && dampening === 0 && sign === 1) {
      // the common case, without per-element branches: b ← μb + g, θ ← θ − γb
      for (let i = 0; i < n; i++) {
        const bi = momentum * b[i]! + g[go + i]!;
        b[i] = bi;
        x[xo + i] = x[xo + i]! - lr * b[i]!;
      }
      touched(p);
      return;
    }
    for (let i = 0; i < n; i++) {
      const gi = withWeightDecay(sign * g[go + i]!, wd, x[xo + i]!);
      const bi = first ? gi : momentum * b[i]! + (1 - dampening) * gi;
      b[i] = bi;
      // read the stored (rounded) buffer, as PyTorch does
      const step = nesterov ? gi + momentum * b[i]! : b[i]!;
      x[xo + i] = x[xo + i]! - lr * step;
    }
    touched(p);
  }
}

function sgdUpdate(group: ParamGroup<SGDOptions>, first: boolean): SgdUpdate {
  const { lr, momentum, dampening, weightDecay, nesterov, maximize } = group;
  return { lr, momentum, dampening, weightDecay, nesterov, maximize, first };
}
