import type { SparseCooTensor, Tensor } from '@opt/tensor';
import { OptimizerError } from './errors';
import { arr, checkContiguousParam, touched, zerosLikeParam } from './kernel';
import { type Closure, Optimizer } from './optimizer';
import type { ParamGroup, Params } from './types';
import { checkBetas, checkEps, checkLr } from './validate';

/**
 * Options of {@link SparseAdam}.
 *
 * @example
 * ```ts
 * const o: SparseAdamOptions = { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, maximize: false };
 * ```
 */
export interface SparseAdamOptions {
  /** Learning rate (default 1e-3). */
  lr: number;
  /** Decay rates of the moment averages (default [0.9, 0.999]). */
  betas: [number, number];
  /** Added to the denominator (default 1e-8). */
  eps: number;
  /** Maximize the objective (default false). */
  maximize: boolean;
}

const DEFAULTS: SparseAdamOptions = { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, maximize: false };

/**
 * SparseAdam, like `torch.optim.SparseAdam`: Adam for sparse gradients
 * (`Embedding({ sparse: true })`), updating only the rows a step touched;
 * dense gradients are refused with PyTorch's message.
 *
 * @example
 * ```ts
 * const emb = new Embedding(10000, 64, { sparse: true });
 * const optimizer = new SparseAdam(emb.parameters(), { lr: 1e-3 });
 * ```
 */
export class SparseAdam extends Optimizer<SparseAdamOptions> {
  readonly name = 'SparseAdam';

  /**
   * @param params parameters, named parameters, or groups.
   * @param options hyperparameters (PyTorch's defaults).
   */
  constructor(params: Params<SparseAdamOptions>, options: Partial<SparseAdamOptions> = {}) {
    super(params, { ...DEFAULTS, ...options });
  }

  protected validateGroup(g: ParamGroup<SparseAdamOptions>): void {
    checkLr(g.lr);
    checkEps(g.eps);
    checkBetas(g.betas);
  }

  /**
   * For the rows r touched (gradient coalesced, duplicates summed):
   * m_r ← m_r + (1 − β₁)(g_r − m_r);  v_r ← v_r + (1 − β₂)(g_r² − v_r);
   * θ_r ← θ_r − γ·√(1 − β₂ᵗ)/(1 − β₁ᵗ) · m_r/(√v_r + ε). Other rows keep θ, m, v.
   */
  protected update(closure?: Closure): unknown {
    const loss = this.evaluate(closure);
    for (const group of this.paramGroups) {
      const { lr, eps, maximize } = group;
      const b1 = group.betas[0];
      const b2 = group.betas[1];
      for (const p of group.params) {
        if (p.grad === null) continue;
        if (!p.grad.isSparse)
          throw new OptimizerError(
            'SparseAdam does not support dense gradients, please consider Adam instead',
          );
        const s = this.stateOf(p);
        if (s.exp_avg === undefined) {
          s.step = 0;
          s.exp_avg = zerosLikeParam(p);
          s.exp_avg_sq = zerosLikeParam(p);
        }
        // PyTorch keeps SparseAdam's step as a Python int; a loaded state may bring it as a 0-dim tensor
        const prev = typeof s.step === 'number' ? s.step : (s.step as Tensor).item();
        const step = prev + 1;
        s.step = step;
        const grad = (p.grad as SparseCooTensor).coalesce();
        const idx = grad.indices().toTypedArray();
        const vals = grad.sparseValues().contiguous();
        const gv = vals.values;
        const nnz = grad.nnz;
        if (nnz === 0) continue;
        const sparseDims = grad.indices().shape[0]!;
        const slice = vals.numel / nnz;
        checkContiguousParam('SparseAdam', p.data);
        const x = p.data.values;
        const m = arr(s.exp_avg as Tensor);
        const v = arr(s.exp_avg_sq as Tensor);
        const stepSize = (lr * Math.sqrt(1 - b2 ** step)) / (1 - b1 ** step);
        const sign = maximize ? -1 : 1;
        for (let j = 0; j < nnz; j++) {
          let row = 0;
          for (let dd = 0; dd < sparseDims; dd++) row = row * p.data.shape[dd]! + idx[dd * nnz + j]!;
          const base = row * slice;
          for (let e = 0; e < slice; e++) {
            const gi = sign * gv[vals.offset + j * slice + e]!;
            const k = base + e;
            const mNew = m[k]! + (gi - m[k]!) * (1 - b1);
            const vNew = v[k]! + (gi * gi - v[k]!) * (1 - b2);
            m[k] = mNew;
            v[k] = vNew;
            x[p.data.offset + k] = x[p.data.offset + k]! - (stepSize * mNew) / (Math.sqrt(vNew) + eps);
          }
        }
        touched(p);
      }
    }
    return loss;
  }
}
