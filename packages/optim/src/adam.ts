import { type AdamUpdate, type Tensor, UpdateBatch } from '@opt/tensor';
import {
  arr,
  arraysOf,
  type Floats,
  fusedKernels,
  incrementStep,
  touched,
  withWeightDecay,
  zerosLikeParam,
} from './kernel';
import { type Closure, Optimizer } from './optimizer';
import type { ParamGroup, ParamLike, Params } from './types';
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
  /**
   * The multi-tensor path: null (default) or true runs the float32 parameters of a group through
   * one fused WASM SIMD update (true throws where WebAssembly SIMD is missing); false runs the
   * per-parameter TypeScript loops, the reference the fused kernel is tested against.
   */
  foreach: boolean | null;
  /** Recorded PyTorch switch (default false). */
  capturable: boolean;
  /** PyTorch's autograd-through-the-step switch; must stay false here. */
  differentiable: boolean;
  /** PyTorch's fused-kernel switch (default null); true insists on the fused kernel, like `foreach: true`. */
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

  /** The tensors of one fused update, reused from step to step. */
  private readonly batch = new UpdateBatch();

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
      const fused = fusedKernels(this.name, group);
      const batch = this.batch;
      batch.clear();
      let batchStep = 0;
      for (const p of group.params) {
        if (p.grad === null) continue;
        const s = this.stateOf(p);
        if (s.exp_avg === undefined) {
          s.exp_avg = zerosLikeParam(p);
          s.exp_avg_sq = zerosLikeParam(p);
          if (group.amsgrad) s.max_exp_avg_sq = zerosLikeParam(p);
        }
        const t = incrementStep(s);
        // the states' elements from index 0 (a state set by hand may be a view with an offset)
        const m = arr(s.exp_avg as Tensor);
        const v = arr(s.exp_avg_sq as Tensor);
        const vmax = group.amsgrad ? arr(s.max_exp_avg_sq as Tensor) : null;
        if (fused === null || p.data.dtype !== 'float32' || !isF32(m) || !isF32(v) || !isF32(vmax)) {
          this.updateLoop(p, group, t, m, v, vmax);
          continue;
        }
        const { x, xo, g, go, n } = arraysOf(this.name, p);
        if (batch.size > 0 && t !== batchStep) {
          fused.adam(batch, adamUpdate(group, batchStep));
          batch.clear();
        }
        batchStep = t;
        if (vmax === null)
          batch.add(
            n,
            x as Float32Array,
            xo,
            g as Float32Array,
            go,
            m as Float32Array,
            0,
            v as Float32Array,
            0,
          );
        else
          batch.add(
            n,
            x as Float32Array,
            xo,
            g as Float32Array,
            go,
            m as Float32Array,
            0,
            v as Float32Array,
            0,
            vmax as Float32Array,
            0,
          );
        touched(p);
      }
      if (fused !== null && batch.size > 0) fused.adam(batch, adamUpdate(group, batchStep));
    }
    return loss;
  }

  /** The reference update of one parameter, a loop over its elements (`foreach: false`, float64). */
  private updateLoop(
    p: ParamLike,
    group: ParamGroup<AdamOptions>,
    t: number,
    m: Floats,
    v: Floats,
    vmax: Floats | null,
  ): void {
    const { lr, eps, weightDecay: wd, maximize, decoupledWeightDecay } = group;
    const b1 = group.betas[0];
    const b2 = group.betas[1];
    const { x, xo, g, go, n } = arraysOf(this.name, p);
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
      return;
    }
    for (let i = 0; i < n; i++) {
      let xi = x[xo + i]!;
      const gi = withWeightDecay(sign * g[go + i]!, l2, xi);
      if (decay !== 1) xi = x[xo + i] = xi * decay;
      m[i] = m[i]! + (gi - m[i]!) * (1 - b1);
      v[i] = v[i]! * b2 + (1 - b2) * gi * gi;
      let vi = v[i]!;
      if (vmax) {
        // torch.maximum: a NaN on either side wins
        if (vi > vmax[i]! || Number.isNaN(vi)) vmax[i] = vi;
        vi = vmax[i]!;
      }
      x[xo + i] = xi - (stepSize * m[i]!) / (Math.sqrt(vi) / bc2Sqrt + eps);
    }
    touched(p);
  }
}

/** Whether a state's elements (or their absence) can go through the float32 kernel. */
function isF32(u: Floats | null): boolean {
  return u === null || u instanceof Float32Array;
}

function adamUpdate(group: ParamGroup<AdamOptions>, step: number): AdamUpdate {
  const { lr, eps, weightDecay, amsgrad, maximize, decoupledWeightDecay } = group;
  const [beta1, beta2] = group.betas;
  return { lr, beta1, beta2, eps, weightDecay, decoupled: decoupledWeightDecay, amsgrad, maximize, step };
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
