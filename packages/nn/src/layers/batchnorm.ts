import type { Variable } from '@opt/autograd';
import { ones, type Tensor, zeros } from '@opt/tensor';
import { formatShape, NnInputError } from '../errors';
import * as F from '../functional';
import { Module } from '../module';
import { Parameter } from '../parameter';
import { checkInput, positiveInt, pyFloat } from './util';

/** Options of `BatchNorm1d` and `BatchNorm2d`. */
export interface BatchNormOptions {
  /** Added to the variance for stability (default 1e-5). */
  eps?: number;
  /** Weight of the new batch in the running statistics (default 0.1); `null` for a cumulative average. */
  momentum?: number | null;
  /** Learn a per-channel scale `weight` and shift `bias` (default true). */
  affine?: boolean;
  /** Keep running statistics as buffers and use them in evaluation mode (default true). */
  trackRunningStats?: boolean;
}

/**
 * The shared implementation of `BatchNorm1d` and `BatchNorm2d` (PyTorch's
 * `_BatchNorm`): parameters, running-statistic buffers, momentum update.
 *
 * @example
 * ```ts
 * if (m instanceof BatchNormBase) m.resetRunningStats();
 * ```
 */
export abstract class BatchNormBase extends Module {
  /** Channels (features) normalised. */
  readonly numFeatures: number;
  /** Added to the variance. */
  readonly eps: number;
  /** Weight of the new batch in the running statistics, or `null` (cumulative average). */
  readonly momentum: number | null;
  /** Whether `weight` and `bias` are learned. */
  readonly affine: boolean;
  /** Whether running statistics are kept. */
  readonly trackRunningStats: boolean;
  readonly #layer: string;
  /** Per-channel scale (ones), or `null` without `affine`. */
  weight: Parameter | null;
  /** Per-channel shift (zeros), or `null` without `affine`. */
  bias: Parameter | null;

  /**
   * @param layer the layer's name, for error messages.
   * @param numFeatures channels C.
   * @param options `eps`, `momentum`, `affine`, `trackRunningStats`.
   */
  constructor(layer: string, numFeatures: number, options: BatchNormOptions) {
    super();
    this.#layer = layer;
    this.numFeatures = positiveInt(layer, 'numFeatures', numFeatures);
    this.eps = options.eps ?? 1e-5;
    if (!(this.eps > 0)) throw new RangeError(`${layer}: eps must be positive, got ${options.eps}`);
    this.momentum = options.momentum === undefined ? 0.1 : options.momentum;
    if (this.momentum !== null && !(this.momentum >= 0 && this.momentum <= 1)) {
      throw new RangeError(`${layer}: momentum must be in [0, 1] or null, got ${options.momentum}`);
    }
    this.affine = options.affine ?? true;
    this.trackRunningStats = options.trackRunningStats ?? true;
    this.weight = this.affine ? new Parameter(ones([numFeatures])) : null;
    this.bias = this.affine ? new Parameter(zeros([numFeatures])) : null;
    if (this.trackRunningStats) {
      this.registerBuffer('running_mean', zeros([numFeatures]));
      this.registerBuffer('running_var', ones([numFeatures]));
      this.registerBuffer('num_batches_tracked', zeros([], { dtype: 'int32' }));
    }
  }

  /** The running mean buffer (`running_mean` in the state dict), or `null`. */
  get runningMean(): Tensor | null {
    return (this as any).running_mean ?? null;
  }
  /** The running variance buffer (`running_var` in the state dict), or `null`. */
  get runningVar(): Tensor | null {
    return (this as any).running_var ?? null;
  }
  /** Batches seen in training mode (`num_batches_tracked`), or `null`. */
  get numBatchesTracked(): Tensor | null {
    return (this as any).num_batches_tracked ?? null;
  }

  /**
   * Resets the running statistics to mean 0, variance 1 and no batches.
   *
   * @example
   * ```ts
   * bn.resetRunningStats();
   * ```
   */
  resetRunningStats(): void {
    this.runningMean?.zero_();
    this.runningVar?.fill_(1);
    this.numBatchesTracked?.zero_();
  }

  /**
   * Normalises with batch or running statistics per the mode, updating the
   * running statistics in training mode.
   *
   * @example
   * ```ts
   * // inside a subclass's forward, after checking the shape:
   * return this.normalize(input);
   * ```
   */
  protected normalize(input: Variable): Variable {
    // as PyTorch: a batch statistic over one value per channel has variance 0 and is refused in training
    if (this.training && input.numel / this.numFeatures === 1) {
      throw new NnInputError(
        `${this.#layer}(${this.numFeatures}): expected more than 1 value per channel when training, got input ${formatShape(input.shape)}`,
      );
    }
    const useBatch = this.training || !this.trackRunningStats;
    let factor = 0;
    if (this.training && this.trackRunningStats) {
      const n = this.numBatchesTracked!;
      n.add_(1);
      factor = this.momentum === null ? 1 / n.item() : this.momentum;
    }
    return F.batchNorm(input, {
      runningMean: this.runningMean,
      runningVar: this.runningVar,
      weight: this.weight,
      bias: this.bias,
      useBatchStats: useBatch,
      momentum: factor,
      eps: this.eps,
    });
  }

