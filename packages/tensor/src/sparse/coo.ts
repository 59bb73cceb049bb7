import { denseValues } from '../dense';
import { allocate, type DType } from '../dtype';
import { DTypeError, IndexError, OptError, ShapeError } from '../errors';
import { formatShape } from '../shape';
import { Tensor } from '../tensor';

/** Methods of Tensor that a sparse COO tensor keeps (its own versions below); every other one throws. */
const SPARSE_METHODS = new Set(['constructor', 'toString', 'dim', 'size']);

/**
 * A sparse tensor in coordinate (COO) format, like PyTorch's `sparse_coo`
 * layout: `indices` (int32 `[sparseDims, nnz]`) name the positions of the
 * first `sparseDims` dimensions and `values` (`[nnz, ...denseDims]`) hold
 * the slices stored there. Duplicates are allowed until {@link coalesce}
 * sums them. Embedding gradients with `sparse: true` are these; dense ops
 * on one throw (call {@link toDense}).
 *
 * @example
 * ```ts
 * const g = sparseCooTensor(tensor([[0, 2, 0]], undefined, { dtype: 'int32' }), tensor([[1, 1], [2, 2], [3, 3]]), [4, 2]);
 * g.coalesce().toDense().toArray(); // [[4, 4], [0, 0], [2, 2], [0, 0]]
 * ```
 */
export class SparseCooTensor extends Tensor {
  readonly #indices: Tensor;
  readonly #values: Tensor;
  readonly #coalesced: boolean;

  /**
   * @param indices int32 `[sparseDims, nnz]`.
   * @param values `[nnz, ...denseDims]`.
   * @param shape the dense shape, `[...sparse sizes, ...denseDims]`.
   * @param coalesced whether the indices are known sorted and unique.
   */
  constructor(indices: Tensor, values: Tensor, shape: readonly number[], coalesced = false) {
    super(
      allocate(values.dtype, 1),
      [...shape],
      shape.map(() => 0),
      0,
      values.dtype,
    );
    if (indices.dtype !== 'int32')
      throw new DTypeError(`sparseCooTensor: indices must be int32; got ${indices.dtype}`);
    if (indices.ndim !== 2)
      throw new ShapeError(
        `sparseCooTensor: indices must be 2-D [sparseDims, nnz]; got ${formatShape(indices.shape)}`,
      );
    const sparseDims = indices.shape[0]!;
    const nnz = indices.shape[1]!;
    if (values.ndim < 1 || values.shape[0] !== nnz) {
      throw new ShapeError(
        `sparseCooTensor: values must be [nnz=${nnz}, ...]; got ${formatShape(values.shape)}`,
      );
    }
    const dense = values.shape.slice(1);
    if (shape.length !== sparseDims + dense.length || dense.some((d, i) => d !== shape[sparseDims + i])) {
      throw new ShapeError(
        `sparseCooTensor: shape ${formatShape(shape)} does not fit ${sparseDims} sparse dims and values ${formatShape(values.shape)}`,
      );
    }
    const idx = denseValues(indices);
    for (let d = 0; d < sparseDims; d++) {
      for (let j = 0; j < nnz; j++) {
        const v = idx[d * nnz + j]!;
        if (v < 0 || v >= shape[d]!) {
          throw new IndexError(
            `sparseCooTensor: index ${v} is out of bounds for dimension ${d} with size ${shape[d]}`,
          );
        }
      }
    }
    // own dense copies when the arguments are views with an offset: the methods index storage from 0
    this.#indices = indices.isContiguous() && indices.offset === 0 ? indices : indices.clone();
    this.#values = values.isContiguous() && values.offset === 0 ? values : values.clone();
    this.#coalesced = coalesced;
  }

  override get isSparse(): boolean {
    return true;
  }

  /** Number of stored entries (duplicates counted). */
  get nnz(): number {
    return this.#indices.shape[1]!;
  }

  /** The int32 `[sparseDims, nnz]` positions. */
  indices(): Tensor {
    return this.#indices;
  }

  /** The `[nnz, ...denseDims]` stored values. */
  sparseValues(): Tensor {
    return this.#values;
  }

  /** Whether indices are sorted and unique. */
  isCoalesced(): boolean {
    return this.#coalesced;
  }

