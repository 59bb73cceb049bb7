import { LRScheduler, type SchedulerOptions } from './lr-scheduler';
import type { OptimizerLike } from './optimizer-like';
import { check } from './validate';

/**
 * A function of the epoch index returning a multiplicative factor.
 *
 * @example
 * ```ts
 * const lambda: LrLambda = (epoch) => 0.95 ** epoch;
 * ```
 */
export type LrLambda = (epoch: number) => number;

/**
 * Options of {@link LambdaLR}.
 *
 * @example
 * ```ts
 * const options: LambdaLROptions = { lrLambda: (epoch) => 0.95 ** epoch };
 * ```
 */
export interface LambdaLROptions extends SchedulerOptions {
  /** One function for all groups, or one per group. */
  lrLambda: LrLambda | LrLambda[];
}

/** Expands one lambda or checks one per group. @internal */
export function formatLambdas(where: string, optimizer: OptimizerLike, lrLambda: unknown): LrLambda[] {
  const n = optimizer.paramGroups.length;
  if (Array.isArray(lrLambda)) {
    check(
      lrLambda.length === n,
      where,
      'lrLambda',
      `${lrLambda.length} functions`,
      `${n} functions (one per parameter group)`,
    );
    lrLambda.forEach((f, i) => {
      check(typeof f === 'function', where, `lrLambda[${i}]`, f, 'a function');
    });
    return [...lrLambda];
  }
  check(typeof lrLambda === 'function', where, 'lrLambda', lrLambda, 'a function or an array of functions');
  return new Array<LrLambda>(n).fill(lrLambda as LrLambda);
}

/**
 * Sets each group's lr to its initial lr times `lrLambda(epoch)` (PyTorch's
 * `LambdaLR`). The lambdas are not part of `stateDict()`: construct again
 * with the same lambdas, then load.
 *
 * @example
 * ```ts
 * // two groups, two lambdas (the tutorial's setting)
 * const scheduler = new LambdaLR(optimizer, {
 *   lrLambda: [(epoch) => 0.1 ** Math.floor(epoch / 20), (epoch) => 0.95 ** epoch],
 * });
 * for (let epoch = 0; epoch < 200; epoch++) {
 *   train();
 *   scheduler.step();
 * }
 * ```
 */
export class LambdaLR extends LRScheduler {
  /** The lambda of each group. */
  readonly lrLambdas: LrLambda[];

  /**
   * @param optimizer - anything with `paramGroups`.
   * @param options - {@link LambdaLROptions}.
   */
  constructor(optimizer: OptimizerLike, options: LambdaLROptions) {
    super(optimizer, options?.lastEpoch);
    this.lrLambdas = formatLambdas('LambdaLR', optimizer, options?.lrLambda);
    this._initialStep();
  }

  /** `initialLr · lrLambda(lastEpoch)` for each group. */
  protected getLr(): number[] {
    return this.baseLrs.map((base, i) => base * this.lrLambdas[i]!(this.lastEpoch));
  }
}
