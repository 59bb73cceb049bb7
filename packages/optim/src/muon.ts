import type { Tensor } from '@opt/tensor';
import { OptimizerError } from './errors';
import { arr, arraysOf, touched, zerosLikeParam } from './kernel';
import { type Closure, Optimizer } from './optimizer';
import { pyRepr } from './python-repr';
import type { ParamGroup, Params } from './types';
import { checkBool } from './validate';

/**
 * How {@link Muon} scales the learning rate by the matrix shape [A, B]:
 * `'original'` by √max(1, A/B), `'match_rms_adamw'` by 0.2·√max(A, B).
 *
 * @example
 * ```ts
 * const fn: MuonAdjustLr = 'match_rms_adamw';
 * new Muon(weights, { lr: 3e-4, adjustLrFn: fn });
 * ```
 */
export type MuonAdjustLr = 'original' | 'match_rms_adamw';

/**
 * Options of {@link Muon} (PyTorch 2.x's `torch.optim.Muon`).
 *
 * @example
 * ```ts
 * const o: MuonOptions = {
 *   lr: 1e-3, weightDecay: 0.1, momentum: 0.95, nesterov: true,
 *   nsCoefficients: [3.4445, -4.775, 2.0315], eps: 1e-7, nsSteps: 5, adjustLrFn: null, useAddmm: false,
 * };
 * ```
 */
export interface MuonOptions {
  /** Learning rate before the shape adjustment; also scales the weight decay (default 1e-3). */
  lr: number;
  /** Decoupled weight decay, θ ← θ(1 − γλ) (default 0.1). */
  weightDecay: number;
  /** μ: the momentum buffer is an average, B ← μB + (1 − μ)g (default 0.95). */
  momentum: number;
  /** Orthogonalize g + μ(B − g) instead of B (default true). */
  nesterov: boolean;
  /** (a, b, c) of the quintic Newton–Schulz step X ← aX + (bA + cA²)X, A = XXᵀ (default Keller Jordan's [3.4445, -4.775, 2.0315]). */
  nsCoefficients: [number, number, number];
  /** Lower bound of the Frobenius norm the input is divided by (default 1e-7). */
  eps: number;
  /** Newton–Schulz iterations, an integer in [0, 100) (default 5). */
  nsSteps: number;
  /**
   * Learning-rate scaling for a [A, B] matrix: `'original'` (or null) √max(1, A/B) (Keller Jordan),
   * `'match_rms_adamw'` 0.2·√max(A, B) (Moonshot; reuses AdamW's lr and weight decay) (default null).
   */
  adjustLrFn: MuonAdjustLr | null;
  /** Fuse bA + cA·A and aX + B·X as PyTorch's `addmm` does (one bfloat16 rounding each instead of three) (default false). */
  useAddmm: boolean;
}

const DEFAULTS: MuonOptions = {
  lr: 1e-3,
  weightDecay: 0.1,
  momentum: 0.95,
  nesterov: true,
  nsCoefficients: [3.4445, -4.775, 2.0315],
  eps: 1e-7,
  nsSteps: 5,
  adjustLrFn: null,
  useAddmm: false,
};

// bfloat16 rounding through one reused float32 cell: no allocation per element
const cell = new Float32Array(1);
const bits = new Uint32Array(cell.buffer);

/** `v` rounded to float32, then to bfloat16 (nearest, ties to even), as PyTorch converts; NaN stays NaN. */
function bf16(v: number): number {
  cell[0] = v;
  const u = bits[0]!;
  if ((u & 0x7fffffff) > 0x7f800000) return v;
  bits[0] = (u + 0x7fff + ((u >>> 16) & 1)) & 0xffff0000;
  return cell[0]!;
}

/**
 * out [m×p] = bf16(P·Q) for row-major P [m×k] and Q [k×p] (with `gram`: Q = Pᵀ, p = m), summed in
 * float64 (exact for bfloat16 inputs of modest size) and rounded once, as PyTorch 2.x's
 * float32-accumulating bfloat16 GEMM does.
 */
function matmulBf16(
  P: Float64Array,
  Q: Float64Array,
  out: Float64Array,
  m: number,
  k: number,
  p: number,
  gram: boolean,
): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < p; j++) {
      let acc = 0;
      if (gram) for (let t = 0; t < k; t++) acc += P[i * k + t]! * P[j * k + t]!;
      else for (let t = 0; t < k; t++) acc += P[i * k + t]! * Q[t * p + j]!;
      out[i * p + j] = bf16(acc);
    }
  }
}

