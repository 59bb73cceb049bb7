import type { Variable } from '@opt/autograd';
import type { Tensor } from '@opt/tensor';
import * as F from '../functional';
import { Loss, type Reduction } from './loss';

/** Options of `CrossEntropyLoss`. */
export interface CrossEntropyLossOptions {
  /** Per-class weights, a float tensor of length C. */
  weight?: Tensor;
  /** Targets equal to this are skipped and do not count in the mean (default −100). */
  ignoreIndex?: number;
  /** Mixes the one-hot target with the uniform distribution: ε ∈ [0, 1] (default 0). */
  labelSmoothing?: number;
  /** `'mean'` (default: weighted mean over non-ignored samples), `'sum'` or `'none'`. */
  reduction?: Reduction;
}

/**
 * Softmax cross-entropy between logits `[N, C]` (or `[C]`) and int32 class
 * indices `[N]`, like `torch.nn.CrossEntropyLoss`, with PyTorch's exact
 * `weight`, `ignoreIndex`, `labelSmoothing` and `reduction` semantics. A
 * label outside `[0, C)` (other than `ignoreIndex`) is an error.
 *
 * @example
 * ```ts
 * const loss = new CrossEntropyLoss().forward(logits, tensor([3, 0, 9], undefined, { dtype: 'int32' }));
 * loss.backward();
 * ```
 */
export class CrossEntropyLoss extends Loss {
  /** Per-class weights, or `null`. */
  readonly weight: Tensor | null;
  /** Skipped target value. */
  readonly ignoreIndex: number;
  /** Label smoothing ε. */
  readonly labelSmoothing: number;
  /**
   * @param options `weight`, `ignoreIndex`, `labelSmoothing`, `reduction`.
   */
  constructor(options: CrossEntropyLossOptions = {}) {
    super(options.reduction);
    this.weight = options.weight ?? null;
    this.ignoreIndex = options.ignoreIndex ?? -100;
    this.labelSmoothing = options.labelSmoothing ?? 0;
    if (!(this.labelSmoothing >= 0 && this.labelSmoothing <= 1)) {
      throw new RangeError(
        `CrossEntropyLoss: labelSmoothing must be in [0, 1], got ${options.labelSmoothing}`,
      );
    }
  }
  /**
   * The loss of `input` logits against `target` class indices.
   *
   * @example
   * ```ts
   * new CrossEntropyLoss().forward(logits, labels).item();
   * ```
   */
  override forward(input: Variable, target: Tensor | Variable): Variable {
    return F.crossEntropy(input, target, {
      weight: this.weight,
      ignoreIndex: this.ignoreIndex,
      labelSmoothing: this.labelSmoothing,
      reduction: this.reduction,
      where: 'CrossEntropyLoss',
    });
  }
}

/** Options of `NLLLoss`. */
export interface NLLLossOptions {
  /** Per-class weights, a float tensor of length C. */
  weight?: Tensor;
  /** Targets equal to this are skipped (default −100). */
  ignoreIndex?: number;
  /** `'mean'` (default, weighted), `'sum'` or `'none'`. */
  reduction?: Reduction;
}

/**
 * Negative log-likelihood of log-probabilities `[N, C]` at int32 class
 * indices `[N]`, like `torch.nn.NLLLoss`.
 *
 * @example
 * ```ts
 * new NLLLoss().forward(logProbs, labels);
 * ```
 */
export class NLLLoss extends Loss {
  /** Per-class weights, or `null`. */
  readonly weight: Tensor | null;
  /** Skipped target value. */
  readonly ignoreIndex: number;
  /**
   * @param options `weight`, `ignoreIndex`, `reduction`.
   */
  constructor(options: NLLLossOptions = {}) {
    super(options.reduction);
    this.weight = options.weight ?? null;
    this.ignoreIndex = options.ignoreIndex ?? -100;
  }
  /**
   * The loss of `input` log-probabilities against `target` class indices.
   *
   * @example
   * ```ts
   * new NLLLoss().forward(logSoftmax(logits, 1), labels);
   * ```
   */
  override forward(input: Variable, target: Tensor | Variable): Variable {
    return F.nllLoss(input, target, {
      weight: this.weight,
      ignoreIndex: this.ignoreIndex,
      labelSmoothing: 0,
      reduction: this.reduction,
      where: 'NLLLoss',
    });
  }
}

/** Options of `BCELoss`. */
export interface BCELossOptions {
  /** Per-element weights, broadcast against the input. */
  weight?: Tensor;
  /** `'mean'` (default), `'sum'` or `'none'`. */
  reduction?: Reduction;
}

/**
 * Binary cross-entropy between probabilities in [0, 1] and targets in
 * [0, 1], like `torch.nn.BCELoss` (logs clamped at −100).
 *
 * @example
 * ```ts
 * new BCELoss().forward(probs, targets);
 * ```
 */
export class BCELoss extends Loss {
  /** Per-element weights, or `null`. */
  readonly weight: Tensor | null;
  /**
   * @param options `weight`, `reduction`.
   */
  constructor(options: BCELossOptions = {}) {
    super(options.reduction);
    this.weight = options.weight ?? null;
  }
  /**
   * The loss of `input` probabilities against `target`.
   *
   * @example
   * ```ts
   * new BCELoss().forward(x.sigmoid(), y);
   * ```
   */
  override forward(input: Variable, target: Tensor | Variable): Variable {
    return F.binaryCrossEntropy(input, target, this.weight, this.reduction);
  }
}

/** Options of `BCEWithLogitsLoss`. */
export interface BCEWithLogitsLossOptions {
  /** Per-element weights, broadcast against the input. */
  weight?: Tensor;
  /** Weight of positive examples per class, broadcast along the last dimension. */
  posWeight?: Tensor;
  /** `'mean'` (default), `'sum'` or `'none'`. */
  reduction?: Reduction;
}

/**
 * Sigmoid plus binary cross-entropy in one numerically stable formula, like
 * `torch.nn.BCEWithLogitsLoss` (with `posWeight`).
 *
 * @example
 * ```ts
 * new BCEWithLogitsLoss().forward(logits, targets);
 * ```
 */
export class BCEWithLogitsLoss extends Loss {
  /** Per-element weights, or `null`. */
  readonly weight: Tensor | null;
  /** Positive-class weights, or `null`. */
  readonly posWeight: Tensor | null;
  /**
   * @param options `weight`, `posWeight`, `reduction`.
   */
  constructor(options: BCEWithLogitsLossOptions = {}) {
    super(options.reduction);
    this.weight = options.weight ?? null;
    this.posWeight = options.posWeight ?? null;
  }
  /**
   * The loss of `input` logits against `target`.
   *
   * @example
   * ```ts
   * new BCEWithLogitsLoss().forward(logits, y);
   * ```
   */
  override forward(input: Variable, target: Tensor | Variable): Variable {
    return F.binaryCrossEntropyWithLogits(input, target, this.weight, this.posWeight, this.reduction);
  }
}
