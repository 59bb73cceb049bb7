import type { TypedArray } from './dtype';
import type { Tensor } from './tensor';

/**
 * The values of `t` as a dense row-major array starting at index 0, for kernels that index from 0:
 * its own storage when `t` is contiguous from the storage's start, else a contiguous copy. A
 * contiguous view with an offset (`narrow`, `chunk`, `split`, `select` on the first dimension)
 * is copied, since its storage starts before its first element.
 *
 * @example
 * ```ts
 * denseValues(tensor([[1, 2], [3, 4]]).narrow(0, 1, 1)); // Float32Array [3, 4]
 * ```
 */
export function denseValues(t: Tensor): TypedArray {
  return t.isContiguous() && t.offset === 0 ? t.values : t.toTypedArray();
}