/**
 * Muon (Keller Jordan, 2024, "Muon: An optimizer for hidden layers in neural
 * networks"; Liu et al., 2025, "Muon is Scalable for LLM Training"), like
 * PyTorch 2.x's `torch.optim.Muon`: SGD momentum whose update is
 * orthogonalized by a few Newton–Schulz iterations run in bfloat16 (every
 * bfloat16 op computed in float32 and rounded once, as PyTorch 2.x does on
 * CPU). Only 2-D parameters (weight matrices): optimize biases, norms and
 * embeddings with AdamW. State key: `momentum_buffer`.
 *
 * @example
 * ```ts
 * const muon = new Muon([fc1.weight, fc2.weight], { lr: 0.02 });
 * const adamw = new AdamW([fc1.bias, fc2.bias], { lr: 3e-4 });
 * ```
 */
export class Muon extends Optimizer<MuonOptions> {
  readonly name = 'Muon';

  /**
   * @param params 2-D parameters, named parameters, or groups.
   * @param options hyperparameters (PyTorch 2.x defaults).
   */
  constructor(params: Params<MuonOptions>, options: Partial<MuonOptions> = {}) {
    super(params, { ...DEFAULTS, ...options });
  }

  protected validateGroup(g: ParamGroup<MuonOptions>): void {
    const bad = (what: string, v: unknown) => new OptimizerError(`Muon: ${what} but is: ${pyRepr(v)}`);
    if (typeof g.lr !== 'number' || !(g.lr >= 0)) throw bad('Learning rate should be >= 0', g.lr);
    if (typeof g.momentum !== 'number' || !(g.momentum >= 0))
      throw bad('momentum should be >= 0', g.momentum);
    if (typeof g.weightDecay !== 'number' || !(g.weightDecay >= 0))
      throw bad('weight decay should be >= 0', g.weightDecay);
    if (typeof g.eps !== 'number' || !(g.eps >= 0)) throw bad('eps should be >= 0', g.eps);
    if (g.adjustLrFn !== null && g.adjustLrFn !== 'original' && g.adjustLrFn !== 'match_rms_adamw') {
      throw new OptimizerError(
        `Muon: Adjust learning rate function ${pyRepr(g.adjustLrFn)} is not supported (expected null, 'original' or 'match_rms_adamw')`,
      );
    }
    if (!Number.isInteger(g.nsSteps) || g.nsSteps < 0 || g.nsSteps >= 100) {
      throw new OptimizerError(
        `Muon: nsSteps must be an integer in [0, 100) (fewer than 100 for computational efficiency); got ${pyRepr(g.nsSteps)}`,
      );
    }
    const c = g.nsCoefficients;
    if (!Array.isArray(c) || c.length !== 3 || c.some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
      throw new OptimizerError(
        `Muon: nsCoefficients must be exactly 3 finite numbers (a, b, c); got ${pyRepr(c)}`,
      );
    }
    checkBool('nesterov', g.nesterov);
    checkBool('useAddmm', g.useAddmm);
    for (const [i, p] of g.params.entries()) {
      if (p.data.ndim !== 2) {
        throw new OptimizerError(
          `Muon only supports 2-D parameters (matrices), but parameter ${i} of the group has shape [${p.data.shape.join(', ')}]; optimize it with AdamW in a separate optimizer`,
        );
      }
    }
  }

