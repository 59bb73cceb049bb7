import { type Tensor, zeros } from '@opt/tensor';
import { OptimizerError } from './errors';
import { arr, arraysOf, incrementStep, touched, zerosLikeParam } from './kernel';
import { type Closure, Optimizer } from './optimizer';
import { pyRepr } from './python-repr';
import type { ParamGroup, ParamLike, Params } from './types';
import { checkSwitches } from './validate';

/**
 * Options of {@link Adafactor} (PyTorch 2.x's `torch.optim.Adafactor`).
 *
 * @example
 * ```ts
 * const o: AdafactorOptions = { lr: 1e-2, beta2Decay: -0.8, eps: [null, 1e-3], d: 1, weightDecay: 0 };
 * ```
 */
export interface AdafactorOptions {
  /** Upper bound of the relative step size ρₜ = min(lr, 1/√t), and the decoupled weight decay's scale (default 1e-2). */
  lr: number;
  /** τ ≤ 0: the second-moment average weighs the new squared gradient by t^τ (default -0.8). */
  beta2Decay: number;
  /**
   * The pair (ε₁, ε₂): ε₁ floors the variance estimate (squared) and the row-factor mean, `null` meaning the
   * parameter dtype's machine epsilon; ε₂ floors the parameter RMS that scales the step (default [null, 1e-3]).
   */
  eps: [number | null, number];
  /** Update clipping threshold: the update is divided by max(1, RMS(U)/d) (default 1). */
  d: number;
  /** Decoupled weight decay, θ ← θ(1 − γλ) (default 0). */
  weightDecay: number;
  /** Recorded PyTorch switch (default null). */
  foreach: boolean | null;
  /** Maximize the objective (default false). */
  maximize: boolean;
}

const DEFAULTS: AdafactorOptions = {
  lr: 1e-2,
  beta2Decay: -0.8,
  eps: [null, 1e-3],
  d: 1,
  weightDecay: 0,
  foreach: null,
  maximize: false,
};

const MACHINE_EPS = { float32: 2 ** -23, float64: 2 ** -52 } as const;

/**
 * Adafactor (Shazeer & Stern, 2018, "Adaptive Learning Rates with Sublinear
 * Memory Cost"), like PyTorch 2.x's `torch.optim.Adafactor`: for a parameter
 * of two or more dimensions the second moment is kept as a row factor
 * (`row_var`, last dimension reduced) and a column factor (`col_var`,
 * second-to-last reduced), so a [n, m] matrix needs n + m numbers of state;
 * vectors keep a full `variance`. Steps are relative to the parameter's RMS
 * and clipped by `d`. State keys: `step`, `row_var`, `col_var` / `variance`.
 *
 * @example
 * ```ts
 * const optimizer = new Adafactor(net.parameters(), { lr: 1e-2 });
 * ```
 */
export class Adafactor extends Optimizer<AdafactorOptions> {
  readonly name = 'Adafactor';
  protected override readonly floatDefaults = ['d', 'weightDecay'];

  /**
   * @param params parameters, named parameters, or groups.
   * @param options hyperparameters (PyTorch 2.x defaults).
   */
  constructor(params: Params<AdafactorOptions>, options: Partial<AdafactorOptions> = {}) {
    super(params, { ...DEFAULTS, ...options });
  }

  protected validateGroup(g: ParamGroup<AdafactorOptions>): void {
    const bad = (what: string, v: unknown) => new OptimizerError(`Adafactor: ${what} but is: ${pyRepr(v)}`);
    if (typeof g.lr !== 'number' || !(g.lr >= 0)) throw bad('Learning rate should be >= 0', g.lr);
    if (typeof g.beta2Decay !== 'number' || !(g.beta2Decay <= 0))
      throw bad('beta2_decay should be <= 0', g.beta2Decay);
    if (!Array.isArray(g.eps) || g.eps.length !== 2) {
      throw new OptimizerError(
        `Adafactor: eps should be a pair [epsilon1 (number or null), epsilon2]; got ${pyRepr(g.eps)}`,
      );
    }
    const [e1, e2] = g.eps;
    if (e1 !== null && (typeof e1 !== 'number' || !(e1 >= 0))) throw bad('epsilon1 should be >= 0', e1);
    if (typeof e2 !== 'number' || !(e2 >= 0)) throw bad('epsilon2 should be >= 0', e2);
    if (typeof g.d !== 'number' || !(g.d >= 1)) throw bad('Clipping threshold d should be >= 1', g.d);
    if (typeof g.weightDecay !== 'number' || !(g.weightDecay >= 0))
      throw bad('weight_decay should be >= 0', g.weightDecay);
    checkSwitches(g);
  }

  /** `row_var`/`col_var` are the parameter's shape with the last / second-to-last dimension 1. */
  protected override checkLoadedState(key: string, value: Tensor, param: ParamLike, where: string): void {
    const shape = [...param.data.shape];
    const k = shape.length;
    if (key === 'row_var' && k >= 2) shape[k - 1] = 1;
    else if (key === 'col_var' && k >= 2) shape[k - 2] = 1;
    else if (key !== 'variance') return;
    const a = value.shape;
    if (a.length !== shape.length || a.some((d, i) => d !== shape[i])) {
      throw new OptimizerError(
        `loadStateDict: Adafactor state '${key}' of ${where} has shape [${a.join(', ')}]; expected [${shape.join(', ')}] for a parameter of shape [${param.data.shape.join(', ')}]`,
      );
    }
  }

