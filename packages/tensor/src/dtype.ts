/**
 * The element types a tensor can hold. `bool` is stored as a `Uint8Array` of 0 and 1.
 *
 * @example
 * ```ts
 * const d: DType = 'float64';
 * ```
 */
export type DType = 'float32' | 'float64' | 'int32' | 'bool';

/**
 * The typed arrays that back tensors.
 *
 * @example
 * ```ts
 * const a: TypedArray = new Float32Array(4);
 * ```
 */
export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array;

/**
 * The default dtype of factories: `'float32'`, as in PyTorch.
 *
 * @example
 * ```ts
 * zeros([2]).dtype === DEFAULT_DTYPE; // true
 * ```
 */
export const DEFAULT_DTYPE: DType = 'float32';

/** The typed array class that stores each dtype (bool as bytes). */
const ARRAY_TYPES: Record<
  DType,
  {
    new (length: number): TypedArray;
    new (buffer: ArrayBufferLike, byteOffset: number, length: number): TypedArray;
    readonly BYTES_PER_ELEMENT: number;
  }
> = { float32: Float32Array, float64: Float64Array, int32: Int32Array, bool: Uint8Array };

/**
 * A typed array of `length` elements of `dtype` over `buffer` from byte `byteOffset` (no copy).
 *
 * @example
 * ```ts
 * viewOf('float32', new ArrayBuffer(16), 0, 4); // Float32Array [0, 0, 0, 0]
 * ```
 */
export function viewOf(
  dtype: DType,
  buffer: ArrayBufferLike,
  byteOffset: number,
  length: number,
): TypedArray {
  return new ARRAY_TYPES[dtype](buffer, byteOffset, length);
}

/**
 * Bytes per element of `dtype`.
 *
 * @example
 * ```ts
 * bytesPerElement('float64'); // 8
 * ```
 */
export function bytesPerElement(dtype: DType): number {
  return ARRAY_TYPES[dtype].BYTES_PER_ELEMENT;
}

/**
 * Allocates a zero-filled typed array of `length` elements for `dtype`.
 *
 * @example
 * ```ts
 * allocate('int32', 3); // Int32Array [0, 0, 0]
 * ```
 */
export function allocate(dtype: DType, length: number): TypedArray {
  return new ARRAY_TYPES[dtype](length);
}

/**
 * The dtype that matches a typed array (`Uint8Array` maps to `'bool'`).
 *
 * @example
 * ```ts
 * dtypeOf(new Float64Array(1)); // 'float64'
 * ```
 */
export function dtypeOf(values: TypedArray): DType {
  if (values instanceof Float32Array) return 'float32';
  if (values instanceof Float64Array) return 'float64';
  if (values instanceof Int32Array) return 'int32';
  return 'bool';
}

/**
 * Whether `dtype` holds floating-point numbers.
 *
 * @example
 * ```ts
 * isFloating('int32'); // false
 * ```
 */
export function isFloating(dtype: DType): boolean {
  return dtype === 'float32' || dtype === 'float64';
}

/**
 * PyTorch's name of a dtype, as printed by `toString()`.
 *
 * @example
 * ```ts
 * torchDTypeName('float64'); // 'torch.float64'
 * ```
 */
export function torchDTypeName(dtype: DType): string {
  return `torch.${dtype}`;
}

/**
 * Casts a JS number to what storing it in a tensor of `dtype` gives (int truncation, bool 0/1).
 *
 * @example
 * ```ts
 * castScalar(2.7, 'int32'); // 2
 * ```
 */
export function castScalar(value: number, dtype: DType): number {
  if (dtype === 'int32') return value | 0;
  if (dtype === 'bool') return value !== 0 ? 1 : 0;
  if (dtype === 'float32') return Math.fround(value);
  return value;
}
