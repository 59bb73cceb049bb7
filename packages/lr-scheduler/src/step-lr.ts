import { DEFAULTS } from './defaults';
import { LRScheduler, type SchedulerOptions } from './lr-scheduler';
import type { OptimizerLike } from './optimizer-like';
import { readNumber, type SchedulerState, type StateValue } from './state';
import { check } from './validate';

/**
 * Options of {@link StepLR}.
 *
 * @example
 * ```ts
 * const options: StepLROptions = { stepSize: 50, gamma: 0.1 };
 * ```
 */
export interface StepLROptions extends SchedulerOptions {
  /** Period of the decay, in epochs (a positive integer). */
  stepSize: number;
  /** Multiplicative factor of the decay. Default 0.1. */
  gamma?: number;
}

/**
 * Multiplies each group's lr by `gamma` every `stepSize` epochs (PyTorch's
 * `StepLR`; chainable): `lr = initialLr · gamma^⌊epoch / stepSize⌋`.
 *
 * @example
 * ```ts
 * // lr = 0.1 for epochs 0–49, 0.01 for 50–99, 0.001 for 100–149, …
 * const scheduler = new StepLR(optimizer, { stepSize: 50, gamma: 0.1 });
 * ```
 */
export class StepLR extends LRScheduler {
  /** Period of the decay, in epochs. */
  stepSize: number;
  /** Multiplicative factor of the decay. */
  gamma: number;

  /**
   * @param optimizer - anything with `paramGroups`.
   * @param options - {@link StepLROptions}.
   */
  constructor(optimizer: OptimizerLike, options: StepLROptions) {
    const { stepSize, gamma = DEFAULTS.stepLR.gamma, lastEpoch } = options ?? ({} as StepLROptions);
    check(Number.isInteger(stepSize) && stepSize > 0, 'StepLR', 'stepSize', stepSize, 'a positive integer');
    check(typeof gamma === 'number', 'StepLR', 'gamma', gamma, 'a number');
    super(optimizer, lastEpoch);
    this.stepSize = stepSize;
    this.gamma = gamma;
    this._initialStep();
  }

  /** `lr · gamma` at multiples of `stepSize`, else `lr`. */
  protected getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * this.gamma);
  }

  /** `initialLr · gamma^⌊epoch / stepSize⌋`. */
  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * this.gamma ** Math.floor(this.lastEpoch / this.stepSize));
  }

  /** `step_size` and `gamma`. */
  protected override extraState(): Record<string, StateValue> {
    return { step_size: this.stepSize, gamma: this.gamma };
  }

  /** Restores `step_size` and `gamma`. */
  protected override loadExtraState(state: SchedulerState, where: string): void {
    this.stepSize = readNumber(state, 'step_size', where);
    this.gamma = readNumber(state, 'gamma', where);
  }
}
