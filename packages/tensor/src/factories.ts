import { allocate, castScalar, DEFAULT_DTYPE, type DType, dtypeOf, type TypedArray } from './dtype';
import { DTypeError, OptError, ShapeError } from './errors';
import { checkShape, formatShape, shapeNumel } from './shape';
import { Tensor } from './tensor';
import { allocatePinned } from './wasm/pinned-memory';

/**
 * Options of the factories: the dtype of the result (default `'float32'`), and whether to allocate
 * it in pinned memory (default false, see {@link Tensor.pinMemory}; `fromTypedArray`, which does
 * not copy, refuses it).
 *
 * @example
 * ```ts
 * zeros([2], { dtype: 'int32' });
 * zeros([1024], { pinMemory: true }).isPinned(); // true
 * ```
 */
export interface DTypeOptions {
  dtype?: DType;
  pinMemory?: boolean;
}

/**
 * What `tensor()` accepts besides typed arrays: numbers, booleans (stored as 1/0) and nested arrays of them.
 *
 * @example
 * ```ts
 * const v: NestedInput = [[1, 2], [true, false]];
 * ```
 */
export type NestedInput = number | boolean | NestedInput[];

/** A factory's zero-filled storage: in pinned memory when `options.pinMemory` asks for it. */
function allocateFor(op: string, dtype: DType, length: number, options: DTypeOptions): TypedArray {
  return options.pinMemory ? allocatePinned(op, dtype, length) : allocate(dtype, length);
}

function checkDType(op: string, dtype: unknown): DType {
  if (dtype === 'float32' || dtype === 'float64' || dtype === 'int32' || dtype === 'bool') return dtype;
  throw new DTypeError(
    `${op}: unknown dtype ${JSON.stringify(dtype)}; expected 'float32', 'float64', 'int32' or 'bool'`,
  );
}

/** The dtype of a range factory: bool has no steps (PyTorch's arange/linspace are not implemented for it). */
function numericDType(op: string, dtype: unknown): DType {
  const d = checkDType(op, dtype ?? DEFAULT_DTYPE);
  if (d === 'bool')
    throw new DTypeError(`${op}: dtype 'bool' is not supported; expected 'float32', 'float64' or 'int32'`);
  return d;
}

function inferShape(values: NestedInput, shape: number[]): void {
  if (Array.isArray(values)) {
    shape.push(values.length);
    if (values.length > 0) inferShape(values[0], shape);
  }
}

function fillNested(
  op: string,
  values: unknown,
  shape: number[],
  d: number,
  out: TypedArray,
  pos: { i: number },
  dtype: DType,
): void {
  if (d === shape.length) {
    if (typeof values === 'boolean') out[pos.i++] = values ? 1 : 0;
    else if (typeof values === 'number') out[pos.i++] = castScalar(values, dtype);
    else
      throw new DTypeError(
        `${op}: expected a number or boolean at depth ${d}, got ${Array.isArray(values) ? 'an array' : typeof values}`,
      );
    return;
  }
  if (!Array.isArray(values) || values.length !== shape[d]) {
    throw new ShapeError(
      `${op}: nested arrays are ragged; expected a sequence of length ${shape[d]} at depth ${d} (shape ${formatShape(shape)}), got ${Array.isArray(values) ? `length ${values.length}` : typeof values}`,
    );
  }
  for (const v of values) fillNested(op, v, shape, d + 1, out, pos, dtype);
}

/**
 * Builds a tensor by copying `values`: a number (0-d), nested arrays (shape inferred; `shape`, when
 * given, must match or reshape it), or a typed array / flat array with `shape` (default: 1-D).
 * `dtype` defaults to float32, or to the typed array's own dtype.
 *
 * @example
 * ```ts
 * tensor([[1, 2], [3, 4]]);
 * tensor(new Float64Array([1, 2, 3, 4]), [2, 2]);
 * tensor(3, undefined, { dtype: 'int32' });
 * ```
 */
export function tensor(
  values: number | boolean | NestedInput | TypedArray,
  shape?: readonly number[],
  options: DTypeOptions = {},
): Tensor {
  if (ArrayBuffer.isView(values)) {
    const dtype = checkDType('tensor', options.dtype ?? dtypeOf(values as TypedArray));
    const src = values as TypedArray;
    const s = shape ?? [src.length];
    checkShape('tensor', s);
    if (shapeNumel(s) !== src.length) {
      throw new ShapeError(
        `tensor: shape ${formatShape(s)} holds ${shapeNumel(s)} elements but the typed array has ${src.length}`,
      );
    }
    const out = allocateFor('tensor', dtype, src.length, options);
    if (dtype === 'bool') for (let i = 0; i < src.length; i++) out[i] = src[i] !== 0 ? 1 : 0;
    else out.set(src);
    return new Tensor(out, s);
  }
  const dtype = checkDType('tensor', options.dtype ?? DEFAULT_DTYPE);
  const inferred: number[] = [];
  inferShape(values as NestedInput, inferred);
  if (shape !== undefined) {
    checkShape('tensor', shape);
    if (shapeNumel(shape) !== shapeNumel(inferred)) {
      throw new ShapeError(
        `tensor: shape ${formatShape(shape)} holds ${shapeNumel(shape)} elements but values have shape ${formatShape(inferred)}`,
      );
    }
  }
  const out = allocateFor('tensor', dtype, shapeNumel(inferred), options);
  fillNested('tensor', values, inferred, 0, out, { i: 0 }, dtype);
  return new Tensor(out, shape ?? inferred);
}

