import { LRScheduler, type SchedulerOptions } from './lr-scheduler';
import type { OptimizerLike } from './optimizer-like';
import { readNumber, type SchedulerState, type StateValue } from './state';
import { check } from './validate';

/**
 * Options of {@link ExponentialLR}.
 *
 * @example
 * ```ts
 * const options: ExponentialLROptions = { gamma: 0.95 };
 * ```
 */
export interface ExponentialLROptions extends SchedulerOptions {
  /** Multiplicative factor applied every epoch. */
  gamma: number;
}

/**
 * Multiplies each group's lr by `gamma` every epoch (PyTorch's
 * `ExponentialLR`; chainable): `lr = initialLr · gamma^epoch`.
 *
 * @example
 * ```ts
 * const scheduler = new ExponentialLR(optimizer, { gamma: 0.95 });
 * ```
 */
export class ExponentialLR extends LRScheduler {
  /** Multiplicative factor applied every epoch. */
  gamma: number;

  /**
   * @param optimizer - anything with `paramGroups`.
   * @param options - {@link ExponentialLROptions}.
   */
  constructor(optimizer: OptimizerLike, options: ExponentialLROptions) {
    const gamma = options?.gamma;
    check(typeof gamma === 'number', 'ExponentialLR', 'gamma', gamma, 'a number');
    super(optimizer, options.lastEpoch);
    this.gamma = gamma;
    this._initialStep();
  }

  /** `lr · gamma`, except at the step taken at construction. */
  protected getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this._isInitial) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * this.gamma);
  }

  /** `initialLr · gamma^epoch`. */
  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * this.gamma ** this.lastEpoch);
  }

  /** `gamma`. */
  protected override extraState(): Record<string, StateValue> {
    return { gamma: this.gamma };
  }

  /** Restores `gamma`. */
  protected override loadExtraState(state: SchedulerState, where: string): void {
    this.gamma = readNumber(state, 'gamma', where);
  }
}
