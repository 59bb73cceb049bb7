import { fromTypedArray, type Tensor } from '@opt/tensor';
import { OptimizerError } from './errors';
import { type Closure, Optimizer } from './optimizer';
import { pyRepr } from './python-repr';
import type { ParamGroup, ParamLike, Params } from './types';
import { checkLr } from './validate';

/**
 * Options of {@link LBFGS}.
 *
 * @example
 * ```ts
 * const o: LBFGSOptions = { lr: 1, maxIter: 20, historySize: 100, lineSearchFn: 'strong_wolfe' };
 * ```
 */
export interface LBFGSOptions {
  /** Step length (default 1). */
  lr: number;
  /** Iterations per `step()` (default 20). */
  maxIter: number;
  /** Function evaluations per `step()` (default ⌊maxIter · 5/4⌋; null means that). */
  maxEval: number | null;
  /** Stop when every |gradient| is at most this (default 1e-7). */
  toleranceGrad: number;
  /** Stop when the step or the loss changes by less (default 1e-9). */
  toleranceChange: number;
  /** Number of curvature pairs remembered (default 100). */
  historySize: number;
  /** `'strong_wolfe'` for the strong-Wolfe line search, or null for a fixed step (default null). */
  lineSearchFn: 'strong_wolfe' | null;
}

const DEFAULTS: LBFGSOptions = {
  lr: 1,
  maxIter: 20,
  maxEval: null,
  toleranceGrad: 1e-7,
  toleranceChange: 1e-9,
  historySize: 100,
  lineSearchFn: null,
};

type Vec = Float64Array;

function dot(a: Vec, b: Vec): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function absMax(a: Vec): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}

function toNumber(v: unknown, what: string): number {
  if (typeof v === 'number') return v;
  if (
    v !== null &&
    typeof v === 'object' &&
    'item' in v &&
    typeof (v as { item: unknown }).item === 'function'
  ) {
    return (v as { item(): number }).item();
  }
  throw new OptimizerError(
    `LBFGS: the closure must return the loss (a number or a one-element tensor); got ${pyRepr(v)}`,
  );
}

/** The minimiser of the cubic through (x1, f1, g1) and (x2, f2, g2), clamped to `bounds` (PyTorch's `_cubic_interpolate`). */
function cubicInterpolate(
  x1: number,
  f1: number,
  g1: number,
  x2: number,
  f2: number,
  g2: number,
  bounds?: [number, number],
): number {
  const [lo, hi] = bounds ?? (x1 <= x2 ? [x1, x2] : [x2, x1]);
  const d1 = g1 + g2 - (3 * (f1 - f2)) / (x1 - x2);
  const d2sq = d1 * d1 - g1 * g2;
  if (d2sq >= 0) {
    const d2 = Math.sqrt(d2sq);
    const minPos =
      x1 <= x2
        ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
        : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
    return Math.min(Math.max(minPos, lo), hi);
  }
  return (lo + hi) / 2;
}

/**
 * L-BFGS, like `torch.optim.LBFGS` (one parameter group; a closure that
 * re-evaluates the loss is required). Its state lives on the first
 * parameter under PyTorch's keys (`func_evals`, `n_iter`, `d`, `t`,
 * `old_dirs`, `old_stps`, `ro`, `H_diag`, `prev_flat_grad`, `prev_loss`, `al`).
 *
 * @example
 * ```ts
 * const optimizer = new LBFGS([x], { lineSearchFn: 'strong_wolfe' });
 * optimizer.step(() => { optimizer.zeroGrad(); const loss = f(x); loss.backward(); return loss; });
 * ```
 */
export class LBFGS extends Optimizer<LBFGSOptions> {
  readonly name = 'LBFGS';

  /**
   * @param params parameters (a single group).
   * @param options hyperparameters (PyTorch's defaults).
   */
  constructor(params: Params<LBFGSOptions>, options: Partial<LBFGSOptions> = {}) {
    const o = { ...DEFAULTS, ...options };
    if (o.maxEval === null || o.maxEval === undefined) o.maxEval = Math.floor((o.maxIter * 5) / 4);
    super(params, o);
    if (this.paramGroups.length !== 1) {
      throw new OptimizerError("LBFGS doesn't support per-parameter options (parameter groups)");
    }
  }