/**
 * Wraps a typed array as a contiguous tensor without copying (writes through both ways).
 *
 * @example
 * ```ts
 * const buf = new Float32Array(6);
 * const t = fromTypedArray(buf, [2, 3]);
 * ```
 */
export function fromTypedArray(
  values: TypedArray,
  shape?: readonly number[],
  options: DTypeOptions = {},
): Tensor {
  if (!ArrayBuffer.isView(values))
    throw new DTypeError(`fromTypedArray: values must be a typed array, got ${typeof values}`);
  const s = shape ?? [values.length];
  checkShape('fromTypedArray', s);
  if (shapeNumel(s) !== values.length) {
    throw new ShapeError(
      `fromTypedArray: shape ${formatShape(s)} holds ${shapeNumel(s)} elements but the typed array has ${values.length}`,
    );
  }
  if (options.pinMemory) {
    throw new OptError(
      'fromTypedArray: pinMemory: true needs a copy, and fromTypedArray wraps the array without copying; call .pinMemory() on the result (or use tensor())',
    );
  }
  const own = dtypeOf(values);
  if (options.dtype !== undefined && options.dtype !== own) {
    throw new DTypeError(
      `fromTypedArray: dtype '${options.dtype}' does not match the ${values.constructor.name} given (${own}); no copy is made, so they must agree`,
    );
  }
  return new Tensor(values, s);
}

/**
 * A tensor of `shape` filled with `value`.
 *
 * @example
 * ```ts
 * full([2, 2], 7).toArray(); // [[7, 7], [7, 7]]
 * ```
 */
export function full(shape: readonly number[], value: number, options: DTypeOptions = {}): Tensor {
  const dtype = checkDType('full', options.dtype ?? DEFAULT_DTYPE);
  checkShape('full', shape);
  const out = allocateFor('full', dtype, shapeNumel(shape), options);
  if (value !== 0) out.fill(castScalar(value, dtype));
  return new Tensor(out, shape);
}

/**
 * A tensor of zeros.
 *
 * @example
 * ```ts
 * zeros([2, 3]).shape; // [2, 3]
 * ```
 */
export function zeros(shape: readonly number[], options: DTypeOptions = {}): Tensor {
  return full(shape, 0, options);
}

/**
 * A tensor of ones.
 *
 * @example
 * ```ts
 * ones([3]).toArray(); // [1, 1, 1]
 * ```
 */
export function ones(shape: readonly number[], options: DTypeOptions = {}): Tensor {
  return full(shape, 1, options);
}

/**
 * An uninitialised tensor (zero-filled here, since typed arrays always are).
 *
 * @example
 * ```ts
 * empty([4]).numel; // 4
 * ```
 */
export function empty(shape: readonly number[], options: DTypeOptions = {}): Tensor {
  return full(shape, 0, options);
}

/**
 * Zeros with the shape (and, unless given, dtype) of `like`.
 *
 * @example
 * ```ts
 * zerosLike(x).shape; // x.shape
 * ```
 */
export function zerosLike(like: Tensor, options: DTypeOptions = {}): Tensor {
  return full(like.shape, 0, { ...options, dtype: options.dtype ?? like.dtype });
}

/**
 * Ones with the shape (and, unless given, dtype) of `like`.
 *
 * @example
 * ```ts
 * onesLike(x).sum().item(); // x.numel
 * ```
 */
export function onesLike(like: Tensor, options: DTypeOptions = {}): Tensor {
  return full(like.shape, 1, { ...options, dtype: options.dtype ?? like.dtype });
}

/**
 * `value` everywhere, with the shape (and, unless given, dtype) of `like`.
 *
 * @example
 * ```ts
 * fullLike(x, 0.5);
 * ```
 */
export function fullLike(like: Tensor, value: number, options: DTypeOptions = {}): Tensor {
  return full(like.shape, value, { ...options, dtype: options.dtype ?? like.dtype });
}

/**
 * An uninitialised (zero-filled) tensor like `like`.
 *
 * @example
 * ```ts
 * emptyLike(x).shape; // x.shape
 * ```
 */
