import { Module } from '../module';

/** How a loss reduces its per-element values: PyTorch's `reduction`. */
export type Reduction = 'mean' | 'sum' | 'none';

/** Checks a `reduction` option. */
export function checkReduction(loss: string, reduction: unknown): Reduction {
  if (reduction !== 'mean' && reduction !== 'sum' && reduction !== 'none') {
    throw new RangeError(
      `${loss}: reduction must be 'mean', 'sum' or 'none', got ${JSON.stringify(reduction)}`,
    );
  }
  return reduction;
}

/**
 * Base of the loss modules: holds `reduction` ('mean' by default).
 *
 * @example
 * ```ts
 * const loss = new MSELoss({ reduction: 'sum' });
 * loss.reduction; // 'sum'
 * ```
 */
export abstract class Loss extends Module {
  /** How per-element losses are reduced. */
  readonly reduction: Reduction;
  /**
   * @param reduction `'mean'`, `'sum'` or `'none'`.
   */
  constructor(reduction: Reduction | undefined) {
    super();
    this.reduction = checkReduction(this.constructor.name, reduction ?? 'mean');
  }
}
