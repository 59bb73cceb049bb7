import { DEFAULTS } from './defaults';
import { LRScheduler, type SchedulerOptions } from './lr-scheduler';
import type { OptimizerLike } from './optimizer-like';
import { readNumber, type SchedulerState, type StateValue } from './state';
import { check } from './validate';

/**
 * Options of {@link ConstantLR}.
 *
 * @example
 * ```ts
 * const options: ConstantLROptions = { factor: 0.5, totalIters: 4 };
 * ```
 */
export interface ConstantLROptions extends SchedulerOptions {
  /** Factor applied until `totalIters`, between 0 and 1. Default 1/3. */
  factor?: number;
  /** Number of epochs the factor applies. Default 5. */
  totalIters?: number;
}

/**
 * Multiplies each group's lr by a constant `factor` until epoch
 * `totalIters`, then restores it (PyTorch's `ConstantLR`; chainable).
 *
 * @example
 * ```ts
 * // initial lr 0.05: lr = 0.025 for epochs 0–3, then 0.05
 * const scheduler = new ConstantLR(optimizer, { factor: 0.5, totalIters: 4 });
 * ```
 */
export class ConstantLR extends LRScheduler {
  /** Factor applied until `totalIters`. */
  factor: number;
  /** Number of epochs the factor applies. */
  totalIters: number;

  /**
   * @param optimizer - anything with `paramGroups`.
   * @param options - {@link ConstantLROptions}.
   */
  constructor(optimizer: OptimizerLike, options: ConstantLROptions = {}) {
    const {
      factor = DEFAULTS.constantLR.factor,
      totalIters = DEFAULTS.constantLR.totalIters,
      lastEpoch,
    } = options;
    check(
      typeof factor === 'number' && factor >= 0 && factor <= 1,
      'ConstantLR',
      'factor',
      factor,
      'between 0 and 1 (Constant multiplicative factor expected to be between 0 and 1.)',
    );
    check(
      Number.isInteger(totalIters) && totalIters >= 0,
      'ConstantLR',
      'totalIters',
      totalIters,
      'a non-negative integer',
    );
    super(optimizer, lastEpoch);
    this.factor = factor;
    this.totalIters = totalIters;
    this._initialStep();
  }

  /** `lr · factor` at epoch 0, `lr / factor` at `totalIters`, else `lr`. */
  protected getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this.lastEpoch === 0) return groups.map((g) => g.lr * this.factor);
    if (this.lastEpoch !== this.totalIters) return groups.map((g) => g.lr);
    // PyTorch divides by zero here when factor is 0; the closed form gives the restored lr
    if (this.factor === 0) return this.baseLrs.slice();
    return groups.map((g) => g.lr * (1.0 / this.factor));
  }

  /** `initialLr · (factor + [epoch ≥ totalIters] · (1 − factor))`. */
  protected override closedFormLr(): number[] {
    const done = this.lastEpoch >= this.totalIters ? 1 : 0;
    return this.baseLrs.map((b) => b * (this.factor + done * (1 - this.factor)));
  }

  /** `factor` and `total_iters`. */
  protected override extraState(): Record<string, StateValue> {
    return { factor: this.factor, total_iters: this.totalIters };
  }

  /** Restores `factor` and `total_iters`. */
  protected override loadExtraState(state: SchedulerState, where: string): void {
    this.factor = readNumber(state, 'factor', where);
    this.totalIters = readNumber(state, 'total_iters', where);
  }
}
