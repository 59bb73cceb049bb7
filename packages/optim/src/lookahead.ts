import type { Tensor } from '@opt/tensor';
import { OptimizerError } from './errors';
import type { Closure, Optimizer } from './optimizer';
import { pyRepr } from './python-repr';
import type { OptimizerStateDict, ParamGroup, ParamLike } from './types';

/**
 * Options of {@link Lookahead}.
 *
 * @example
 * ```ts
 * const o: LookaheadOptions = { k: 5, alpha: 0.5 };
 * ```
 */
export interface LookaheadOptions {
  /** Fast steps between two synchronisations (default 5). */
  k: number;
  /** Step size of the slow weights toward the fast ones (default 0.5). */
  alpha: number;
}

/**
 * Lookahead (Zhang et al., 2019) around any optimizer: the inner optimizer
 * takes `k` fast steps, then the slow weights move `alpha` of the way to the
 * fast ones and the fast weights restart from there. It exposes the inner
 * optimizer's `paramGroups`, so schedulers and `lr *= 0.1` work as usual;
 * `stateDict()` holds the inner state plus the slow weights.
 *
 * @example
 * ```ts
 * const optimizer = new Lookahead(new Adam(net.parameters(), { lr: 1e-3 }), { k: 5, alpha: 0.5 });
 * optimizer.zeroGrad(); loss.backward(); optimizer.step();
 * ```
 */
export class Lookahead<O extends object = object> {
  /** The wrapped (fast) optimizer. */
  readonly inner: Optimizer<O>;
  /** Fast steps per synchronisation. */
  readonly k: number;
  /** Slow-weight step size. */
  readonly alpha: number;
  /** Fast steps taken since the start (the synchronisation counter). */
  fastSteps = 0;
  /** The slow weights, per parameter (created at construction from the current weights). */
  readonly slow = new Map<ParamLike, Tensor>();

  /**
   * @param inner the optimizer taking the fast steps.
   * @param options `k` (default 5), `alpha` (default 0.5).
   */
  constructor(inner: Optimizer<O>, options: Partial<LookaheadOptions> = {}) {
    const k = options.k ?? 5;
    const alpha = options.alpha ?? 0.5;
    if (!Number.isInteger(k) || k < 1)
      throw new OptimizerError(`Invalid lookahead k: ${pyRepr(k)} (expected an integer ≥ 1)`);
    if (!(alpha >= 0 && alpha <= 1))
      throw new OptimizerError(`Invalid lookahead alpha: ${pyRepr(alpha)} (expected a number in [0, 1])`);
    this.inner = inner;
    this.k = k;
    this.alpha = alpha;
    for (const p of this.params()) this.slow.set(p, p.data.clone());
  }

  private params(): ParamLike[] {
    return this.inner.paramGroups.flatMap((g) => g.params);
  }

  /** The inner optimizer's parameter groups (the same objects). */
  get paramGroups(): ParamGroup<O>[] {
    return this.inner.paramGroups;
  }

  /**
   * A fast step of the inner optimizer; every `k`-th one also
   * synchronises: slow ← slow + α(fast − slow), fast ← slow.
   *
   * @example
   * ```ts
   * optimizer.step();
   * ```
   */
  step<L = unknown>(closure?: Closure<L>): L | undefined {
    const loss = this.inner.step(closure);
    this.fastSteps++;
    if (this.fastSteps % this.k === 0) {
      for (const p of this.params()) {
        let s = this.slow.get(p);
        if (s === undefined) {
          s = p.data.clone();
          this.slow.set(p, s);
        }
        s.lerp_(p.data, this.alpha);
        p.data.copy_(s);
      }
    }
    return loss;
  }

  /**
   * Clears the gradients (the inner optimizer's `zeroGrad`).
   *
   * @example
   * ```ts
   * optimizer.zeroGrad();
   * ```
   */
  zeroGrad(setToNone = true): void {
    this.inner.zeroGrad(setToNone);
  }

  /**
   * The inner state dict plus `lookahead`: `k`, `alpha`, `fast_steps` and
   * the slow weights by parameter index.
   *
   * @example
   * ```ts
   * const sd = optimizer.stateDict(); sd.lookahead.slow[0];
   * ```
   */
  stateDict(): OptimizerStateDict & {
    lookahead: { k: number; alpha: number; fast_steps: number; slow: Record<number, Tensor> };
  } {
    const slow: Record<number, Tensor> = {};
    this.params().forEach((p, i) => {
      const s = this.slow.get(p);
      if (s) slow[i] = s.clone();
    });
    return {
      ...this.inner.stateDict(),
      lookahead: { k: this.k, alpha: this.alpha, fast_steps: this.fastSteps, slow },
    };
  }

  /**
   * Restores the inner optimizer and the slow weights.
   *
   * @example
   * ```ts
   * fresh.loadStateDict(saved);
   * ```
   */
  loadStateDict(sd: ReturnType<Lookahead<O>['stateDict']>): void {
    const la = sd.lookahead;
    if (!la || typeof la !== 'object')
      throw new OptimizerError("Lookahead.loadStateDict: the state dict has no 'lookahead' entry");
    const ps = this.params();
    for (const [key, t] of Object.entries(la.slow)) {
      const p = ps[Number(key)];
      if (!p) throw new OptimizerError(`Lookahead.loadStateDict: slow weight ${key} has no parameter`);
      if (t.numel !== p.data.numel)
        throw new OptimizerError(
          `Lookahead.loadStateDict: slow weight ${key} has ${t.numel} elements, the parameter ${p.data.numel}`,
        );
    }
    this.inner.loadStateDict(sd);
    for (const [key, t] of Object.entries(la.slow))
      this.slow.set(
        ps[Number(key)]!,
        t
          .clone()
          .reshape([...ps[Number(key)]!.data.shape])
          .contiguous(),
      );
    this.fastSteps = Number(la.fast_steps);
  }

  /**
   * The inner optimizer's print-out inside `Lookahead(k, alpha)`.
   *
   * @example
   * ```ts
   * String(optimizer);
   * ```
   */
  toString(): string {
    return `Lookahead (k: ${this.k}, alpha: ${pyRepr(this.alpha)})\n${this.inner.toString()}`;
  }
}