  /**
   * The same tensor with indices sorted (row-major) and duplicates summed.
   *
   * @example
   * ```ts
   * g.coalesce().indices().toArray();
   * g.coalesce().sparseValues().toArray();
   * ```
   */
  coalesce(): SparseCooTensor {
    if (this.#coalesced) return this;
    const sd = this.#indices.shape[0]!;
    const nnz = this.nnz;
    const idx = this.#indices.values;
    const key = new Float64Array(nnz);
    for (let j = 0; j < nnz; j++) {
      let k = 0;
      for (let d = 0; d < sd; d++) k = k * this.shape[d]! + idx[d * nnz + j]!;
      key[j] = k;
    }
    const order = Array.from({ length: nnz }, (_, j) => j).sort((a, b) => key[a]! - key[b]! || a - b);
    const slice = this.#values.numel / Math.max(nnz, 1);
    const unique: number[] = [];
    for (const j of order)
      if (unique.length === 0 || key[unique[unique.length - 1]!] !== key[j]) unique.push(j);
    const outIdx = new Int32Array(sd * unique.length);
    const outVals = allocate(this.dtype, unique.length * slice);
    const src = this.#values.values;
    let u = -1;
    let lastKey = Number.NaN;
    for (const j of order) {
      if (key[j] !== lastKey) {
        u++;
        lastKey = key[j]!;
        for (let d = 0; d < sd; d++) outIdx[d * unique.length + u] = idx[d * nnz + j]!;
      }
      for (let e = 0; e < slice; e++) outVals[u * slice + e]! += src[j * slice + e]!;
    }
    return new SparseCooTensor(
      new Tensor(outIdx, [sd, unique.length]),
      new Tensor(outVals, [unique.length, ...this.#values.shape.slice(1)]),
      this.shape,
      true,
    );
  }

  /**
   * The dense tensor this represents (duplicates summed).
   *
   * @example
   * ```ts
   * sparse.toDense().shape; // sparse.shape
   * ```
   */
  toDense(): Tensor {
    const sd = this.#indices.shape[0]!;
    const nnz = this.nnz;
    const idx = this.#indices.values;
    const slice = this.#values.numel / Math.max(nnz, 1);
    const out = allocate(
      this.dtype,
      this.shape.reduce((a, b) => a * b, 1),
    );
    const src = this.#values.values;
    for (let j = 0; j < nnz; j++) {
      let k = 0;
      for (let d = 0; d < sd; d++) k = k * this.shape[d]! + idx[d * nnz + j]!;
      for (let e = 0; e < slice; e++) out[k * slice + e]! += src[j * slice + e]!;
    }
    return new Tensor(out, [...this.shape]);
  }

  /**
   * Sum with another sparse tensor (sparse result, entries concatenated) or a
   * dense one (dense result).
   *
   * @example
   * ```ts
   * a.add(b).coalesce(); // sparse + sparse
   * a.add(zeros(a.shape)); // dense
   * ```
   */
  override add(other: Tensor | number, options: { alpha?: number } = {}): Tensor {
    const alpha = options.alpha ?? 1;
    if (typeof other === 'number')
      throw new OptError(
        'add: adding a number to a sparse COO tensor is not supported; call toDense() first',
      );
    if (other.shape.length !== this.shape.length || other.shape.some((d, i) => d !== this.shape[i])) {
      throw new ShapeError(
        `add: sparse ${formatShape(this.shape)} and ${formatShape(other.shape)} differ in shape`,
      );
    }
    if (other instanceof SparseCooTensor) {
      const sd = this.#indices.shape[0]!;
      const joined = new Int32Array(sd * (this.nnz + other.nnz));
      for (let d = 0; d < sd; d++) {
        joined.set(
          this.#indices.values.subarray(d * this.nnz, (d + 1) * this.nnz),
          d * (this.nnz + other.nnz),
        );
        joined.set(
          other.#indices.values.subarray(d * other.nnz, (d + 1) * other.nnz),
          d * (this.nnz + other.nnz) + this.nnz,
        );
      }
      const ov = alpha === 1 ? other.#values : other.#values.mul(alpha);
      const vals = allocate(this.dtype, this.#values.numel + ov.numel);
      vals.set(denseValues(this.#values) as never, 0);
      vals.set(denseValues(ov) as never, this.#values.numel);
      return new SparseCooTensor(
        new Tensor(joined, [sd, this.nnz + other.nnz]),
        new Tensor(vals, [this.nnz + other.nnz, ...this.#values.shape.slice(1)]),
        this.shape,
      );
    }
    return this.toDense().add(other, { alpha });
  }

  /**
   * Scales the stored values (sparse result).
   *
   * @example
   * ```ts
   * grad.mul(0.5);
   * ```
   */
  override mul(other: Tensor | number): Tensor {
    if (typeof other !== 'number')
      throw new OptError('mul: a sparse COO tensor can only be multiplied by a number; call toDense() first');
    return new SparseCooTensor(this.#indices, this.#values.mul(other), this.shape, this.#coalesced);
  }

  /** A copy with its own index and value storage. */
  override clone(): SparseCooTensor {
    return new SparseCooTensor(this.#indices.clone(), this.#values.clone(), this.shape, this.#coalesced);
  }

  override toString(): string {
    return `tensor(indices=${this.#indices.toString()},\n       values=${this.#values.toString()},\n       size=(${this.shape.join(', ')}), nnz=${this.nnz}, layout=torch.sparse_coo)`;
  }
}

// every dense Tensor method the class does not define itself throws a clear error
for (const name of Object.getOwnPropertyNames(Tensor.prototype)) {
  if (SPARSE_METHODS.has(name) || Object.hasOwn(SparseCooTensor.prototype, name)) continue;
  const desc = Object.getOwnPropertyDescriptor(Tensor.prototype, name);
  if (!desc || typeof desc.value !== 'function') continue;
  Object.defineProperty(SparseCooTensor.prototype, name, {
    value(): never {
      throw new OptError(`${name} is not supported on a sparse COO tensor; call toDense() first`);
    },
    writable: true,
    configurable: true,
  });
}

/**
 * Builds a {@link SparseCooTensor}, like `torch.sparse_coo_tensor`.
 *
 * @example
 * ```ts
 * const s = sparseCooTensor(tensor([[0, 1]], undefined, { dtype: 'int32' }), tensor([5, 6]), [3]);
 * s.toDense().toArray(); // [5, 6, 0]
 * ```
 */
export function sparseCooTensor(
  indices: Tensor,
  values: Tensor,
  shape: readonly number[],
  _dtype?: DType,
): SparseCooTensor {
  return new SparseCooTensor(indices, values, shape);
}
