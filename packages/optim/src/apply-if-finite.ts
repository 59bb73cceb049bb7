import type { Tensor } from '@opt/tensor';
import { OptimizerError } from './errors';
import type { Closure, Optimizer } from './optimizer';
import { pyRepr } from './python-repr';
import type { ParamGroup } from './types';

/**
 * Options of {@link ApplyIfFinite}.
 *
 * @example
 * ```ts
 * const o: ApplyIfFiniteOptions = { maxConsecutiveErrors: 5 };
 * ```
 */
export interface ApplyIfFiniteOptions {
  /** After this many skipped steps in a row the step is applied anyway (default 5). */
  maxConsecutiveErrors?: number;
}

/**
 * Skips the optimizer step when any gradient holds a NaN or ±∞ (Optax's
 * `apply_if_finite`): the parameters and the inner state stay as they were.
 * After `maxConsecutiveErrors` skips in a row the step goes through, so a
 * run that is genuinely broken does not stall silently.
 *
 * @example
 * ```ts
 * const optimizer = new ApplyIfFinite(new Adam(net.parameters()), { maxConsecutiveErrors: 5 });
 * optimizer.step(); // no update when the loss blew up this batch
 * optimizer.notFiniteCount; // consecutive skips so far
 * ```
 */
export class ApplyIfFinite<O extends object = object> {
  /** The guarded optimizer. */
  readonly inner: Optimizer<O>;
  /** Skips in a row allowed before a step is applied anyway. */
  readonly maxConsecutiveErrors: number;
  /** Consecutive steps skipped so far. */
  notFiniteCount = 0;
  /** All steps skipped. */
  totalNotFinite = 0;
  /** Whether the last step's gradients were all finite. */
  lastFinite = true;

  /**
   * @param inner the optimizer whose steps are guarded.
   * @param options `maxConsecutiveErrors`.
   */
  constructor(inner: Optimizer<O>, options: ApplyIfFiniteOptions = {}) {
    const m = options.maxConsecutiveErrors ?? 5;
    if (!Number.isInteger(m) || m < 0) {
      throw new OptimizerError(
        `ApplyIfFinite: maxConsecutiveErrors must be an integer ≥ 0; got ${pyRepr(m)}`,
      );
    }
    this.inner = inner;
    this.maxConsecutiveErrors = m;
  }

  /** The inner optimizer's parameter groups. */
  get paramGroups(): ParamGroup<O>[] {
    return this.inner.paramGroups;
  }

  /**
   * Steps the inner optimizer if every gradient is finite (or the skip
   * budget is used up); returns whether it stepped.
   *
   * @example
   * ```ts
   * const applied = optimizer.step();
   * ```
   */
  step(closure?: Closure): boolean {
    if (closure) closure();
    let finite = true;
    outer: for (const g of this.inner.paramGroups) {
      for (const p of g.params) {
        const grad = p.grad;
        if (grad === null) continue;
        const v = (
          grad.isSparse ? (grad as unknown as { toDense(): Tensor }).toDense() : grad
        ).toTypedArray();
        for (let i = 0; i < v.length; i++) {
          if (!Number.isFinite(v[i]!)) {
            finite = false;
            break outer;
          }
        }
      }
    }
    this.lastFinite = finite;
    if (!finite) {
      this.totalNotFinite++;
      if (this.notFiniteCount < this.maxConsecutiveErrors) {
        this.notFiniteCount++;
        return false;
      }
    }
    this.notFiniteCount = 0;
    this.inner.step();
    return true;
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
}