  /**
   * t ← t + 1;  β̂ = 1 − t^τ;  ρ = min(γ, 1/√t);  α = max(ε₂, RMS(θ))·ρ;  θ ← θ(1 − γλ);
   * G = ±∇ (− when maximizing);
   * ≥ 2-D (over the last two dims [n, m]): R ← lerp(R, mean_j G², 1 − β̂), C ← lerp(C, mean_i G², 1 − β̂),
   *   V̂ = R·C / max(mean_i R, ε₁);   1-D: V̂ ← lerp(V̂, G², 1 − β̂);
   * U = G / √max(V̂, ε₁²);  θ ← θ − α·U / max(1, RMS(U)/d).
   * ε₁ = null is the parameter dtype's machine epsilon, fixed for the rest of the group by its first
   * parameter with a gradient (as in PyTorch, where the loop variable is rebound).
   */
  protected update(closure?: Closure): unknown {
    const loss = this.evaluate(closure);
    for (const group of this.paramGroups) {
      const { lr, beta2Decay, d, weightDecay: wd, maximize } = group;
      let eps1 = group.eps[0];
      const eps2 = group.eps[1];
      const sign = maximize ? -1 : 1;
      for (const p of group.params) {
        if (p.grad === null) continue;
        const { x, xo, g, go, n } = arraysOf('Adafactor', p);
        const s = this.stateOf(p);
        const shape = p.data.shape;
        const k = shape.length;
        const factored = k > 1;
        if (s.step === undefined) {
          s.step = zeros([]);
          if (factored) {
            s.row_var = zeros([...shape.slice(0, -1), 1], { dtype: p.data.dtype });
            s.col_var = zeros([...shape.slice(0, -2), 1, shape[k - 1]!], { dtype: p.data.dtype });
          } else s.variance = zerosLikeParam(p);
        }
        if (eps1 === null) eps1 = MACHINE_EPS[p.data.dtype as 'float32' | 'float64'];
        const t = incrementStep(s);
        const w = t ** beta2Decay;
        const rho = Math.min(lr, 1 / Math.sqrt(t));
        let sq = 0;
        for (let i = 0; i < n; i++) sq += x[xo + i]! * x[xo + i]!;
        const alpha = Math.max(eps2, Math.sqrt(sq) / Math.sqrt(n)) * rho;
        if (wd !== 0) {
          const decay = 1 - lr * wd;
          for (let i = 0; i < n; i++) x[xo + i] = x[xo + i]! * decay;
        }
        const floor = eps1 * eps1;
        // RMS(U) first (U is recomputed, not stored), then the update
        let uu = 0;
        if (factored) {
          const rows = shape[k - 2]!;
          const cols = shape[k - 1]!;
          const R = arr(s.row_var as Tensor);
          const C = arr(s.col_var as Tensor);
          const batches = n / (rows * cols);
          for (let b = 0; b < batches; b++) {
            const base = go + b * rows * cols;
            for (let i = 0; i < rows; i++) {
              let acc = 0;
              for (let j = 0; j < cols; j++) acc += g[base + i * cols + j]! ** 2;
              const r = b * rows + i;
              R[r] = R[r]! + w * (acc / cols - R[r]!);
            }
            for (let j = 0; j < cols; j++) {
              let acc = 0;
              for (let i = 0; i < rows; i++) acc += g[base + i * cols + j]! ** 2;
              const c = b * cols + j;
              C[c] = C[c]! + w * (acc / rows - C[c]!);
            }
          }
          for (let pass = 0; pass < 2; pass++) {
            const step = pass === 0 ? 0 : -alpha / Math.max(1, Math.sqrt(uu / n) / d);
            for (let b = 0; b < batches; b++) {
              let rsum = 0;
              for (let i = 0; i < rows; i++) rsum += R[b * rows + i]!;
              const rmean = Math.max(rsum / rows, eps1);
              for (let i = 0; i < rows; i++) {
                const ri = R[b * rows + i]! / rmean;
                const at = b * rows * cols + i * cols;
                for (let j = 0; j < cols; j++) {
                  const u = (sign * g[go + at + j]!) / Math.sqrt(Math.max(ri * C[b * cols + j]!, floor));
                  if (pass === 0) uu += u * u;
                  else x[xo + at + j] = x[xo + at + j]! + step * u;
                }
              }
            }
          }
        } else {
          const V = arr(s.variance as Tensor);
          for (let i = 0; i < n; i++) {
            const gi = g[go + i]!;
            V[i] = V[i]! + w * (gi * gi - V[i]!);
            const u = gi / Math.sqrt(Math.max(V[i]!, floor));
            uu += u * u;
          }
          const step = (-sign * alpha) / Math.max(1, Math.sqrt(uu / n) / d);
          for (let i = 0; i < n; i++)
            x[xo + i] = x[xo + i]! + (step * g[go + i]!) / Math.sqrt(Math.max(V[i]!, floor));
        }
        touched(p);
      }
    }
    return loss;
  }
}