  protected validateGroup(g: ParamGroup<LBFGSOptions>): void {
    if (this.paramGroups.length >= 1)
      throw new OptimizerError("LBFGS doesn't support per-parameter options (parameter groups)");
    checkLr(g.lr);
    if (g.lineSearchFn !== null && g.lineSearchFn !== 'strong_wolfe') {
      throw new OptimizerError(
        `only 'strong_wolfe' is supported as lineSearchFn; got ${pyRepr(g.lineSearchFn)}`,
      );
    }
    for (const k of ['maxIter', 'historySize'] as const) {
      if (!Number.isInteger(g[k]) || g[k] < 1)
        throw new OptimizerError(`Invalid ${k}: ${pyRepr(g[k])} (expected a positive integer)`);
    }
  }

  /** LBFGS keeps flat vectors over all parameters: check their length, not a parameter's shape. */
  protected override checkLoadedState(key: string, value: Tensor, _param: ParamLike, where: string): void {
    const total = this.params().reduce((n, p) => n + p.data.numel, 0);
    if (value.ndim === 1 && value.numel !== total) {
      throw new OptimizerError(
        `loadStateDict: LBFGS state '${key}' of ${where} has ${value.numel} elements, but the parameters have ${total}`,
      );
    }
  }

  private params(): ParamLike[] {
    return this.paramGroups[0]!.params;
  }

  private gatherFlatGrad(): Vec {
    const ps = this.params();
    const out = new Float64Array(ps.reduce((n, p) => n + p.data.numel, 0));
    let at = 0;
    for (const p of ps) {
      if (p.grad !== null) {
        if (p.grad.isSparse) throw new OptimizerError('LBFGS does not support sparse gradients');
        out.set(p.grad.toTypedArray() as Float32Array, at);
      }
      at += p.data.numel;
    }
    return out;
  }

  private flatParams(): Vec {
    const ps = this.params();
    const out = new Float64Array(ps.reduce((n, p) => n + p.data.numel, 0));
    let at = 0;
    for (const p of ps) {
      out.set(p.data.toTypedArray() as Float32Array, at);
      at += p.data.numel;
    }
    return out;
  }

  /** θ ← θ + t·d (over the flattened parameters). */
  private addGrad(t: number, d: Vec): void {
    let at = 0;
    for (const p of this.params()) {
      const x = p.data.contiguous();
      if (x !== p.data) throw new OptimizerError('LBFGS: parameter data must be contiguous');
      const v = x.values;
      for (let i = 0; i < x.numel; i++) v[x.offset + i] = v[x.offset + i]! + t * d[at + i]!;
      at += x.numel;
      p.data.bumpVersion();
    }
  }

  private setParams(flat: Vec): void {
    let at = 0;
    for (const p of this.params()) {
      const v = p.data.values;
      for (let i = 0; i < p.data.numel; i++) v[p.data.offset + i] = flat[at + i]!;
      at += p.data.numel;
      p.data.bumpVersion();
    }
  }

  private toTensor(v: Vec): Tensor {
    return fromTypedArray(Float64Array.from(v), [v.length]).to(this.params()[0]!.data.dtype);
  }

  private fromTensor(t: unknown): Vec | undefined {
    return t === undefined || t === null ? undefined : Float64Array.from((t as Tensor).toTypedArray());
  }

