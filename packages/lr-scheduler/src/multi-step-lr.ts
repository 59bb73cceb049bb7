import { DEFAULTS } from './defaults';
import { SchedulerStateError } from './errors';
import { LRScheduler, type SchedulerOptions } from './lr-scheduler';
import type { OptimizerLike } from './optimizer-like';
import { readNumber, readObject, type SchedulerState, type StateValue } from './state';
import { check, describe } from './validate';

/**
 * Options of {@link MultiStepLR}.
 *
 * @example
 * ```ts
 * const options: MultiStepLROptions = { milestones: [50, 125, 160], gamma: 0.1 };
 * ```
 */
export interface MultiStepLROptions extends SchedulerOptions {
  /**
   * Epoch indices, increasing. A repeated milestone multiplies by `gamma`
   * once per repetition, as in PyTorch.
   */
  milestones: number[];
  /** Multiplicative factor at each milestone. Default 0.1. */
  gamma?: number;
}

/**
 * Multiplies each group's lr by `gamma` when the epoch reaches a milestone
 * (PyTorch's `MultiStepLR`; chainable). Milestones that decrease are
 * rejected (PyTorch documents "must be increasing" without checking).
 *
 * @example
 * ```ts
 * // lr = 0.1 until epoch 49, 0.01 until 124, 0.001 until 159, then 0.0001
 * const scheduler = new MultiStepLR(optimizer, { milestones: [50, 125, 160], gamma: 0.1 });
 * ```
 */
export class MultiStepLR extends LRScheduler {
  /** Milestone epoch → how many times it was given. */
  milestones: Map<number, number>;
  /** Multiplicative factor at each milestone. */
  gamma: number;

  /**
   * @param optimizer - anything with `paramGroups`.
   * @param options - {@link MultiStepLROptions}.
   */
  constructor(optimizer: OptimizerLike, options: MultiStepLROptions) {
    const {
      milestones,
      gamma = DEFAULTS.multiStepLR.gamma,
      lastEpoch,
    } = options ?? ({} as MultiStepLROptions);
    check(Array.isArray(milestones), 'MultiStepLR', 'milestones', milestones, 'an array of integers');
    milestones.forEach((m, i) => {
      check(Number.isInteger(m), 'MultiStepLR', `milestones[${i}]`, m, 'an integer');
      if (i > 0) {
        check(
          m >= milestones[i - 1]!,
          'MultiStepLR',
          'milestones',
          milestones,
          `increasing (milestones[${i}] = ${m} comes after ${milestones[i - 1]})`,
        );
      }
    });
    check(typeof gamma === 'number', 'MultiStepLR', 'gamma', gamma, 'a number');
    super(optimizer, lastEpoch);
    this.milestones = new Map();
    for (const m of milestones) this.milestones.set(m, (this.milestones.get(m) ?? 0) + 1);
    this.gamma = gamma;
    this._initialStep();
  }

  /** `lr · gamma^count` at a milestone, else `lr`. */
  protected getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    const count = this.milestones.get(this.lastEpoch);
    if (count === undefined) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * this.gamma ** count);
  }

  /** `initialLr · gamma^(milestones ≤ epoch)`. */
  protected override closedFormLr(): number[] {
    let passed = 0;
    for (const [m, count] of this.milestones) if (m <= this.lastEpoch) passed += count;
    return this.baseLrs.map((b) => b * this.gamma ** passed);
  }

  /** `milestones` (PyTorch's Counter: epoch → count) and `gamma`. */
  protected override extraState(): Record<string, StateValue> {
    const milestones: Record<string, number> = {};
    for (const [m, count] of this.milestones) milestones[String(m)] = count;
    return { milestones, gamma: this.gamma };
  }

  /** Restores `milestones` and `gamma`. */
  protected override loadExtraState(state: SchedulerState, where: string): void {
    const saved = readObject(state, 'milestones', where);
    const milestones = new Map<number, number>();
    for (const [k, v] of Object.entries(saved)) {
      if (!Number.isInteger(Number(k)) || typeof v !== 'number') {
        throw new SchedulerStateError(
          `${where}: milestones must map epochs to counts, got ${describe(saved)}`,
        );
      }
      milestones.set(Number(k), v);
    }
    this.milestones = milestones;
    this.gamma = readNumber(state, 'gamma', where);
  }
}
