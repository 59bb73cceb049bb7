import { formatLambdas, type LrLambda } from './lambda-lr';
import { LRScheduler, type SchedulerOptions } from './lr-scheduler';
import type { OptimizerLike } from './optimizer-like';

/**
 * Options of {@link MultiplicativeLR}.
 *
 * @example
 * ```ts
 * const options: MultiplicativeLROptions = { lrLambda: () => 0.95 };
 * ```
 */
export interface MultiplicativeLROptions extends SchedulerOptions {
  /** One function for all groups, or one per group: the factor applied at each epoch. */
  lrLambda: LrLambda | LrLambda[];
}

/**
 * Multiplies each group's lr by `lrLambda(epoch)` at every step after the
 * first (PyTorch's `MultiplicativeLR`; chainable).
 *
 * @example
 * ```ts
 * const scheduler = new MultiplicativeLR(optimizer, { lrLambda: () => 0.95 });
 * scheduler.step(); // lr = 0.95 · lr
 * ```
 */
export class MultiplicativeLR extends LRScheduler {
  /** The lambda of each group. */
  readonly lrLambdas: LrLambda[];

  /**
   * @param optimizer - anything with `paramGroups`.
   * @param options - {@link MultiplicativeLROptions}.
   */
  constructor(optimizer: OptimizerLike, options: MultiplicativeLROptions) {
    super(optimizer, options?.lastEpoch);
    this.lrLambdas = formatLambdas('MultiplicativeLR', optimizer, options?.lrLambda);
    this._initialStep();
  }

  /** `lr · lrLambda(lastEpoch)`, except at the step taken at construction. */
  protected getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (!this._isInitial) return groups.map((g, i) => g.lr * this.lrLambdas[i]!(this.lastEpoch));
    return groups.map((g) => g.lr);
  }
}