  /**
   * One `step()`: up to `maxIter` L-BFGS iterations. Direction by the
   * two-loop recursion over the stored pairs (sₖ, yₖ) with H₀ = (sᵀy/yᵀy)·I;
   * step length `lr` (the first iteration min(1, 1/‖g‖₁)·lr) or the strong-Wolfe
   * line search; stops on maxIter, maxEval, |g|∞ ≤ toleranceGrad, or changes below toleranceChange.
   */
  protected update(closure?: Closure): unknown {
    if (closure === undefined)
      throw new OptimizerError('LBFGS requires a closure that re-evaluates the model and returns the loss');
    const g = this.paramGroups[0]!;
    const { lr, maxIter, toleranceGrad, toleranceChange, historySize, lineSearchFn } = g;
    const maxEval = g.maxEval ?? Math.floor((maxIter * 5) / 4);
    const state = this.stateOf(this.params()[0]!);
    state.func_evals = (state.func_evals as number | undefined) ?? 0;
    state.n_iter = (state.n_iter as number | undefined) ?? 0;

    const origLoss = closure();
    let loss = toNumber(origLoss, 'loss');
    let currentEvals = 1;
    state.func_evals = (state.func_evals as number) + 1;
    let flatGrad = this.gatherFlatGrad();
    let optCond = absMax(flatGrad) <= toleranceGrad;
    if (optCond) return origLoss;

    let d = this.fromTensor(state.d);
    let t = (state.t as number | undefined) ?? lr;
    const oldDirs: Vec[] = ((state.old_dirs as Tensor[] | undefined) ?? []).map((x) => this.fromTensor(x)!);
    const oldStps: Vec[] = ((state.old_stps as Tensor[] | undefined) ?? []).map((x) => this.fromTensor(x)!);
    const ro: number[] = [...((state.ro as number[] | undefined) ?? [])];
    let hDiag = (state.H_diag as number | undefined) ?? 1;
    let prevFlatGrad = this.fromTensor(state.prev_flat_grad);
    let prevLoss = state.prev_loss as number | undefined;
    const al: number[] = [...((state.al as number[] | undefined) ?? [])];

    let nIter = 0;
    while (nIter < maxIter) {
      nIter++;
      state.n_iter = (state.n_iter as number) + 1;
      if (state.n_iter === 1) {
        d = flatGrad.map((v) => -v);
        oldDirs.length = 0;
        oldStps.length = 0;
        ro.length = 0;
        hDiag = 1;
      } else {
        const y = flatGrad.map((v, i) => v - prevFlatGrad![i]!);
        const s = d!.map((v) => v * t);
        const ys = dot(y, s);
        if (ys > 1e-10) {
          if (oldDirs.length === historySize) {
            oldDirs.shift();
            oldStps.shift();
            ro.shift();
          }
          oldDirs.push(y);
          oldStps.push(s);
          ro.push(1 / ys);
          hDiag = ys / dot(y, y);
        }
        const q = flatGrad.map((v) => -v);
        for (let i = oldDirs.length - 1; i >= 0; i--) {
          al[i] = dot(oldStps[i]!, q) * ro[i]!;
          const dir = oldDirs[i]!;
          for (let k = 0; k < q.length; k++) q[k] = q[k]! - al[i]! * dir[k]!;
        }
        const r = q.map((v) => v * hDiag);
        for (let i = 0; i < oldDirs.length; i++) {
          const be = dot(oldDirs[i]!, r) * ro[i]!;
          const stp = oldStps[i]!;
          for (let k = 0; k < r.length; k++) r[k] = r[k]! + (al[i]! - be) * stp[k]!;
        }
        d = r;
      }
      prevFlatGrad = Float64Array.from(flatGrad);
      prevLoss = loss;
      if (state.n_iter === 1) {
        let l1 = 0;
        for (const v of flatGrad) l1 += Math.abs(v);
        t = Math.min(1, 1 / l1) * lr;
      } else t = lr;
      const gtd = dot(flatGrad, d!);
      if (gtd > -toleranceChange) break;

      let lsEvals = 0;
      if (lineSearchFn === 'strong_wolfe') {
        const x0 = this.flatParams();
        const evaluate = (step: number, dir: Vec): [number, Vec] => {
          this.addGrad(step, dir);
          const f = toNumber(closure(), 'loss');
          const fg = this.gatherFlatGrad();
          this.setParams(x0);
          return [f, fg];
        };
        const r = strongWolfe(evaluate, t, d!, loss, flatGrad, gtd, toleranceChange);
        loss = r.f;
        flatGrad = r.g;
        t = r.t;
        lsEvals = r.evals;
        this.addGrad(t, d!);
        optCond = absMax(flatGrad) <= toleranceGrad;
      } else {
        this.addGrad(t, d!);
        if (nIter !== maxIter) {
          loss = toNumber(closure(), 'loss');
          flatGrad = this.gatherFlatGrad();
          optCond = absMax(flatGrad) <= toleranceGrad;
          lsEvals = 1;
        }
      }
      currentEvals += lsEvals;
      state.func_evals = (state.func_evals as number) + lsEvals;
      if (nIter === maxIter) break;
      if (currentEvals >= maxEval) break;
      if (optCond) break;
      if (absMax(d!) * Math.abs(t) <= toleranceChange) break;
      if (Math.abs(loss - prevLoss) < toleranceChange) break;
    }
    state.d = d ? this.toTensor(d) : null;
    state.t = t;
    state.old_dirs = oldDirs.map((v) => this.toTensor(v));
    state.old_stps = oldStps.map((v) => this.toTensor(v));
    state.ro = ro;
    state.H_diag = hDiag;
    state.prev_flat_grad = prevFlatGrad ? this.toTensor(prevFlatGrad) : null;
    state.prev_loss = prevLoss ?? null;
    state.al = al;
    return origLoss;
  }
}

