import { ShapeError, type Tensor } from '@opt/tensor';

/**
 * A map-style dataset, like `torch.utils.data.Dataset`: `length` samples,
 * sample `i` from `get(i)`. Subclass it or build one with `TensorDataset`.
 *
 * @example
 * ```ts
 * class Squares extends Dataset<[number, number]> {
 *   readonly length = 10;
 *   get(i: number): [number, number] { return [i, i * i]; }
 * }
 * ```
 */
export abstract class Dataset<T = unknown> {
  /** Number of samples. */
  abstract readonly length: number;
  /**
   * The sample at `index` (0 ≤ index < length).
   *
   * @example
   * ```ts
   * const [x, y] = dataset.get(0);
   * ```
   */
  abstract get(index: number): T;
}

/** Checks an index against a length; throws a RangeError naming both. */
export function checkIndex(where: string, index: number, length: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= length) {
    throw new RangeError(`${where}: index ${index} is out of range for a dataset of length ${length}`);
  }
}

/**
 * A dataset of tensors that share their first dimension: sample `i` is the
 * array of their `i`-th rows, like `torch.utils.data.TensorDataset`.
 *
 * @example
 * ```ts
 * const ds = new TensorDataset(x, y); // x: [N, 2], y: [N]
 * const [xi, yi] = ds.get(0);         // xi: [2], yi: []
 * ```
 */
export class TensorDataset extends Dataset<Tensor[]> {
  /** The tensors, all with the same first dimension. */
  readonly tensors: Tensor[];
  /** Their common first dimension. */
  readonly length: number;

  /**
   * @param tensors tensors with the same size along dimension 0.
   */
  constructor(...tensors: Tensor[]) {
    super();
    if (tensors.length === 0) throw new TypeError('TensorDataset: expected at least one tensor, got none');
    const n = tensors[0]!.shape[0];
    tensors.forEach((t, i) => {
      if (t.shape.length === 0 || t.shape[0] !== n) {
        throw new ShapeError(
          `TensorDataset: tensors[${i}] has shape [${t.shape.join(', ')}], expected first dimension ${n} like tensors[0]`,
        );
      }
    });
    this.tensors = tensors;
    this.length = n ?? 0;
  }

  /**
   * The `index`-th row of every tensor (views, not copies).
   *
   * @example
   * ```ts
   * const [xi, yi] = ds.get(3);
   * ```
   */
  get(index: number): Tensor[] {
    checkIndex('TensorDataset.get', index, this.length);
    return this.tensors.map((t) => t.select(0, index));
  }
}
