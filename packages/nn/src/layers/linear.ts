import type { Variable } from '@opt/autograd';
import { formatShape, NnInputError } from '../errors';
import * as F from '../functional';
import { defaultBiasInit_, kaimingUniform_ } from '../init';
import { Module } from '../module';
import type { Parameter } from '../parameter';
import { emptyParam, positiveInt } from './util';

/** Options of `Linear`. */
export interface LinearOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean;
  /** Generator for the initial weights (default: the global one). */
  generator?: import('@opt/tensor').Generator;
}

/**
 * A fully connected layer `y = x Wᵀ + b`, like `torch.nn.Linear`. `weight`
 * is `[outFeatures, inFeatures]`, initialised kaiming-uniform with a = √5,
 * `bias` uniform in ±1/√inFeatures (PyTorch's defaults).
 *
 * @example
 * ```ts
 * const fc = new Linear(400, 120);
 * const y = fc.forward(x); // x: [N, 400] → y: [N, 120]
 * ```
 */
export class Linear extends Module {
  /** Size of each input sample. */
  readonly inFeatures: number;
  /** Size of each output sample. */
  readonly outFeatures: number;
  /** The weight, `[outFeatures, inFeatures]`. */
  weight: Parameter;
  /** The bias, `[outFeatures]`, or `null` when built with `bias: false`. */
  bias: Parameter | null;

  /**
   * @param inFeatures size of each input sample.
   * @param outFeatures size of each output sample.
   * @param options `bias` (default true), `generator`.
   */
  constructor(inFeatures: number, outFeatures: number, options: LinearOptions = {}) {
    super();
    this.inFeatures = positiveInt('Linear', 'inFeatures', inFeatures);
    this.outFeatures = positiveInt('Linear', 'outFeatures', outFeatures);
    this.weight = emptyParam([outFeatures, inFeatures]);
    this.bias = (options.bias ?? true) ? emptyParam([outFeatures]) : null;
    this.resetParameters(options.generator);
  }

  /**
   * Re-draws the weights with PyTorch's default initialisation.
   *
   * @example
   * ```ts
   * fc.resetParameters(new Generator().manualSeed(0));
   * ```
   */
  resetParameters(generator?: import('@opt/tensor').Generator): void {
    kaimingUniform_(this.weight, { a: Math.sqrt(5), generator });
    if (this.bias !== null) defaultBiasInit_(this.bias, this.inFeatures, generator);
  }

  /**
   * Applies the layer to `input` of shape `[…, inFeatures]`.
   *
   * @example
   * ```ts
   * new Linear(3, 2).forward(x); // [N, 3] → [N, 2]
   * ```
   */
  override forward(input: Variable): Variable {
    const shape = input.shape;
    if (shape.length < 1 || shape[shape.length - 1] !== this.inFeatures) {
      throw new NnInputError(
        `Linear(${this.inFeatures}, ${this.outFeatures}): expected input [..., ${this.inFeatures}], got ${formatShape(shape)}`,
      );
    }
    return F.linear(input, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${this.bias !== null ? 'True' : 'False'}`;
  }
}