/** PyTorch's `_strong_wolfe` (bracketing, then zoom with cubic interpolation). */
function strongWolfe(
  obj: (t: number, d: Vec) => [number, Vec],
  t0: number,
  d: Vec,
  f: number,
  g: Vec,
  gtd: number,
  toleranceChange: number,
  c1 = 1e-4,
  c2 = 0.9,
  maxLs = 25,
): { f: number; g: Vec; t: number; evals: number } {
  let t = t0;
  const dNorm = absMax(d);
  let [fNew, gNew] = obj(t, d);
  let evals = 1;
  let gtdNew = dot(gNew, d);
  let tPrev = 0;
  let fPrev = f;
  let gPrev = g;
  let gtdPrev = gtd;
  let done = false;
  let lsIter = 0;
  let bracket: number[] = [];
  let bracketF: number[] = [];
  let bracketG: Vec[] = [];
  let bracketGtd: number[] = [];
  while (lsIter < maxLs) {
    if (fNew > f + c1 * t * gtd || (lsIter > 1 && fNew >= fPrev)) {
      bracket = [tPrev, t];
      bracketF = [fPrev, fNew];
      bracketG = [gPrev, gNew];
      bracketGtd = [gtdPrev, gtdNew];
      break;
    }
    if (Math.abs(gtdNew) <= -c2 * gtd) {
      bracket = [t];
      bracketF = [fNew];
      bracketG = [gNew];
      done = true;
      break;
    }
    if (gtdNew >= 0) {
      bracket = [tPrev, t];
      bracketF = [fPrev, fNew];
      bracketG = [gPrev, gNew];
      bracketGtd = [gtdPrev, gtdNew];
      break;
    }
    const minStep = t + 0.01 * (t - tPrev);
    const maxStep = t * 10;
    const tmp = t;
    t = cubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, [minStep, maxStep]);
    tPrev = tmp;
    fPrev = fNew;
    gPrev = gNew;
    gtdPrev = gtdNew;
    [fNew, gNew] = obj(t, d);
    evals++;
    gtdNew = dot(gNew, d);
    lsIter++;
  }
  if (lsIter === maxLs) {
    bracket = [0, t];
    bracketF = [f, fNew];
    bracketG = [g, gNew];
    bracketGtd = [gtd, gtdNew];
  }
  let insufProgress = false;
  let [low, high] = bracketF[0]! <= bracketF[bracketF.length - 1]! ? [0, 1] : [1, 0];
  while (!done && lsIter < maxLs) {
    if (Math.abs(bracket[1]! - bracket[0]!) * dNorm < toleranceChange) break;
    t = cubicInterpolate(
      bracket[0]!,
      bracketF[0]!,
      bracketGtd[0]!,
      bracket[1]!,
      bracketF[1]!,
      bracketGtd[1]!,
    );
    const bMax = Math.max(...bracket);
    const bMin = Math.min(...bracket);
    const eps = 0.1 * (bMax - bMin);
    if (Math.min(bMax - t, t - bMin) < eps) {
      if (insufProgress || t >= bMax || t <= bMin) {
        t = Math.abs(t - bMax) < Math.abs(t - bMin) ? bMax - eps : bMin + eps;
        insufProgress = false;
      } else insufProgress = true;
    } else insufProgress = false;
    [fNew, gNew] = obj(t, d);
    evals++;
    gtdNew = dot(gNew, d);
    lsIter++;
    if (fNew > f + c1 * t * gtd || fNew >= bracketF[low]!) {
      bracket[high] = t;
      bracketF[high] = fNew;
      bracketG[high] = gNew;
      bracketGtd[high] = gtdNew;
      [low, high] = bracketF[0]! <= bracketF[1]! ? [0, 1] : [1, 0];
    } else {
      if (Math.abs(gtdNew) <= -c2 * gtd) done = true;
      else if (gtdNew * (bracket[high]! - bracket[low]!) >= 0) {
        bracket[high] = bracket[low]!;
        bracketF[high] = bracketF[low]!;
        bracketG[high] = bracketG[low]!;
        bracketGtd[high] = bracketGtd[low]!;
      }
      bracket[low] = t;
      bracketF[low] = fNew;
      bracketG[low] = gNew;
      bracketGtd[low] = gtdNew;
    }
  }
  return { f: bracketF[low]!, g: bracketG[low]!, t: bracket[low]!, evals };
}
