import { DEFAULTS } from './defaults';
import { LRScheduler, type SchedulerOptions } from './lr-scheduler';
import type { OptimizerLike } from './optimizer-like';
import { readNumber, type SchedulerState, type StateValue } from './state';
import { check } from './validate';

/**
 * Options of {@link LinearLR}.
 *
 * @example
 * ```ts
 * const options: LinearLROptions = { startFactor: 0.1, endFactor: 1, totalIters: 10 };
 * ```
 */
export interface LinearLROptions extends SchedulerOptions {
  /** Factor at epoch 0, in (0, 1]. Default 1/3. */
  startFactor?: number;
  /** Factor reached at `totalIters`, in [0, 1]. Default 1. */
  endFactor?: number;
  /** Number of epochs of the linear change. Default 5. */
  totalIters?: number;
}

/**
 * Changes each group's lr linearly from `startFactor · initialLr` to
 * `endFactor · initialLr` over `totalIters` epochs (PyTorch's `LinearLR`;
 * chainable). A linear warmup when `startFactor < endFactor`.
 *
 * @example
 * ```ts
 * const scheduler = new LinearLR(optimizer, { startFactor: 0.25, totalIters: 4 });
 * ```
 */
export class LinearLR extends LRScheduler {
  /** Factor at epoch 0. */
  startFactor: number;
  /** Factor reached at `totalIters`. */
  endFactor: number;
  /** Number of epochs of the linear change. */
  totalIters: number;

  /**
   * @param optimizer - anything with `paramGroups`.
   * @param options - {@link LinearLROptions}.
   */
  constructor(optimizer: OptimizerLike, options: LinearLROptions = {}) {
    const d = DEFAULTS.linearLR;
    const {
      startFactor = d.startFactor,
      endFactor = d.endFactor,
      totalIters = d.totalIters,
      lastEpoch,
    } = options;
    check(
      typeof startFactor === 'number' && startFactor > 0 && startFactor <= 1,
      'LinearLR',
      'startFactor',
      startFactor,
      'greater than 0 and less or equal to 1 (Starting multiplicative factor expected to be greater than 0 and less or equal to 1.)',
    );
    check(
      typeof endFactor === 'number' && endFactor >= 0 && endFactor <= 1,
      'LinearLR',
      'endFactor',
      endFactor,
      'between 0 and 1 (Ending multiplicative factor expected to be between 0 and 1.)',
    );
    check(
      Number.isInteger(totalIters) && totalIters > 0,
      'LinearLR',
      'totalIters',
      totalIters,
      'a positive integer',
    );
    super(optimizer, lastEpoch);
    this.startFactor = startFactor;
    this.endFactor = endFactor;
    this.totalIters = totalIters;
    this._initialStep();
  }

  /** PyTorch's chainable ratio of consecutive linear factors. */
  protected getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this.lastEpoch === 0) return groups.map((g) => g.lr * this.startFactor);
    if (this._isInitial || this.lastEpoch > this.totalIters) return groups.map((g) => g.lr);
    const delta = this.endFactor - this.startFactor;
    const ratio = 1 + delta / (this.totalIters * this.startFactor + (this.lastEpoch - 1) * delta);
    return groups.map((g) => g.lr * ratio);
  }

  /** `initialLr · (start + (end − start) · min(totalIters, epoch) / totalIters)`. */
  protected override closedFormLr(): number[] {
    const t = Math.min(this.totalIters, this.lastEpoch);
    return this.baseLrs.map(
      (b) => b * (this.startFactor + ((this.endFactor - this.startFactor) * t) / this.totalIters),
    );
  }

  /** `start_factor`, `end_factor` and `total_iters`. */
  protected override extraState(): Record<string, StateValue> {
    return { start_factor: this.startFactor, end_factor: this.endFactor, total_iters: this.totalIters };
  }

  /** Restores `start_factor`, `end_factor` and `total_iters`. */
  protected override loadExtraState(state: SchedulerState, where: string): void {
    this.startFactor = readNumber(state, 'start_factor', where);
    this.endFactor = readNumber(state, 'end_factor', where);
    this.totalIters = readNumber(state, 'total_iters', where);
  }
}