export function emptyLike(like: Tensor, options: DTypeOptions = {}): Tensor {
  return full(like.shape, 0, { ...options, dtype: options.dtype ?? like.dtype });
}

/**
 * Values `start, start + step, …` below `end` (PyTorch's `arange`; one argument means `[0, end)`).
 * The result is float32 unless `dtype` says otherwise. The length is `ceil((end − start) / step)`; an
 * int32 arange, as PyTorch's integer ones, truncates `start`, `end` and `step` to integers first
 * (so a step below 1 in magnitude is refused as 0) and steps from the truncated `start`.
 *
 * @example
 * ```ts
 * arange(5).toArray(); // [0, 1, 2, 3, 4]
 * arange(1, 2, 0.25).toArray(); // [1, 1.25, 1.5, 1.75]
 * ```
 */
export function arange(start: number, end?: number, step = 1, options: DTypeOptions = {}): Tensor {
  const lo = end === undefined ? 0 : start;
  const hi = end === undefined ? start : end;
  const dtype = numericDType('arange', options.dtype);
  const int = dtype === 'int32';
  const first = int ? Math.trunc(lo) : lo;
  const last = int ? Math.trunc(hi) : hi;
  const inc = int ? Math.trunc(step) : step;
  if (inc === 0 || !Number.isFinite(inc))
    throw new ShapeError(
      `arange: step ${step} is invalid; expected a finite non-zero number${int && inc === 0 && step !== 0 ? ' (an int32 arange truncates it to 0)' : ''}`,
    );
  if (!Number.isFinite(lo) || !Number.isFinite(hi))
    throw new ShapeError(`arange: unsupported range ${lo} -> ${hi}; expected finite bounds`);
  if ((last - first) * inc < 0)
    throw new ShapeError(
      `arange: upper bound ${hi} and lower bound ${lo} are inconsistent with step sign ${step}`,
    );
  const n = Math.max(0, Math.ceil((hi - lo) / step));
  const out = allocateFor('arange', dtype, n, options);
  for (let i = 0; i < n; i++) out[i] = first + i * inc;
  return new Tensor(out, [n]);
}

/**
 * `steps` evenly spaced values from `start` to `end` inclusive (one step is `[start]`), computed as
 * PyTorch's CPU kernel computes them: the first half forward from `start`, the second half backward
 * from `end`; in float32 arithmetic for float32 (each `start + step·i` rounded once, as the fused
 * multiply-add of PyTorch's AVX2/AVX-512/ARM builds rounds it), in float64 for float64, and from
 * `start` and `end` truncated to integers for int32. PyTorch's vectorised loop (16 steps or more)
 * restarts the sums every 8 or 16 elements, depending on the CPU, and can differ there by an ulp.
 *
 * @example
 * ```ts
 * linspace(0, 1, 5).toArray(); // [0, 0.25, 0.5, 0.75, 1]
 * ```
 */
export function linspace(start: number, end: number, steps: number, options: DTypeOptions = {}): Tensor {
  if (!Number.isInteger(steps) || steps < 0)
    throw new ShapeError(`linspace: steps ${steps} is invalid; expected a non-negative integer`);
  const dtype = numericDType('linspace', options.dtype);
  const out = allocateFor('linspace', dtype, steps, options);
  // ATen casts start and end to the dtype first; float32 steps in float32
  const f32 = dtype === 'float32';
  const lo = f32 ? Math.fround(start) : dtype === 'int32' ? Math.trunc(start) : start;
  const hi = f32 ? Math.fround(end) : dtype === 'int32' ? Math.trunc(end) : end;
  const span = f32 ? Math.fround(hi - lo) : hi - lo;
  const step = steps > 1 ? (f32 ? Math.fround(span / (steps - 1)) : span / (steps - 1)) : 0;
  const half = Math.floor(steps / 2);
  // PyTorch fills the first half forward from start and the second half backward from end; one step
  // is start (the backward half would give end). step·i is exact in float64 for a float32 step, so
  // storing into a Float32Array rounds each value once.
  if (steps === 1) out[0] = lo;
  else for (let i = 0; i < steps; i++) out[i] = i < half ? lo + step * i : hi - step * (steps - 1 - i);
  return new Tensor(out, [steps]);
}

/**
 * Identity matrix `n × m` (`m` defaults to `n`).
 *
 * @example
 * ```ts
 * eye(2).toArray(); // [[1, 0], [0, 1]]
 * ```
 */
export function eye(n: number, m: number = n, options: DTypeOptions = {}): Tensor {
  checkShape('eye', [n, m]);
  const t = zeros([n, m], options);
  for (let i = 0; i < Math.min(n, m); i++) t.values[i * m + i] = 1;
  return t;
}
