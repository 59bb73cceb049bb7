import type { TypedArray } from './dtype';
import type { Tensor } from './tensor';

/**
 * The values of `t` as a dense row-major array of exactly `t.numel` elements starting at index 0,
 * for kernels that index from 0 (read only: it may be `t`'s own storage). That is its storage when
 * `t` is contiguous and covers it exactly, the window of the storage it views when it is contiguous
 * inside a larger one (a subarray, not a copy), else a contiguous copy. A contiguous view with an
 * offset (`narrow`, `chunk`, `split`, `select` on the first dimension) starts after its storage's
 * first element, and one at offset 0 may end before its storage does (`narrow(0, 0, k)`): neither
 * is its storage.
 *
 * @example
 * ```ts
 * denseValues(tensor([[1, 2], [3, 4]]).narrow(0, 1, 1)); // Float32Array [3, 4]
 * denseValues(tensor([[1, 2], [3, 4]]).narrow(0, 0, 1)); // Float32Array [1, 2]
 * ```
 */
export function denseValues(t: Tensor): TypedArray {
  if (!t.isContiguous()) return t.toTypedArray();
  const { values, offset, numel } = t;
  return offset === 0 && values.length === numel ? values : values.subarray(offset, offset + numel);
}
