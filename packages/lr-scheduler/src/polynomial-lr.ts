import { DEFAULTS } from './defaults';
import { LRScheduler, type SchedulerOptions } from './lr-scheduler';
import type { OptimizerLike } from './optimizer-like';
import { readNumber, type SchedulerState, type StateValue } from './state';
import { check } from './validate';

/**
 * Options of {@link PolynomialLR}.
 *
 * @example
 * ```ts
 * const options: PolynomialLROptions = { totalIters: 4, power: 2 };
 * ```
 */
export interface PolynomialLROptions extends SchedulerOptions {
  /** Number of epochs of the decay. Default 5. */
  totalIters?: number;
  /** Power of the polynomial. Default 1. */
  power?: number;
}

/**
 * Decays each group's lr as `initialLr · (1 − min(epoch, totalIters) / totalIters)^power`
 * (PyTorch's `PolynomialLR`; chainable).
 *
 * @example
 * ```ts
 * // lr = 0.001, 0.00075, 0.0005, 0.00025, 0, 0, …
 * const scheduler = new PolynomialLR(optimizer, { totalIters: 4, power: 1 });
 * ```
 */
export class PolynomialLR extends LRScheduler {
  /** Number of epochs of the decay. */
  totalIters: number;
  /** Power of the polynomial. */
  power: number;

  /**
   * @param optimizer - anything with `paramGroups`.
   * @param options - {@link PolynomialLROptions}.
   */
  constructor(optimizer: OptimizerLike, options: PolynomialLROptions = {}) {
    const {
      totalIters = DEFAULTS.polynomialLR.totalIters,
      power = DEFAULTS.polynomialLR.power,
      lastEpoch,
    } = options;
    check(
      Number.isInteger(totalIters) && totalIters > 0,
      'PolynomialLR',
      'totalIters',
      totalIters,
      'a positive integer',
    );
    check(typeof power === 'number', 'PolynomialLR', 'power', power, 'a number');
    super(optimizer, lastEpoch);
    this.totalIters = totalIters;
    this.power = power;
    this._initialStep();
  }

  /** PyTorch's chainable ratio of consecutive polynomial factors. */
  protected getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this._isInitial || this.lastEpoch > this.totalIters) return groups.map((g) => g.lr);
    const decay =
      ((1.0 - this.lastEpoch / this.totalIters) / (1.0 - (this.lastEpoch - 1) / this.totalIters)) **
      this.power;
    return groups.map((g) => g.lr * decay);
  }

  /** `initialLr · (1 − min(totalIters, epoch) / totalIters)^power`. */
  protected override closedFormLr(): number[] {
    const t = Math.min(this.totalIters, this.lastEpoch);
    return this.baseLrs.map((b) => b * (1.0 - t / this.totalIters) ** this.power);
  }

  /** `total_iters` and `power`. */
  protected override extraState(): Record<string, StateValue> {
    return { total_iters: this.totalIters, power: this.power };
  }

  /** Restores `total_iters` and `power`. */
  protected override loadExtraState(state: SchedulerState, where: string): void {
    this.totalIters = readNumber(state, 'total_iters', where);
    this.power = readNumber(state, 'power', where);
  }
}