  override extraRepr(): string {
    const m = this.momentum === null ? 'None' : pyFloat(this.momentum);
    const b = (v: boolean) => (v ? 'True' : 'False');
    return `${this.numFeatures}, eps=${pyFloat(this.eps)}, momentum=${m}, affine=${b(this.affine)}, track_running_stats=${b(this.trackRunningStats)}`;
  }
}

/**
 * Batch normalisation over `[N, C]` or `[N, C, L]` inputs, like
 * `torch.nn.BatchNorm1d`: in training mode normalises with the batch's
 * statistics and updates `running_mean` / `running_var` (unbiased) with
 * `momentum`; in evaluation mode uses the running statistics.
 *
 * @example
 * ```ts
 * const bn = new BatchNorm1d(64);
 * bn.forward(h); // [N, 64]
 * ```
 */
export class BatchNorm1d extends BatchNormBase {
  /**
   * @param numFeatures channels C.
   * @param options `eps`, `momentum`, `affine`, `trackRunningStats`.
   */
  constructor(numFeatures: number, options: BatchNormOptions = {}) {
    super('BatchNorm1d', numFeatures, options);
  }
  /**
   * Normalises `input` of shape `[N, C]` or `[N, C, L]`.
   *
   * @example
   * ```ts
   * new BatchNorm1d(4).forward(x);
   * ```
   */
  override forward(input: Variable): Variable {
    checkInput(
      `BatchNorm1d(${this.numFeatures})`,
      input.shape,
      [2, 3],
      `[N, ${this.numFeatures}] or [N, ${this.numFeatures}, L]`,
      1,
      this.numFeatures,
    );
    return this.normalize(input);
  }
}

/**
 * Batch normalisation over `[N, C, H, W]` inputs, like
 * `torch.nn.BatchNorm2d` (statistics per channel over N, H and W).
 *
 * @example
 * ```ts
 * const bn = new BatchNorm2d(16);
 * bn.forward(featureMaps);
 * bn.eval(); // now uses running_mean / running_var
 * ```
 */
export class BatchNorm2d extends BatchNormBase {
  /**
   * @param numFeatures channels C.
   * @param options `eps`, `momentum`, `affine`, `trackRunningStats`.
   */
  constructor(numFeatures: number, options: BatchNormOptions = {}) {
    super('BatchNorm2d', numFeatures, options);
  }
  /**
   * Normalises `input` of shape `[N, C, H, W]`.
   *
   * @example
   * ```ts
   * new BatchNorm2d(3).forward(x);
   * ```
   */
  override forward(input: Variable): Variable {
    checkInput(
      `BatchNorm2d(${this.numFeatures})`,
      input.shape,
      [4],
      `[N, ${this.numFeatures}, H, W]`,
      1,
      this.numFeatures,
    );
    return this.normalize(input);
  }
}

/** Options of `LayerNorm`. */
export interface LayerNormOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Learn an elementwise scale and shift of shape `normalizedShape` (default true). */
  elementwiseAffine?: boolean;
}

/**
 * Normalises over the last dimensions (`normalizedShape`) of each sample,
 * like `torch.nn.LayerNorm`.
 *
 * @example
 * ```ts
 * const ln = new LayerNorm(512);
 * ln.forward(h); // [B, T, 512]
 * ```
 */
export class LayerNorm extends Module {
  /** The trailing shape normalised over. */
  readonly normalizedShape: number[];
  /** Added to the variance. */
  readonly eps: number;
  /** Whether `weight` and `bias` are learned. */
  readonly elementwiseAffine: boolean;
  /** Elementwise scale (ones), or `null`. */
  weight: Parameter | null;
  /** Elementwise shift (zeros), or `null`. */
  bias: Parameter | null;

  /**
   * @param normalizedShape `d` or the trailing shape `[…]`.
   * @param options `eps`, `elementwiseAffine`.
   */
  constructor(normalizedShape: number | readonly number[], options: LayerNormOptions = {}) {
    super();
    const shape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
    for (const d of shape) positiveInt('LayerNorm', 'normalizedShape', d);
    this.normalizedShape = shape;
    this.eps = options.eps ?? 1e-5;
    this.elementwiseAffine = options.elementwiseAffine ?? true;
    this.weight = this.elementwiseAffine ? new Parameter(ones(shape)) : null;
    this.bias = this.elementwiseAffine ? new Parameter(zeros(shape)) : null;
  }

  /**
   * Normalises `input`, whose trailing dimensions must be `normalizedShape`.
   *
   * @example
   * ```ts
   * new LayerNorm(4).forward(x); // x: [N, 4]
   * ```
   */
  override forward(input: Variable): Variable {
    const s = input.shape;
    const k = this.normalizedShape.length;
    const tail = s.slice(s.length - k);
    if (s.length < k || tail.some((d, i) => d !== this.normalizedShape[i])) {
      checkInput(
        `LayerNorm(${JSON.stringify(this.normalizedShape)})`,
        s,
        [],
        `[..., ${this.normalizedShape.join(', ')}]`,
      );
    }
    return F.layerNorm(input, k, this.weight, this.bias, this.eps);
  }

  override extraRepr(): string {
    const shape =
      this.normalizedShape.length === 1
        ? `(${this.normalizedShape[0]},)`
        : `(${this.normalizedShape.join(', ')})`;
    return `${shape}, eps=${pyFloat(this.eps)}, elementwise_affine=${this.elementwiseAffine ? 'True' : 'False'}`;
  }
}
