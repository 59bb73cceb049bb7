/**
 * The tensor dtypes of `@opt/tensor`, the ones `load` returns and `save` writes.
 *
 * @example
 * ```ts
 * const d: TensorDType = 'float32';
 * ```
 */
export type TensorDType = 'float32' | 'float64' | 'int32' | 'bool';

/**
 * What the writers need from a tensor: its dtype, shape and a flat,
 * contiguous, row-major copy of its values. Every `@opt/tensor` `Tensor` is one.
 *
 * @example
 * ```ts
 * const t: TensorLike = zeros([2, 3]);
 * ```
 */
export interface TensorLike {
  readonly dtype: string;
  readonly shape: readonly number[];
  toTypedArray(): Float32Array | Float64Array | Int32Array | Uint8Array;
}

/**
 * Whether `value` looks like a tensor (has a string `dtype`, an array `shape`
 * and a `toTypedArray` method).
 *
 * @example
 * ```ts
 * isTensorLike(zeros([1])); // true
 * isTensorLike({ shape: [1] }); // false
 * ```
 */
export function isTensorLike(value: unknown): value is TensorLike {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v['dtype'] === 'string' && Array.isArray(v['shape']) && typeof v['toTypedArray'] === 'function'
  );
}
