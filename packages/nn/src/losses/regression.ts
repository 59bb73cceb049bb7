import type { Variable } from '@opt/autograd';
import type { Tensor } from '@opt/tensor';
import * as F from '../functional';
import { Loss, type Reduction } from './loss';

/** Options shared by the regression losses. */
export interface RegressionLossOptions {
  /** `'mean'` (default), `'sum'` or `'none'`. */
  reduction?: Reduction;
}

/**
 * Mean squared error `(input − target)²`, like `torch.nn.MSELoss`.
 *
 * @example
 * ```ts
 * new MSELoss().forward(pred, y).backward();
 * ```
 */
export class MSELoss extends Loss {
  /**
   * @param options `reduction`.
   */
  constructor(options: RegressionLossOptions = {}) {
    super(options.reduction);
  }
  /**
   * The loss of `input` against `target` (same shape).
   *
   * @example
   * ```ts
   * new MSELoss().forward(pred, y);
   * ```
   */
  override forward(input: Variable, target: Tensor | Variable): Variable {
    return F.mseLoss(input, target, this.reduction);
  }
}

/**
 * Mean absolute error `|input − target|`, like `torch.nn.L1Loss`.
 *
 * @example
 * ```ts
 * new L1Loss().forward(pred, y);
 * ```
 */
export class L1Loss extends Loss {
  /**
   * @param options `reduction`.
   */
  constructor(options: RegressionLossOptions = {}) {
    super(options.reduction);
  }
  /**
   * The loss of `input` against `target`.
   *
   * @example
   * ```ts
   * new L1Loss().forward(pred, y);
   * ```
   */
  override forward(input: Variable, target: Tensor | Variable): Variable {
    return F.l1Loss(input, target, this.reduction);
  }
}

/**
 * `0.5·d²/β` for `|d| < β`, `|d| − 0.5·β` otherwise, like
 * `torch.nn.SmoothL1Loss` (`beta`, default 1).
 *
 * @example
 * ```ts
 * new SmoothL1Loss({ beta: 0.5 }).forward(pred, y);
 * ```
 */
export class SmoothL1Loss extends Loss {
  /** Where the loss turns from quadratic to linear. */
  readonly beta: number;
  /**
   * @param options `beta` (default 1), `reduction`.
   */
  constructor(options: RegressionLossOptions & { beta?: number } = {}) {
    super(options.reduction);
    this.beta = options.beta ?? 1;
    if (!(this.beta >= 0))
      throw new RangeError(`SmoothL1Loss: beta must be non-negative, got ${options.beta}`);
  }
  /**
   * The loss of `input` against `target`.
   *
   * @example
   * ```ts
   * new SmoothL1Loss().forward(pred, y);
   * ```
   */
  override forward(input: Variable, target: Tensor | Variable): Variable {
    return F.smoothL1Loss(input, target, this.beta, 1, this.reduction);
  }
}

/**
 * `0.5·d²` for `|d| < δ`, `δ·(|d| − 0.5·δ)` otherwise, like
 * `torch.nn.HuberLoss` (`delta`, default 1).
 *
 * @example
 * ```ts
 * new HuberLoss({ delta: 1.5 }).forward(pred, y);
 * ```
 */
export class HuberLoss extends Loss {
  /** Where the loss turns from quadratic to linear. */
  readonly delta: number;
  /**
   * @param options `delta` (default 1), `reduction`.
   */
  constructor(options: RegressionLossOptions & { delta?: number } = {}) {
    super(options.reduction);
    this.delta = options.delta ?? 1;
    if (!(this.delta > 0)) throw new RangeError(`HuberLoss: delta must be positive, got ${options.delta}`);
  }
  /**
   * The loss of `input` against `target`.
   *
   * @example
   * ```ts
   * new HuberLoss().forward(pred, y);
   * ```
   */
  override forward(input: Variable, target: Tensor | Variable): Variable {
    return F.smoothL1Loss(input, target, this.delta, this.delta, this.reduction);
  }
}