  /**
   * B ← lerp(B, g, 1 − μ) = μB + (1 − μ)g;  B̃ = nesterov ? lerp(g, B, μ) : B;
   * O = NS_k^(a,b,c)(B̃; ε): X = bf16(B̃) (transposed when taller than wide), X ← X / max(‖X‖_F, ε),
   *   k times: A = XXᵀ, X ← aX + (bA + cA·A)X  (each op rounded to bfloat16; transposed back);
   * θ ← θ(1 − γλ);  θ ← θ − γ′O,  γ′ = γ√max(1, A/B) ('original') or 0.2γ√max(A, B) ('match_rms_adamw').
   */
  protected update(closure?: Closure): unknown {
    const loss = this.evaluate(closure);
    for (const group of this.paramGroups) {
      const { lr, weightDecay: wd, momentum, nesterov, eps, nsSteps, adjustLrFn, useAddmm } = group;
      const [a, b, c] = group.nsCoefficients;
      for (const p of group.params) {
        if (p.grad === null) continue;
        const { x, xo, g, go, n } = arraysOf('Muon', p);
        const [A, B] = p.data.shape as [number, number];
        const s = this.stateOf(p);
        if (s.momentum_buffer === undefined) s.momentum_buffer = zerosLikeParam(p);
        const buf = arr(s.momentum_buffer as Tensor);
        // lerp in float32 as PyTorch computes it (weight < 0.5: s + w(e − s); else e − (e − s)(1 − w))
        const w = Math.fround(1 - momentum);
        const mu = Math.fround(momentum);
        const tall = A > B;
        const rows = tall ? B : A;
        const cols = tall ? A : B;
        const X = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          const gi = g[go + i]!;
          buf[i] =
            w < 0.5
              ? Math.fround(buf[i]! + Math.fround(w * Math.fround(gi - buf[i]!)))
              : Math.fround(gi - Math.fround(Math.fround(gi - buf[i]!) * Math.fround(1 - w)));
          const bi = buf[i]!;
          const u = !nesterov
            ? bi
            : mu < 0.5
              ? Math.fround(gi + Math.fround(mu * Math.fround(bi - gi)))
              : Math.fround(bi - Math.fround(Math.fround(bi - gi) * Math.fround(1 - mu)));
          // X is the (transposed when tall) bfloat16 copy, row-major [rows × cols]
          const r = Math.floor(i / B);
          const col = i - r * B;
          X[tall ? col * cols + r : i] = bf16(u);
        }
        const O = newtonSchulz(X, rows, cols, a, b, c, nsSteps, eps, useAddmm);
        const ratio =
          adjustLrFn === 'match_rms_adamw' ? 0.2 * Math.sqrt(Math.max(A, B)) : Math.sqrt(Math.max(1, A / B));
        const step = Math.fround(-lr * ratio);
        const decay = Math.fround(1 - lr * wd);
        for (let i = 0; i < n; i++) {
          const r = Math.floor(i / B);
          const col = i - r * B;
          const o = O[tall ? col * cols + r : i]!;
          x[xo + i] = Math.fround(x[xo + i]! * decay) + step * o;
        }
        touched(p);
      }
    }
    return loss;
  }
}

/** k Newton–Schulz iterations on X [rows × cols] (rows ≤ cols) holding bfloat16 values; returns the result. */
function newtonSchulz(
  X0: Float64Array,
  rows: number,
  cols: number,
  a: number,
  b: number,
  c: number,
  steps: number,
  eps: number,
  useAddmm: boolean,
): Float64Array {
  let X: Float64Array = X0;
  const n = rows * cols;
  let sq = 0;
  for (let i = 0; i < n; i++) sq += X[i]! * X[i]!;
  // bfloat16 norm (float accumulation, one rounding), clamp to eps, then the division, each rounded
  const norm = bf16(Math.max(bf16(Math.sqrt(sq)), Math.fround(eps)));
  for (let i = 0; i < n; i++) X[i] = bf16(X[i]! / norm);
  const fa = Math.fround(a);
  const fb = Math.fround(b);
  const fc = Math.fround(c);
  const G = new Float64Array(rows * rows);
  const U = new Float64Array(rows * rows);
  const S = new Float64Array(rows * rows);
  let Y: Float64Array = new Float64Array(n);
  for (let k = 0; k < steps; k++) {
    matmulBf16(X, X, G, rows, cols, rows, true);
    if (useAddmm) {
      // U = bf16(b·G + c·G·G);  Y = bf16(a·X + U·X)
      for (let i = 0; i < rows; i++) {
        for (let j = 0; j < rows; j++) {
          let acc = 0;
          for (let t = 0; t < rows; t++) acc += G[i * rows + t]! * G[t * rows + j]!;
          U[i * rows + j] = bf16(fb * G[i * rows + j]! + fc * acc);
        }
      }
      for (let i = 0; i < rows; i++) {
        for (let j = 0; j < cols; j++) {
          let acc = 0;
          for (let t = 0; t < rows; t++) acc += U[i * rows + t]! * X[t * cols + j]!;
          Y[i * cols + j] = bf16(fa * X[i * cols + j]! + acc);
        }
      }
    } else {
      // U = bf16(bf16(b·G) + bf16(bf16(c·G)·G));  Y = bf16(bf16(a·X) + bf16(U·X))
      for (let i = 0; i < rows * rows; i++) S[i] = bf16(fc * G[i]!);
      matmulBf16(S, G, U, rows, rows, rows, false);
      for (let i = 0; i < rows * rows; i++) U[i] = bf16(bf16(fb * G[i]!) + U[i]!);
      matmulBf16(U, X, Y, rows, rows, cols, false);
      for (let i = 0; i < n; i++) Y[i] = bf16(bf16(fa * X[i]!) + Y[i]!);
    }
    const t = X;
    X = Y;
    Y = t;
  }
  return X;
}
