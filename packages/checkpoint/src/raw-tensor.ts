import type { TensorDType } from './tensor-like';
import type { StorageArray } from './torch-dtypes';

/**
 * Builds the value `load` returns for each tensor in a file, from its
 * contiguous row-major values. The default makes `@opt/tensor` tensors.
 *
 * @example
 * ```ts
 * const asArrays: TensorFactory = (values, shape) => ({ shape, data: Array.from(values) });
 * fromBytes(bytes, { tensorFactory: asArrays });
 * ```
 */
export type TensorFactory = (values: StorageArray, shape: readonly number[], dtype: TensorDType) => unknown;

/**
 * A tensor as plain data (dtype, shape, contiguous values), for code that
 * reads checkpoints without `@opt/tensor`. It can be saved again: it has
 * `toTypedArray()`.
 *
 * @example
 * ```ts
 * const sd = fromBytes(bytes, { tensorFactory: rawTensorFactory });
 * sd.weight instanceof RawTensor; // true
 * sd.weight.values; // Float32Array
 * ```
 */
export class RawTensor {
  constructor(
    readonly values: StorageArray,
    readonly shape: readonly number[],
    readonly dtype: TensorDType,
  ) {}
  /** A copy of the values (flat, row-major). */
  toTypedArray(): StorageArray {
    return this.values.slice();
  }
}

/**
 * A {@link TensorFactory} that returns {@link RawTensor}s.
 *
 * @example
 * ```ts
 * const sd = await load('model.pt', { tensorFactory: rawTensorFactory });
 * ```
 */
export const rawTensorFactory: TensorFactory = (values, shape, dtype) =>
  new RawTensor(values, [...shape], dtype);
