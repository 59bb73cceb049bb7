import * as tensorLib from '@opt/tensor';
import { RawTensor, rawTensorFactory, type TensorFactory } from '../src/raw-tensor';
import type { TensorDType } from '../src/tensor-like';
import type { StorageArray } from '../src/torch-dtypes';

/**
 * Whether `@opt/tensor` already exports `fromTypedArray` (it is written in
 * parallel). Until it does, tests read tensors as {@link RawTensor}s (same
 * values, dtype and shape, no `@opt/tensor`) and say so loudly.
 */
export const tensorReady = typeof (tensorLib as Record<string, unknown>)['fromTypedArray'] === 'function';

/** The tensor factory tests load with: the default (`@opt/tensor`) when ready, else raw tensors. */
export const testFactory: TensorFactory | undefined = tensorReady ? undefined : rawTensorFactory;

/** A tensor to save: an `@opt/tensor` Tensor when ready, else a RawTensor. */
export function makeTestTensor(values: StorageArray, shape: number[], dtype: TensorDType): any {
  return tensorReady
    ? tensorLib.fromTypedArray(values, shape, { dtype })
    : new RawTensor(values, shape, dtype);
}

export function warnIfTensorMissing(what: string): void {
  if (!tensorReady) {
    console.warn(
      `\n*** NOTE: ${what} read tensors as RawTensor: @opt/tensor does not export fromTypedArray yet ***\n`,
    );
  }
}
