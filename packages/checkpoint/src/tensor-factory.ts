import type { Tensor } from '@opt/tensor';
import * as tensorLib from '@opt/tensor';
import type { TensorDType } from './tensor-like';
import type { StorageArray } from './torch-dtypes';

/**
 * Builds a contiguous tensor over `values` (no copy) (internal: the one place
 * this package creates `@opt/tensor` tensors).
 */
export function makeTensor(values: StorageArray, shape: readonly number[], dtype: TensorDType): Tensor {
  return tensorLib.fromTypedArray(values, [...shape], { dtype });
}
