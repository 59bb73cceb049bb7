import type { Variable } from '@opt/autograd';
import type { Generator, Tensor } from '@opt/tensor';
import { NnInputError } from '../errors';
import * as F from '../functional';
import { normal_ } from '../init';
import { Module } from '../module';
import type { Parameter } from '../parameter';
import { emptyParam, positiveInt } from './util';

/** Options of `Embedding`. */
export interface EmbeddingOptions {
  /** Produce a `SparseCooTensor` gradient holding only the looked-up rows (default false). */
  sparse?: boolean;
  /** Generator for the initial weights (default: the global one). */
  generator?: Generator;
}

/**
 * A lookup table of `numEmbeddings` vectors of size `embeddingDim`, like
 * `torch.nn.Embedding`; weights start standard normal. With
 * `sparse: true` the weight's gradient is a `SparseCooTensor` (for
 * `SparseAdam`).
 *
 * @example
 * ```ts
 * const emb = new Embedding(10, 3);
 * emb.forward(tensor([[1, 2], [4, 9]], undefined, { dtype: 'int32' })); // [2, 2, 3]
 * ```
 */
export class Embedding extends Module {
  /** Size of the dictionary. */
  readonly numEmbeddings: number;
  /** Size of each vector. */
  readonly embeddingDim: number;
  /** Whether the weight's gradient is sparse. */
  readonly sparse: boolean;
  /** The table, `[numEmbeddings, embeddingDim]`. */
  weight: Parameter;

  /**
   * @param numEmbeddings size of the dictionary.
   * @param embeddingDim size of each vector.
   * @param options `sparse`, `generator`.
   */
  constructor(numEmbeddings: number, embeddingDim: number, options: EmbeddingOptions = {}) {
    super();
    this.numEmbeddings = positiveInt('Embedding', 'numEmbeddings', numEmbeddings);
    this.embeddingDim = positiveInt('Embedding', 'embeddingDim', embeddingDim);
    this.sparse = options.sparse ?? false;
    this.weight = emptyParam([numEmbeddings, embeddingDim]);
    normal_(this.weight, { generator: options.generator });
  }

  /**
   * Looks up the rows of `indices` (an int32 Tensor or Variable of any shape).
   *
   * @example
   * ```ts
   * emb.forward(ids); // ids: [B, T] → [B, T, embeddingDim]
   * ```
   */
  override forward(indices: Tensor | Variable): Variable {
    const t: Tensor = 'data' in indices ? indices.data : indices;
    if (t.dtype !== 'int32') {
      throw new NnInputError(
        `Embedding(${this.numEmbeddings}, ${this.embeddingDim}): expected int32 indices, got dtype ${t.dtype}`,
      );
    }
    const flat = t.toTypedArray();
    for (let i = 0; i < flat.length; i++) {
      const v = flat[i]!;
      if (v < 0 || v >= this.numEmbeddings) {
        throw new NnInputError(
          `Embedding(${this.numEmbeddings}, ${this.embeddingDim}): index ${v} out of range [0, ${this.numEmbeddings})`,
        );
      }
    }
    return F.embedding(t, this.weight, this.sparse);
  }

  override extraRepr(): string {
    return `${this.numEmbeddings}, ${this.embeddingDim}${this.sparse ? ', sparse=True' : ''}`;
  }
}
