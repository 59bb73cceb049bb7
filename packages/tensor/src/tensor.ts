import { denseValues } from './dense';
import { allocate, castScalar, type DType, dtypeOf, isFloating, type TypedArray } from './dtype';
import { Binary, binaryLoop, Ternary, ternaryLoop, Unary, unaryLoop } from './elementwise';
import { DTypeError, IndexError, OptError, ShapeError } from './errors';
import { formatTensor } from './format';
import {
  gather as gatherOp,
  indexAdd_ as indexAddInPlaceOp,
  indexAdd as indexAddOp,
  indexSelect as indexSelectOp,
  scatterAdd as scatterAddOp,
  scatter as scatterOp,
} from './ops/indexing';
import { matmul as matmulOp } from './ops/matmul';
import { logSoftmax as logSoftmaxOp, softmax as softmaxOp } from './ops/softmax';
import { Reduce, reduceLoop } from './reduce';
import {
  broadcastShapes,
  broadcastStridesTo,
  checkNoInternalOverlap,
  checkShape,
  contiguousStrides,
  formatShape,
  normalizeDim,
  shapeNumel,
  viewStrides,
} from './shape';
import { allocatePinned, isPinnedArray } from './wasm/pinned-memory';

/**
 * The nested-array form of a tensor's values, as `toArray()` returns it (a number for a 0-d tensor).
 *
 * @example
 * ```ts
 * const v: NestedArray = [[1, 2], [3, 4]];
 * ```
 */
export type NestedArray = number | NestedArray[];

/**
 * Options of `add`/`sub`/`add_`/`sub_`: `alpha` scales the other operand (`self + alpha * other`).
 *
 * @example
 * ```ts
 * x.add_(g, { alpha: -0.1 });
 * ```
 */
export interface AlphaOptions {
  alpha?: number;
}

/**
 * Options of `addcmul_`/`addcdiv_`: `value` scales the product or quotient.
 *
 * @example
 * ```ts
 * v.addcmul_(g, g, { value: 0.001 });
 * ```
 */
export interface ValueOptions {
  value?: number;
}

/**
 * Bounds of `clamp`/`clamp_`; either may be omitted.
 *
 * @example
 * ```ts
 * x.clamp({ min: 0 });
 * ```
 */
export interface ClampOptions {
  min?: number;
  max?: number;
}

/**
 * Options of `maximum`/`minimum`: `out` receives the result (its shape must be the broadcast shape).
 *
 * @example
 * ```ts
 * a.maximum(b, { out: a });
 * ```
 */
export interface OutOptions {
  out?: Tensor;
}

/**
 * Options of reductions: `dim` (one or several, negative allowed; all when omitted), `keepdim`
 * (keep reduced dimensions with size 1, default false).
 *
 * @example
 * ```ts
 * x.sum({ dim: [0, 2], keepdim: true });
 * ```
 */
export interface ReduceOptions {
  dim?: number | number[];
  keepdim?: boolean;
}

/**
 * Options of `var`/`std`: `correction` is subtracted from the count in the denominator (default 1,
 * Bessel's correction, as in PyTorch).
 *
 * @example
 * ```ts
 * x.var({ dim: 0, correction: 0 });
 * ```
 */
export interface VarOptions extends ReduceOptions {
  correction?: number;
}

/**
 * Result of `max`/`min` over one dimension: the extreme values and their int32 indices.
 *
 * @example
 * ```ts
 * const { values, indices } = x.max({ dim: 1 });
 * ```
 */
export interface ValuesIndices {
  values: Tensor;
  indices: Tensor;
}

/**
 * The version counter shared by all views of one storage (what `Tensor.version` reads).
 *
 * @example
 * ```ts
 * const box: VersionBox = { version: 0 };
 * const a = new Tensor(new Float32Array(4), [4], undefined, 0, undefined, box);
 * ```
 */
export interface VersionBox {
  version: number;
}

const SCALAR_B = new Float64Array(1);
const SCALAR_C = new Float64Array(1);
const ZERO_STRIDES: number[] = [];

function zeroStrides(n: number): number[] {
  while (ZERO_STRIDES.length < n) ZERO_STRIDES.push(0);
  return ZERO_STRIDES.length === n ? ZERO_STRIDES : ZERO_STRIDES.slice(0, n);
}

function parseReduce(
  op: string,
  ndim: number,
  dimOrOptions: number | number[] | ReduceOptions | undefined,
  options: ReduceOptions | undefined,
): { reduced: boolean[]; keepdim: boolean; all: boolean } {
  let dim: number | number[] | undefined;
  let keepdim = false;
  if (typeof dimOrOptions === 'number' || Array.isArray(dimOrOptions)) {
    dim = dimOrOptions;
    keepdim = options?.keepdim ?? false;
  } else if (dimOrOptions !== undefined) {
    dim = dimOrOptions.dim;
    keepdim = dimOrOptions.keepdim ?? false;
  }
  const reduced = new Array<boolean>(ndim).fill(dim === undefined);
  if (dim !== undefined) {
    const dims = typeof dim === 'number' ? [dim] : dim;
    for (const d of dims) {
      const nd = normalizeDim(op, d, ndim);
      if (ndim === 0) continue;
      if (reduced[nd])
        throw new IndexError(`${op}: dimension ${d} appears more than once in dim ${JSON.stringify(dim)}`);
      reduced[nd] = true;
    }
  }
  return { reduced, keepdim, all: dim === undefined };
}

/**
 * A strided view of a typed array: element `[i, j, …]` lives at
 * `values[offset + i*strides[0] + j*strides[1] + …]`. Views (`view`, `transpose`, `narrow`, …) share
 * `values` and one version counter, which every in-place op increments.
 *
 * Binary ops take `Tensor | number` and broadcast; tensors of different dtypes are a `DTypeError`
 * (cast with `to(dtype)`), numbers adopt the tensor's dtype. In-place ops (ending in `_`) write into the
 * receiver without allocating and broadcast their argument to the receiver's shape.
 *
 * @example
 * ```ts
 * const x = tensor([[1, 2], [3, 4]]);
 * x.add(1).mul(x).sum().item(); // 2 + 6 + 12 + 20 = 40
 * x.sub_(x.mul(0.5)); // in place
 * ```
 */
export class Tensor {
  /** The backing typed array, shared by every view of the same storage. */
  readonly values: TypedArray;
  /** Index in `values` of the first element. */
  readonly offset: number;
  /** Size of each dimension. */
  readonly shape: readonly number[];
  /** Step in `values` between neighbours along each dimension. */
  readonly strides: readonly number[];
  /** Element type. */
  readonly dtype: DType;
  /** Number of elements. */
  readonly numel: number;
  private readonly versionBox: VersionBox;

  /**
   * Wraps `values` (not copied) as a view with the given geometry. Prefer the factories
   * (`tensor`, `fromTypedArray`, `zeros`, …); this constructor is for code building views.
   *
   * @example
   * ```ts
   * const t = new Tensor(new Float32Array([1, 2, 3, 4]), [2, 2]);
   * const tt = new Tensor(t.values, [2, 2], [1, 2], 0); // its transpose, sharing storage
   * ```
   */
  constructor(
    values: TypedArray,
    shape: readonly number[],
    strides?: readonly number[],
    offset = 0,
    dtype?: DType,
    versionBox?: VersionBox,
  ) {
    checkShape('Tensor', shape);
    const dt = dtypeOf(values);
    if (dtype !== undefined && dtype !== dt) {
      throw new DTypeError(
        `Tensor: dtype '${dtype}' does not match the storage ${values.constructor.name} (${dt})`,
      );
    }
    const st = strides ?? contiguousStrides(shape);
    if (st.length !== shape.length) {
      throw new ShapeError(`Tensor: strides ${formatShape(st)} do not match shape ${formatShape(shape)}`);
    }
    const n = shapeNumel(shape);
    if (n > 0) {
      let lo = offset;
      let hi = offset;
      for (let i = 0; i < shape.length; i++) {
        const span = (shape[i] - 1) * st[i];
        if (span < 0) lo += span;
        else hi += span;
      }
      if (lo < 0 || hi >= values.length) {
        throw new ShapeError(
          `Tensor: shape ${formatShape(shape)} with strides ${formatShape(st)} and offset ${offset} reaches outside storage of length ${values.length}`,
        );
      }
    }
    this.values = values;
    this.shape = Object.freeze(shape.slice());
    this.strides = Object.freeze(st.slice());
    this.offset = offset;
    this.dtype = dt;
    this.numel = n;
    this.versionBox = versionBox ?? { version: 0 };
  }

  /**
   * Number of dimensions.
   *
   * @example
   * ```ts
   * zeros([2, 3]).ndim; // 2
   * ```
   */
  get ndim(): number {
    return this.shape.length;
  }

  /**
   * Number of dimensions (PyTorch's `dim()`).
   *
   * @example
   * ```ts
   * zeros([2, 3]).dim(); // 2
   * ```
   */
  dim(): number {
    return this.shape.length;
  }

  /**
   * Size of one dimension, or the whole shape (a copy) without argument.
   *
   * @example
   * ```ts
   * zeros([2, 3]).size(-1); // 3
   * ```
   */
  size(): number[];
  size(dim: number): number;
  size(dim?: number): number | number[] {
    if (dim === undefined) return this.shape.slice();
    return this.shape[normalizeDim('size', dim, this.ndim)];
  }

  /**
   * The version counter shared by all views of this storage; in-place ops increment it.
   *
   * @example
   * ```ts
   * const x = zeros([2]); x.add_(1); x.version; // 1
   * ```
   */
  get version(): number {
    return this.versionBox.version;
  }

  /**
   * Increments the shared version counter; call it after writing `values` directly.
   *
   * @example
   * ```ts
   * x.values[0] = 5; x.bumpVersion();
   * ```
   */
  bumpVersion(): void {
    this.versionBox.version++;
  }

  /**
   * Whether the view is row-major dense from `offset` (size-1 dimensions may have any stride; a
   * tensor without elements is contiguous whatever its strides, as in PyTorch).
   *
   * @example
   * ```ts
   * zeros([2, 3]).isContiguous(); // true
   * zeros([2, 3]).t().isContiguous(); // false
   * ```
   */
  isContiguous(): boolean {
    if (this.numel === 0) return true;
    let s = 1;
    for (let i = this.shape.length - 1; i >= 0; i--) {
      if (this.shape[i] !== 1 && this.strides[i] !== s) return false;
      s *= this.shape[i];
    }
    return true;
  }

  /** A new view of the same storage (shares values and version counter). */
  private view_(shape: readonly number[], strides: readonly number[], offset: number): Tensor {
    return new Tensor(this.values, shape, strides, offset, this.dtype, this.versionBox);
  }

  // ------------------------------------------------------------------ reading out

  /**
   * The value of a one-element tensor as a JS number (bools as 0/1).
   *
   * @example
   * ```ts
   * tensor([[3]]).item(); // 3
   * ```
   */
  item(): number {
    if (this.numel !== 1) {
      throw new ShapeError(
        `item: a Tensor with ${this.numel} elements (shape ${formatShape(this.shape)}) cannot be converted to a number; expected exactly one element`,
      );
    }
    return this.values[this.offset];
  }

  /**
   * The values as nested JS arrays, like PyTorch's `tolist()` (a number for a 0-d tensor).
   *
   * @example
   * ```ts
   * tensor([[1, 2], [3, 4]]).t().toArray(); // [[1, 3], [2, 4]]
   * ```
   */
  toArray(): NestedArray {
    const rec = (d: number, p: number): NestedArray => {
      if (d === this.shape.length) return this.values[p];
      const out: NestedArray[] = new Array(this.shape[d]);
      for (let i = 0; i < this.shape[d]; i++) out[i] = rec(d + 1, p + i * this.strides[d]);
      return out;
    };
    return rec(0, this.offset);
  }

  /**
   * A flat, contiguous, row-major copy of the values in a typed array of this dtype.
   *
   * @example
   * ```ts
   * tensor([[1, 2], [3, 4]]).t().toTypedArray(); // Float32Array [1, 3, 2, 4]
   * ```
   */
  toTypedArray(): TypedArray {
    const out = allocate(this.dtype, this.numel);
    unaryLoop(
      Unary.COPY,
      this.shape,
      out,
      0,
      contiguousStrides(this.shape),
      this.values,
      this.offset,
      this.strides,
      0,
      0,
    );
    return out;
  }

  /**
   * A contiguous copy with its own storage.
   *
   * @example
   * ```ts
   * const y = x.clone(); y.zero_(); // x unchanged
   * ```
   */
  clone(): Tensor {
    return new Tensor(this.toTypedArray(), this.shape);
  }

  /**
   * A contiguous copy in pinned memory (this tensor itself when it is pinned already), as PyTorch's
   * `pin_memory()`. Pinned storage lies in one shared `WebAssembly.Memory` that the WASM kernels
   * address in place: the fused optimizer updates run over pinned parameters, gradients and states
   * without copying them in and out. The block is freed when the storage is garbage-collected.
   * Throws where the runtime has no shared WebAssembly memory.
   *
   * @example
   * ```ts
   * const w = randn([256, 256]).pinMemory();
   * w.isPinned(); // true
   * ```
   */
  pinMemory(): Tensor {
    if (this.isPinned()) return this;
    const out = allocatePinned('pinMemory', this.dtype, this.numel);
    out.set(denseValues(this));
    return new Tensor(out, this.shape);
  }

  /**
   * Whether the storage is pinned (see {@link Tensor.pinMemory}).
   *
   * @example
   * ```ts
   * zeros([2]).isPinned(); // false
   * ```
   */
  isPinned(): boolean {
    return isPinnedArray(this.values);
  }

  /**
   * This tensor if it is contiguous, else a contiguous copy.
   *
   * @example
   * ```ts
   * x.t().contiguous().isContiguous(); // true
   * ```
   */
  contiguous(): Tensor {
    return this.isContiguous() ? this : this.clone();
  }

  /**
   * A copy cast to `dtype` (this tensor itself when the dtype already matches). Float to int truncates
   * toward zero; anything to bool is `x != 0`.
   *
   * @example
   * ```ts
   * tensor([1.7, -1.7]).to('int32').toArray(); // [1, -1]
   * ```
   */
  to(dtype: DType): Tensor {
    if (dtype === this.dtype) return this;
    if (dtype !== 'float32' && dtype !== 'float64' && dtype !== 'int32' && dtype !== 'bool') {
      throw new DTypeError(
        `to: unknown dtype '${String(dtype)}'; expected 'float32', 'float64', 'int32' or 'bool'`,
      );
    }
    const out = allocate(dtype, this.numel);
    const st = contiguousStrides(this.shape);
    if (dtype === 'int32') {
      // typed-array stores of non-finite floats give 0; truncation toward zero is what ToInt32 does.
      unaryLoop(Unary.COPY, this.shape, out, 0, st, this.values, this.offset, this.strides, 0, 0);
    } else {
      unaryLoop(
        dtype === 'bool' ? Unary.BOOL : Unary.COPY,
        this.shape,
        out,
        0,
        st,
        this.values,
        this.offset,
        this.strides,
        0,
        0,
      );
    }
    return new Tensor(out, this.shape);
  }

  /**
   * Cast to float32.
   *
   * @example
   * ```ts
   * tensor([1], undefined, { dtype: 'int32' }).float().dtype; // 'float32'
   * ```
   */
  float(): Tensor {
    return this.to('float32');
  }

  /**
   * Cast to float64.
   *
   * @example
   * ```ts
   * zeros([2]).double().dtype; // 'float64'
   * ```
   */
  double(): Tensor {
    return this.to('float64');
  }

  /**
   * Cast to int32 (truncating toward zero).
   *
   * @example
   * ```ts
   * tensor([2.9]).int().item(); // 2
   * ```
   */
  int(): Tensor {
    return this.to('int32');
  }

  /**
   * Cast to bool (`x != 0`).
   *
   * @example
   * ```ts
   * tensor([0, 2]).bool().toArray(); // [0, 1]
   * ```
   */
  bool(): Tensor {
    return this.to('bool');
  }

  /**
   * PyTorch's print-out: `tensor([[1., 2.],\n        [3., 4.]])`, with a `dtype=` suffix for
   * float64 and int32, scientific notation and summarisation (over 1000 elements) as PyTorch does.
   *
   * @example
   * ```ts
   * String(tensor([1.5, 2])); // 'tensor([1.5000, 2.0000])'
   * ```
   */
  toString(): string {
    return formatTensor(this);
  }

  // ------------------------------------------------------------------ elementwise machinery

  private checkDType(op: string, other: Tensor): void {
    if (other.isSparse) {
      throw new OptError(
        `${op}: a sparse COO tensor cannot be an operand of a dense op; call toDense() first`,
      );
    }
    if (other.dtype !== this.dtype) {
      throw new DTypeError(`${op}: dtypes ${this.dtype} and ${other.dtype} differ; cast one with .to(dtype)`);
    }
  }

  private noBool(op: string): void {
    if (this.dtype === 'bool')
      throw new DTypeError(`${op}: not supported for dtype bool; cast with .to(dtype) first`);
  }

  /** Runs a broadcasting binary op into a new tensor of `outDType`. */
  private binary(
    op: string,
    code: number,
    other: Tensor | number,
    outDType: DType,
    alpha: number,
    computeDType?: DType,
  ): Tensor {
    let src: Tensor = this;
    if (computeDType !== undefined && computeDType !== this.dtype) src = this.to(computeDType);
    if (typeof other === 'number') {
      SCALAR_B[0] = castScalar(other, this.dtype);
      const out = allocate(outDType, src.numel);
      binaryLoop(
        code,
        src.shape,
        out,
        0,
        contiguousStrides(src.shape),
        src.values,
        src.offset,
        src.strides,
        SCALAR_B,
        0,
        zeroStrides(src.ndim),
        alpha,
      );
      return new Tensor(out, src.shape);
    }
    this.checkDType(op, other);
    let b = other;
    if (computeDType !== undefined && computeDType !== other.dtype) b = other.to(computeDType);
    const shape = broadcastShapes(op, src.shape, b.shape);
    const aSt = broadcastStridesTo(src.shape, src.strides, shape) as number[];
    const bSt = broadcastStridesTo(b.shape, b.strides, shape) as number[];
    const out = allocate(outDType, shapeNumel(shape));
    binaryLoop(
      code,
      shape,
      out,
      0,
      contiguousStrides(shape),
      src.values,
      src.offset,
      aSt,
      b.values,
      b.offset,
      bSt,
      alpha,
    );
    return new Tensor(out, shape);
  }

  /** Strides that read `other` broadcast to this tensor's shape, or a ShapeError for an in-place op. */
  private stridesInto(op: string, other: Tensor): number[] {
    if (other.isSparse) {
      throw new OptError(
        `${op}: a sparse COO tensor cannot be an operand of a dense op; call toDense() first`,
      );
    }
    const st = broadcastStridesTo(other.shape, other.strides, this.shape);
    if (st === null) {
      throw new ShapeError(
        `${op}: argument of shape ${formatShape(other.shape)} cannot be broadcast to the receiver's shape ${formatShape(this.shape)}`,
      );
    }
    return st;
  }

  /** `other` itself, or a copy when it shares storage with this tensor under a different layout. */
  private unaliased(other: Tensor): Tensor {
    if (other.values !== this.values) return other;
    const same =
      other.offset === this.offset &&
      other.ndim === this.ndim &&
      other.strides.every((x, i) => x === this.strides[i]);
    return same ? other : other.clone();
  }

  /** Runs a binary op in place: `this = op(this, other)`. */
  private binaryInPlace(op: string, code: number, argument: Tensor | number, alpha: number): this {
    checkNoInternalOverlap(op, this.shape, this.strides);
    const other = typeof argument === 'number' ? argument : this.unaliased(argument);
    if (typeof other === 'number') {
      SCALAR_B[0] = castScalar(other, this.dtype);
      binaryLoop(
        code,
        this.shape,
        this.values,
        this.offset,
        this.strides,
        this.values,
        this.offset,
        this.strides,
        SCALAR_B,
        0,
        zeroStrides(this.ndim),
        alpha,
      );
    } else {
      this.checkDType(op, other);
      const bSt = this.stridesInto(op, other);
      binaryLoop(
        code,
        this.shape,
        this.values,
        this.offset,
        this.strides,
        this.values,
        this.offset,
        this.strides,
        other.values,
        other.offset,
        bSt,
        alpha,
      );
    }
    this.bumpVersion();
    return this;
  }

  /** Runs a unary op into a new tensor; float-valued ops on int/bool produce float32. */
  private unary(code: number, floatResult: boolean, p = 0, q = 0): Tensor {
    const src = floatResult && !isFloating(this.dtype) ? this.to('float32') : this;
    const out = allocate(src.dtype, src.numel);
    unaryLoop(
      code,
      src.shape,
      out,
      0,
      contiguousStrides(src.shape),
      src.values,
      src.offset,
      src.strides,
      p,
      q,
    );
    return new Tensor(out, src.shape);
  }

  private unaryInPlace(op: string, code: number, floatOnly: boolean, p = 0, q = 0): this {
    // filling writes one value, so overlapping elements are fine (PyTorch's fill_ allows them too)
    if (code !== Unary.FILL) checkNoInternalOverlap(op, this.shape, this.strides);
    if (floatOnly && !isFloating(this.dtype)) {
      throw new DTypeError(
        `${op}: result is fractional but the receiver has dtype ${this.dtype}; use the out-of-place op or cast with .to('float32')`,
      );
    }
    unaryLoop(
      code,
      this.shape,
      this.values,
      this.offset,
      this.strides,
      this.values,
      this.offset,
      this.strides,
      p,
      q,
    );
    this.bumpVersion();
    return this;
  }

  private ternaryInPlace(
    op: string,
    code: number,
    bArg: Tensor | number,
    cArg: Tensor | number,
    alpha: number,
  ): this {
    checkNoInternalOverlap(op, this.shape, this.strides);
    const b = typeof bArg === 'number' ? bArg : this.unaliased(bArg);
    const c = typeof cArg === 'number' ? cArg : this.unaliased(cArg);
    let bv: TypedArray = SCALAR_B;
    let bo = 0;
    let bs: readonly number[] = zeroStrides(this.ndim);
    let cv: TypedArray = SCALAR_C;
    let co = 0;
    let cs: readonly number[] = zeroStrides(this.ndim);
    if (typeof b === 'number') SCALAR_B[0] = castScalar(b, this.dtype);
    else {
      this.checkDType(op, b);
      bv = b.values;
      bo = b.offset;
      bs = this.stridesInto(op, b);
    }
    if (typeof c === 'number') SCALAR_C[0] = castScalar(c, this.dtype);
    else {
      this.checkDType(op, c);
      cv = c.values;
      co = c.offset;
      cs = this.stridesInto(op, c);
    }
    ternaryLoop(
      code,
      this.shape,
      this.values,
      this.offset,
      this.strides,
      this.values,
      this.offset,
      this.strides,
      bv,
      bo,
      bs,
      cv,
      co,
      cs,
      alpha,
    );
    this.bumpVersion();
    return this;
  }

  // ------------------------------------------------------------------ broadcasting elementwise ops

  /**
   * `self + alpha * other`, broadcasting.
   *
   * @example
   * ```ts
   * tensor([1, 2]).add(tensor([10]), { alpha: 2 }).toArray(); // [21, 22]
   * ```
   */
  add(other: Tensor | number, options: AlphaOptions = {}): Tensor {
    this.noBool('add');
    return this.binary('add', Binary.ADD, other, this.dtype, options.alpha ?? 1);
  }

  /**
   * `self - alpha * other`, broadcasting.
   *
   * @example
   * ```ts
   * tensor([5]).sub(2).item(); // 3
   * ```
   */
  sub(other: Tensor | number, options: AlphaOptions = {}): Tensor {
    this.noBool('sub');
    return this.binary('sub', Binary.SUB, other, this.dtype, options.alpha ?? 1);
  }

  /**
   * Elementwise product, broadcasting.
   *
   * @example
   * ```ts
   * tensor([1, 2]).mul(3).toArray(); // [3, 6]
   * ```
   */
  mul(other: Tensor | number): Tensor {
    this.noBool('mul');
    return this.binary('mul', Binary.MUL, other, this.dtype, 1);
  }

  /**
   * True division, broadcasting; int32 operands give a float32 result, as in PyTorch.
   *
   * @example
   * ```ts
   * tensor([1, 2], undefined, { dtype: 'int32' }).div(2).toArray(); // [0.5, 1]
   * ```
   */
  div(other: Tensor | number): Tensor {
    this.noBool('div');
    if (this.dtype === 'int32') {
      if (typeof other !== 'number') this.checkDType('div', other);
      return this.to('float32').div(typeof other === 'number' ? other : other.to('float32'));
    }
    return this.binary('div', Binary.DIV, other, this.dtype, 1);
  }

  /**
   * Elementwise power `self ** exponent`, broadcasting.
   *
   * @example
   * ```ts
   * tensor([2, 3]).pow(2).toArray(); // [4, 9]
   * ```
   */
  pow(exponent: Tensor | number): Tensor {
    this.noBool('pow');
    if (typeof exponent === 'number') {
      if (this.dtype === 'int32' && !Number.isInteger(exponent)) return this.to('float32').pow(exponent);
      return this.unary(Unary.POW, false, exponent);
    }
    return this.binary('pow', Binary.POW, exponent, this.dtype, 1);
  }

  /**
   * Elementwise maximum (NaN propagates), broadcasting; `out` receives the result when given.
   *
   * @example
   * ```ts
   * tensor([1, 5]).maximum(tensor([3, 2])).toArray(); // [3, 5]
   * ```
   */
  maximum(other: Tensor | number, options: OutOptions = {}): Tensor {
    return this.binaryOut('maximum', Binary.MAX, other, options.out);
  }

  /**
   * Elementwise minimum (NaN propagates), broadcasting; `out` receives the result when given.
   *
   * @example
   * ```ts
   * tensor([1, 5]).minimum(3).toArray(); // [1, 3]
   * ```
   */
  minimum(other: Tensor | number, options: OutOptions = {}): Tensor {
    return this.binaryOut('minimum', Binary.MIN, other, options.out);
  }

  private binaryOut(op: string, code: number, other: Tensor | number, out: Tensor | undefined): Tensor {
    if (out === undefined) return this.binary(op, code, other, this.dtype, 1);
    if (typeof other !== 'number') this.checkDType(op, other);
    if (out.dtype !== this.dtype)
      throw new DTypeError(`${op}: out has dtype ${out.dtype}; expected ${this.dtype}`);
    const shape = typeof other === 'number' ? this.shape : broadcastShapes(op, this.shape, other.shape);
    if (shape.length !== out.ndim || shape.some((s, i) => s !== out.shape[i])) {
      throw new ShapeError(
        `${op}: out has shape ${formatShape(out.shape)}; expected the broadcast shape ${formatShape(shape)}`,
      );
    }
    const aSt = out.stridesInto(op, this);
    if (typeof other === 'number') {
      SCALAR_B[0] = castScalar(other, this.dtype);
      binaryLoop(
        code,
        shape,
        out.values,
        out.offset,
        out.strides,
        this.values,
        this.offset,
        aSt,
        SCALAR_B,
        0,
        zeroStrides(shape.length),
        1,
      );
    } else {
      const bSt = out.stridesInto(op, other);
      binaryLoop(
        code,
        shape,
        out.values,
        out.offset,
        out.strides,
        this.values,
        this.offset,
        aSt,
        other.values,
        other.offset,
        bSt,
        1,
      );
    }
    out.bumpVersion();
    return out;
  }

  /**
   * `-self`.
   *
   * @example
   * ```ts
   * tensor([1, -2]).neg().toArray(); // [-1, 2]
   * ```
   */
  neg(): Tensor {
    this.noBool('neg');
    return this.unary(Unary.NEG, false);
  }

  /**
   * `|self|`.
   *
   * @example
   * ```ts
   * tensor([-1, 2]).abs().toArray(); // [1, 2]
   * ```
   */
  abs(): Tensor {
    return this.unary(Unary.ABS, false);
  }

  /**
   * Sign: -1, 0 or 1 (NaN stays NaN).
   *
   * @example
   * ```ts
   * tensor([-3, 0, 2]).sign().toArray(); // [-1, 0, 1]
   * ```
   */
  sign(): Tensor {
    return this.unary(Unary.SIGN, false);
  }

  /**
   * `e ** self` (int input gives float32).
   *
   * @example
   * ```ts
   * tensor([0]).exp().item(); // 1
   * ```
   */
  exp(): Tensor {
    return this.unary(Unary.EXP, true);
  }

  /**
   * Natural logarithm (int input gives float32).
   *
   * @example
   * ```ts
   * tensor([1]).log().item(); // 0
   * ```
   */
  log(): Tensor {
    return this.unary(Unary.LOG, true);
  }

  /**
   * Square root (int input gives float32).
   *
   * @example
   * ```ts
   * tensor([4, 9]).sqrt().toArray(); // [2, 3]
   * ```
   */
  sqrt(): Tensor {
    return this.unary(Unary.SQRT, true);
  }

  /**
   * `1 / sqrt(self)`.
   *
   * @example
   * ```ts
   * tensor([4]).rsqrt().item(); // 0.5
   * ```
   */
  rsqrt(): Tensor {
    return this.unary(Unary.RSQRT, true);
  }

  /**
   * Sine.
   *
   * @example
   * ```ts
   * tensor([0]).sin().item(); // 0
   * ```
   */
  sin(): Tensor {
    return this.unary(Unary.SIN, true);
  }

  /**
   * Cosine.
   *
   * @example
   * ```ts
   * tensor([0]).cos().item(); // 1
   * ```
   */
  cos(): Tensor {
    return this.unary(Unary.COS, true);
  }

  /**
   * Hyperbolic tangent.
   *
   * @example
   * ```ts
   * tensor([0]).tanh().item(); // 0
   * ```
   */
  tanh(): Tensor {
    return this.unary(Unary.TANH, true);
  }

  /**
   * Logistic sigmoid `1 / (1 + e^-x)`.
   *
   * @example
   * ```ts
   * tensor([0]).sigmoid().item(); // 0.5
   * ```
   */
  sigmoid(): Tensor {
    return this.unary(Unary.SIGMOID, true);
  }

  /**
   * `max(self, 0)`.
   *
   * @example
   * ```ts
   * tensor([-1, 2]).relu().toArray(); // [0, 2]
   * ```
   */
  relu(): Tensor {
    return this.unary(Unary.RELU, false);
  }

  /**
   * Clamps into `[min, max]`; either bound may be omitted. Takes `{ min, max }` or `(min, max)`.
   *
   * @example
   * ```ts
   * tensor([-2, 0.5, 2]).clamp({ min: -1, max: 1 }).toArray(); // [-1, 0.5, 1]
   * tensor([-2, 2]).clamp(0).toArray(); // [0, 2]
   * ```
   */
  clamp(min?: ClampOptions | number, max?: number): Tensor {
    const [lo, hi] = clampBounds('clamp', min, max);
    return this.unary(Unary.CLAMP, false, lo, hi);
  }

  /**
   * Picks `self` where `condition` is true and `other` elsewhere (PyTorch's `x.where(cond, y)`), broadcasting.
   *
   * @example
   * ```ts
   * tensor([1, 2]).where(tensor([1, 0], undefined, { dtype: 'bool' }), 0).toArray(); // [1, 0]
   * ```
   */
  where(condition: Tensor, other: Tensor | number): Tensor {
    return where(condition, this, other);
  }

  /**
   * `self == other` as a bool tensor.
   *
   * @example
   * ```ts
   * tensor([1, 2]).eq(2).toArray(); // [0, 1]
   * ```
   */
  eq(other: Tensor | number): Tensor {
    return this.binary('eq', Binary.EQ, other, 'bool', 1);
  }

  /**
   * `self != other` as a bool tensor.
   *
   * @example
   * ```ts
   * tensor([1, 2]).ne(2).toArray(); // [1, 0]
   * ```
   */
  ne(other: Tensor | number): Tensor {
    return this.binary('ne', Binary.NE, other, 'bool', 1);
  }

  /**
   * `self < other` as a bool tensor.
   *
   * @example
   * ```ts
   * tensor([1, 2]).lt(2).toArray(); // [1, 0]
   * ```
   */
  lt(other: Tensor | number): Tensor {
    return this.binary('lt', Binary.LT, other, 'bool', 1);
  }

  /**
   * `self <= other` as a bool tensor.
   *
   * @example
   * ```ts
   * tensor([1, 2]).le(1).toArray(); // [1, 0]
   * ```
   */
  le(other: Tensor | number): Tensor {
    return this.binary('le', Binary.LE, other, 'bool', 1);
  }

  /**
   * `self > other` as a bool tensor.
   *
   * @example
   * ```ts
   * tensor([1, 2]).gt(1).toArray(); // [0, 1]
   * ```
   */
  gt(other: Tensor | number): Tensor {
    return this.binary('gt', Binary.GT, other, 'bool', 1);
  }

  /**
   * `self >= other` as a bool tensor.
   *
   * @example
   * ```ts
   * tensor([1, 2]).ge(2).toArray(); // [0, 1]
   * ```
   */
  ge(other: Tensor | number): Tensor {
    return this.binary('ge', Binary.GE, other, 'bool', 1);
  }

  /**
   * Logical and (nonzero is true), as a bool tensor.
   *
   * @example
   * ```ts
   * tensor([1, 0]).logicalAnd(tensor([1, 1])).toArray(); // [1, 0]
   * ```
   */
  logicalAnd(other: Tensor | number): Tensor {
    return this.binary('logicalAnd', Binary.AND, other, 'bool', 1);
  }

  /**
   * Logical or (nonzero is true), as a bool tensor.
   *
   * @example
   * ```ts
   * tensor([1, 0]).logicalOr(tensor([0, 0])).toArray(); // [1, 0]
   * ```
   */
  logicalOr(other: Tensor | number): Tensor {
    return this.binary('logicalOr', Binary.OR, other, 'bool', 1);
  }

  /**
   * Logical exclusive or (nonzero is true), as a bool tensor.
   *
   * @example
   * ```ts
   * tensor([1, 0]).logicalXor(tensor([1, 1])).toArray(); // [0, 1]
   * ```
   */
  logicalXor(other: Tensor | number): Tensor {
    return this.binary('logicalXor', Binary.XOR, other, 'bool', 1);
  }

  /**
   * Logical not (zero becomes true), as a bool tensor.
   *
   * @example
   * ```ts
   * tensor([1, 0]).logicalNot().toArray(); // [0, 1]
   * ```
   */
  logicalNot(): Tensor {
    const out = new Uint8Array(this.numel);
    unaryLoop(
      Unary.NOT,
      this.shape,
      out,
      0,
      contiguousStrides(this.shape),
      this.values,
      this.offset,
      this.strides,
      0,
      0,
    );
    return new Tensor(out, this.shape);
  }

  // ------------------------------------------------------------------ in-place ops

  /**
   * In place: `self += alpha * other` (other broadcast to self's shape).
   *
   * @example
   * ```ts
   * p.add_(grad, { alpha: -0.1 });
   * ```
   */
  add_(other: Tensor | number, options: AlphaOptions = {}): this {
    this.noBool('add_');
    return this.binaryInPlace('add_', Binary.ADD, other, options.alpha ?? 1);
  }

  /**
   * In place: `self -= alpha * other`.
   *
   * @example
   * ```ts
   * x.sub_(x.mul(0.5));
   * ```
   */
  sub_(other: Tensor | number, options: AlphaOptions = {}): this {
    this.noBool('sub_');
    return this.binaryInPlace('sub_', Binary.SUB, other, options.alpha ?? 1);
  }

  /**
   * In place: `self *= other`.
   *
   * @example
   * ```ts
   * m.mul_(0.9);
   * ```
   */
  mul_(other: Tensor | number): this {
    this.noBool('mul_');
    return this.binaryInPlace('mul_', Binary.MUL, other, 1);
  }

  /**
   * In place: `self /= other` (the receiver must be floating point).
   *
   * @example
   * ```ts
   * x.div_(2);
   * ```
   */
  div_(other: Tensor | number): this {
    if (!isFloating(this.dtype)) {
      throw new DTypeError(
        `div_: result of true division is float but the receiver has dtype ${this.dtype}; use div() or cast with .to('float32')`,
      );
    }
    return this.binaryInPlace('div_', Binary.DIV, other, 1);
  }

  /**
   * In place: `self = self ** exponent`.
   *
   * @example
   * ```ts
   * x.pow_(2);
   * ```
   */
  pow_(exponent: Tensor | number): this {
    this.noBool('pow_');
    if (typeof exponent === 'number') return this.unaryInPlace('pow_', Unary.POW, false, exponent);
    return this.binaryInPlace('pow_', Binary.POW, exponent, 1);
  }

  /**
   * In place: `self += value * t1 * t2`.
   *
   * @example
   * ```ts
   * v.mul_(0.999).addcmul_(g, g, { value: 0.001 });
   * ```
   */
  addcmul_(tensor1: Tensor | number, tensor2: Tensor | number, options: ValueOptions = {}): this {
    this.noBool('addcmul_');
    return this.ternaryInPlace('addcmul_', Ternary.ADDCMUL, tensor1, tensor2, options.value ?? 1);
  }

  /**
   * In place: `self += value * t1 / t2`.
   *
   * @example
   * ```ts
   * p.addcdiv_(m, denom, { value: -lr });
   * ```
   */
  addcdiv_(tensor1: Tensor | number, tensor2: Tensor | number, options: ValueOptions = {}): this {
    if (!isFloating(this.dtype))
      throw new DTypeError(`addcdiv_: receiver has dtype ${this.dtype}; expected float32 or float64`);
    return this.ternaryInPlace('addcdiv_', Ternary.ADDCDIV, tensor1, tensor2, options.value ?? 1);
  }

  /**
   * In place: `self += weight * (end - self)` (PyTorch's formula, exact at weight 1).
   *
   * @example
   * ```ts
   * m.lerp_(g, 0.1);
   * ```
   */
  lerp_(end: Tensor | number, weight: Tensor | number): this {
    if (!isFloating(this.dtype))
      throw new DTypeError(`lerp_: receiver has dtype ${this.dtype}; expected float32 or float64`);
    return this.ternaryInPlace('lerp_', Ternary.LERP, end, weight, 1);
  }

  /**
   * In place square root (floating receivers only).
   *
   * @example
   * ```ts
   * v.sqrt_();
   * ```
   */
  sqrt_(): this {
    return this.unaryInPlace('sqrt_', Unary.SQRT, true);
  }

  /**
   * In place `e ** self` (floating receivers only).
   *
   * @example
   * ```ts
   * x.exp_();
   * ```
   */
  exp_(): this {
    return this.unaryInPlace('exp_', Unary.EXP, true);
  }

  /**
   * In place negation.
   *
   * @example
   * ```ts
   * x.neg_();
   * ```
   */
  neg_(): this {
    this.noBool('neg_');
    return this.unaryInPlace('neg_', Unary.NEG, false);
  }

  /**
   * In place absolute value.
   *
   * @example
   * ```ts
   * x.abs_();
   * ```
   */
  abs_(): this {
    return this.unaryInPlace('abs_', Unary.ABS, false);
  }

  /**
   * In place clamp; takes `{ min, max }` or `(min, max)`.
   *
   * @example
   * ```ts
   * x.clamp_({ min: -1, max: 1 });
   * ```
   */
  clamp_(min?: ClampOptions | number, max?: number): this {
    const [lo, hi] = clampBounds('clamp_', min, max);
    return this.unaryInPlace('clamp_', Unary.CLAMP, false, lo, hi);
  }

  /**
   * In place: every element becomes `value` (cast to the dtype).
   *
   * @example
   * ```ts
   * x.fill_(3);
   * ```
   */
  fill_(value: number | Tensor): this {
    let v = value;
    if (typeof v !== 'number') {
      if (v.numel !== 1)
        throw new ShapeError(
          `fill_: value must be a number or a one-element tensor; got shape ${formatShape(v.shape)}`,
        );
      v = v.item();
    }
    return this.unaryInPlace('fill_', Unary.FILL, false, castScalar(v, this.dtype));
  }

  /**
   * In place: every element becomes 0.
   *
   * @example
   * ```ts
   * grad.zero_();
   * ```
   */
  zero_(): this {
    return this.fill_(0);
  }

  /**
   * In place: copies `src` (broadcast to this shape; any dtype, cast on the way) into this tensor.
   *
   * @example
   * ```ts
   * p.copy_(saved);
   * ```
   */
  copy_(src: Tensor | number): this {
    if (typeof src === 'number') return this.fill_(src);
    checkNoInternalOverlap('copy_', this.shape, this.strides);
    const st = this.stridesInto('copy_', src);
    const code = this.dtype === 'bool' && src.dtype !== 'bool' ? Unary.BOOL : Unary.COPY;
    let s = src;
    if (
      src.values === this.values &&
      !(src.offset === this.offset && st.every((x, i) => x === this.strides[i]))
    ) {
      s = src.clone(); // overlapping storage with a different layout: read from a copy
    }
    const sst = s === src ? st : this.stridesInto('copy_', s);
    unaryLoop(code, this.shape, this.values, this.offset, this.strides, s.values, s.offset, sst, 0, 0);
    this.bumpVersion();
    return this;
  }

  // ------------------------------------------------------------------ reductions

  private reduce(
    op: string,
    code: number,
    dimOrOptions: number | number[] | ReduceOptions | undefined,
    options: ReduceOptions | undefined,
    param: number,
    floatOut: boolean,
  ): Tensor {
    const { reduced, keepdim } = parseReduce(op, this.ndim, dimOrOptions, options);
    const outShape: number[] = [];
    for (let d = 0; d < this.ndim; d++) {
      if (!reduced[d]) outShape.push(this.shape[d]);
      else if (keepdim) outShape.push(1);
    }
    const outDType =
      floatOut && !isFloating(this.dtype) ? 'float32' : this.dtype === 'bool' ? 'int32' : this.dtype;
    const out = allocate(outDType, shapeNumel(outShape));
    reduceLoop(code, this.values, this.offset, this.shape, this.strides, reduced, out, null, param);
    return new Tensor(out, outShape);
  }

  /**
   * Sum over all elements, or over `dim` (number or array) with optional `keepdim`. Takes
   * `(dim, { keepdim })` or `({ dim, keepdim })`. Bool sums to int32.
   *
   * @example
   * ```ts
   * tensor([[1, 2], [3, 4]]).sum().item(); // 10
   * tensor([[1, 2], [3, 4]]).sum(0).toArray(); // [4, 6]
   * ```
   */
  sum(dim?: number | number[] | ReduceOptions, options?: ReduceOptions): Tensor {
    return this.reduce('sum', Reduce.SUM, dim, options, 0, false);
  }

  /**
   * Mean over all elements or over `dim` (int input gives float32).
   *
   * @example
   * ```ts
   * tensor([[1, 2], [3, 4]]).mean({ dim: 1, keepdim: true }).toArray(); // [[1.5], [3.5]]
   * ```
   */
  mean(dim?: number | number[] | ReduceOptions, options?: ReduceOptions): Tensor {
    return this.reduce('mean', Reduce.MEAN, dim, options, 0, true);
  }

  /**
   * Product over all elements or over `dim`.
   *
   * @example
   * ```ts
   * tensor([1, 2, 3, 4]).prod().item(); // 24
   * ```
   */
  prod(dim?: number | number[] | ReduceOptions, options?: ReduceOptions): Tensor {
    return this.reduce('prod', Reduce.PROD, dim, options, 0, false);
  }

  /**
   * Variance with `correction` (default 1) over all elements or over `dim`.
   *
   * @example
   * ```ts
   * tensor([1, 2, 3, 4]).var().item(); // 1.6667
   * tensor([1, 2, 3, 4]).var({ correction: 0 }).item(); // 1.25
   * ```
   */
  var(dim?: number | number[] | VarOptions, options?: VarOptions): Tensor {
    const correction =
      (typeof dim === 'object' && !Array.isArray(dim) ? dim.correction : options?.correction) ?? 1;
    return this.reduce('var', Reduce.VAR, dim, options, correction, true);
  }

  /**
   * Standard deviation with `correction` (default 1) over all elements or over `dim`.
   *
   * @example
   * ```ts
   * tensor([1, 2, 3, 4]).std({ correction: 0 }).item(); // 1.1180
   * ```
   */
  std(dim?: number | number[] | VarOptions, options?: VarOptions): Tensor {
    const correction =
      (typeof dim === 'object' && !Array.isArray(dim) ? dim.correction : options?.correction) ?? 1;
    return this.reduce('std', Reduce.STD, dim, options, correction, true);
  }

  /**
   * Vector p-norm (`p` default 2; `Infinity`, `-Infinity`, 0 and any positive p) over all elements or
   * over `dim`. Takes `(p, dim, keepdim)` or `(p, { dim, keepdim })`.
   *
   * @example
   * ```ts
   * tensor([3, 4]).norm().item(); // 5
   * tensor([[3, 4], [1, 1]]).norm(1, 1).toArray(); // [7, 2]
   * ```
   */
  norm(p: number | 'fro' = 2, dim?: number | number[] | ReduceOptions, keepdim?: boolean): Tensor {
    const pp = p === 'fro' ? 2 : p;
    const opts = typeof dim === 'number' || Array.isArray(dim) ? { keepdim: keepdim ?? false } : undefined;
    return this.reduce('norm', Reduce.NORM, dim, opts, pp, true);
  }

  private extreme(
    op: string,
    code: number,
    dimOrOptions: number | ReduceOptions | undefined,
    options: ReduceOptions | undefined,
  ): Tensor | ValuesIndices {
    const dimGiven =
      typeof dimOrOptions === 'number' || (dimOrOptions !== undefined && dimOrOptions.dim !== undefined);
    if (!dimGiven) {
      if (this.numel === 0)
        throw new ShapeError(`${op}: cannot reduce an empty tensor of shape ${formatShape(this.shape)}`);
      return this.reduce(op, code, undefined, undefined, 0, false);
    }
    const { reduced, keepdim } = parseReduce(op, this.ndim, dimOrOptions as number | ReduceOptions, options);
    if (typeof dimOrOptions === 'object' && Array.isArray(dimOrOptions.dim)) {
      throw new ShapeError(`${op}: dim must be a single dimension; got ${JSON.stringify(dimOrOptions.dim)}`);
    }
    const outShape: number[] = [];
    for (let d = 0; d < this.ndim; d++) {
      if (!reduced[d]) outShape.push(this.shape[d]);
      else {
        if (this.shape[d] === 0) throw new ShapeError(`${op}: cannot reduce dimension ${d} of size 0`);
        if (keepdim) outShape.push(1);
      }
    }
    const n = shapeNumel(outShape);
    const values = allocate(this.dtype, n);
    const indices = new Int32Array(n);
    reduceLoop(code, this.values, this.offset, this.shape, this.strides, reduced, values, indices, 0);
    return { values: new Tensor(values, outShape), indices: new Tensor(indices, outShape) };
  }

  /**
   * Maximum: a 0-d tensor over all elements, or `{ values, indices }` over one `dim` (first index on
   * ties; NaN wins, as in PyTorch). Takes `(dim, { keepdim })` or `({ dim, keepdim })`.
   *
   * @example
   * ```ts
   * tensor([[1, 5], [7, 2]]).max().item(); // 7
   * tensor([[1, 5], [7, 2]]).max({ dim: 1 }).indices.toArray(); // [1, 0]
   * ```
   */
  max(): Tensor;
  max(dim: number, options?: ReduceOptions): ValuesIndices;
  max(options: ReduceOptions & { dim: number }): ValuesIndices;
  max(dimOrOptions?: number | ReduceOptions, options?: ReduceOptions): Tensor | ValuesIndices {
    return this.extreme('max', Reduce.MAX, dimOrOptions, options);
  }

  /**
   * Minimum: a 0-d tensor over all elements, or `{ values, indices }` over one `dim`.
   *
   * @example
   * ```ts
   * tensor([[1, 5], [7, 2]]).min(0).values.toArray(); // [1, 2]
   * ```
   */
  min(): Tensor;
  min(dim: number, options?: ReduceOptions): ValuesIndices;
  min(options: ReduceOptions & { dim: number }): ValuesIndices;
  min(dimOrOptions?: number | ReduceOptions, options?: ReduceOptions): Tensor | ValuesIndices {
    return this.extreme('min', Reduce.MIN, dimOrOptions, options);
  }

  /**
   * Index of the maximum (int32): over the flattened tensor, or along `dim`.
   *
   * @example
   * ```ts
   * tensor([[1, 5], [7, 2]]).argmax().item(); // 2
   * tensor([[1, 5], [7, 2]]).argmax({ dim: 1 }).toArray(); // [1, 0]
   * ```
   */
  argmax(dim?: number | ReduceOptions, options?: ReduceOptions): Tensor {
    return this.argExtreme('argmax', Reduce.MAX, dim, options);
  }

  /**
   * Index of the minimum (int32): over the flattened tensor, or along `dim`.
   *
   * @example
   * ```ts
   * tensor([3, 1, 2]).argmin().item(); // 1
   * ```
   */
  argmin(dim?: number | ReduceOptions, options?: ReduceOptions): Tensor {
    return this.argExtreme('argmin', Reduce.MIN, dim, options);
  }

  private argExtreme(
    op: string,
    code: number,
    dim: number | ReduceOptions | undefined,
    options: ReduceOptions | undefined,
  ): Tensor {
    const dimGiven = typeof dim === 'number' || (dim !== undefined && dim.dim !== undefined);
    if (dimGiven) return (this.extreme(op, code, dim, options) as ValuesIndices).indices;
    if (this.numel === 0) throw new ShapeError(`${op}: cannot reduce an empty tensor`);
    const flat = this.reshape(-1);
    const r = flat.extreme(op, code, 0, undefined) as ValuesIndices;
    const keep = (typeof dim === 'object' ? dim.keepdim : options?.keepdim) ?? false;
    return keep ? r.indices.reshape(this.shape.map(() => 1)) : r.indices.reshape([]);
  }

  // ------------------------------------------------------------------ views

  private resolveShape(op: string, sizes: readonly number[]): number[] {
    const shape = sizes.slice();
    let infer = -1;
    let known = 1;
    for (let i = 0; i < shape.length; i++) {
      if (shape[i] === -1) {
        if (infer >= 0)
          throw new ShapeError(`${op}: only one dimension can be inferred (-1) in ${formatShape(sizes)}`);
        infer = i;
      } else if (!Number.isInteger(shape[i]) || shape[i] < 0) {
        throw new ShapeError(`${op}: invalid size ${shape[i]} at dimension ${i} of ${formatShape(sizes)}`);
      } else known *= shape[i];
    }
    if (infer >= 0) {
      if (known === 0 || this.numel % known !== 0) {
        throw new ShapeError(`${op}: shape ${formatShape(sizes)} is invalid for input of size ${this.numel}`);
      }
      shape[infer] = this.numel / known;
    }
    if (shapeNumel(shape) !== this.numel) {
      throw new ShapeError(`${op}: shape ${formatShape(sizes)} is invalid for input of size ${this.numel}`);
    }
    return shape;
  }

  /**
   * A view with a new shape sharing storage (`-1` infers one size). Takes varargs or one array. Fails,
   * as PyTorch does, when the strides do not allow it; use `reshape` then.
   *
   * @example
   * ```ts
   * arange(6).view(2, -1).shape; // [2, 3]
   * ```
   */
  view(...shape: (number | readonly number[])[]): Tensor {
    const sizes =
      shape.length === 1 && Array.isArray(shape[0]) ? (shape[0] as number[]) : (shape as number[]);
    const newShape = this.resolveShape('view', sizes);
    const st = viewStrides(this.shape, this.strides, newShape);
    if (st === null) {
      throw new ShapeError(
        `view: shape ${formatShape(sizes)} is not compatible with the input's shape ${formatShape(this.shape)} and strides ${formatShape(this.strides)} (at least one dimension spans across two contiguous subspaces); use .reshape(...) instead`,
      );
    }
    return this.view_(newShape, st, this.offset);
  }

  /**
   * Like `view`, but copies when a view is impossible.
   *
   * @example
   * ```ts
   * zeros([2, 3]).t().reshape(-1).shape; // [6]
   * ```
   */
  reshape(...shape: (number | readonly number[])[]): Tensor {
    const sizes =
      shape.length === 1 && Array.isArray(shape[0]) ? (shape[0] as number[]) : (shape as number[]);
    const newShape = this.resolveShape('reshape', sizes);
    const st = viewStrides(this.shape, this.strides, newShape);
    if (st !== null) return this.view_(newShape, st, this.offset);
    return new Tensor(this.toTypedArray(), newShape);
  }

  /**
   * Swaps two dimensions (a view).
   *
   * @example
   * ```ts
   * zeros([2, 3, 4]).transpose(0, 2).shape; // [4, 3, 2]
   * ```
   */
  transpose(dim0: number, dim1: number): Tensor {
    const a = normalizeDim('transpose', dim0, this.ndim);
    const b = normalizeDim('transpose', dim1, this.ndim);
    if (this.ndim === 0) return this.view_([], [], this.offset);
    const shape = this.shape.slice();
    const st = this.strides.slice();
    [shape[a], shape[b]] = [shape[b], shape[a]];
    [st[a], st[b]] = [st[b], st[a]];
    return this.view_(shape, st, this.offset);
  }

  /**
   * Transpose of a tensor of at most 2 dimensions (a view).
   *
   * @example
   * ```ts
   * zeros([2, 3]).t().shape; // [3, 2]
   * ```
   */
  t(): Tensor {
    if (this.ndim > 2)
      throw new ShapeError(
        `t: expects a tensor with <= 2 dimensions, but got ${this.ndim} (shape ${formatShape(this.shape)})`,
      );
    return this.ndim < 2 ? this.view_(this.shape, this.strides, this.offset) : this.transpose(0, 1);
  }

  /**
   * Reorders the dimensions (a view). Takes varargs or one array.
   *
   * @example
   * ```ts
   * zeros([2, 3, 4]).permute(2, 0, 1).shape; // [4, 2, 3]
   * ```
   */
  permute(...dims: (number | readonly number[])[]): Tensor {
    const order = dims.length === 1 && Array.isArray(dims[0]) ? (dims[0] as number[]) : (dims as number[]);
    if (order.length !== this.ndim) {
      throw new ShapeError(
        `permute: got ${order.length} dimensions ${formatShape(order)} for a tensor of ${this.ndim} dimensions`,
      );
    }
    const seen = new Array<boolean>(this.ndim).fill(false);
    const shape: number[] = [];
    const st: number[] = [];
    for (const d of order) {
      const n = normalizeDim('permute', d, this.ndim);
      if (seen[n]) throw new IndexError(`permute: dimension ${d} repeats in ${formatShape(order)}`);
      seen[n] = true;
      shape.push(this.shape[n]);
      st.push(this.strides[n]);
    }
    return this.view_(shape, st, this.offset);
  }

  /**
   * Broadcasts size-1 dimensions to larger sizes with stride 0 (a view; `-1` keeps a size; new leading
   * dimensions allowed). Takes varargs or one array.
   *
   * @example
   * ```ts
   * tensor([[1], [2]]).expand(2, 3).toArray(); // [[1, 1, 1], [2, 2, 2]]
   * ```
   */
  expand(...sizes: (number | readonly number[])[]): Tensor {
    const target =
      sizes.length === 1 && Array.isArray(sizes[0]) ? (sizes[0] as number[]) : (sizes as number[]);
    const lead = target.length - this.ndim;
    if (lead < 0) {
      throw new ShapeError(
        `expand: the number of sizes provided (${target.length}) must be greater or equal to the number of dimensions in the tensor (${this.ndim})`,
      );
    }
    const shape: number[] = [];
    const st: number[] = [];
    for (let i = 0; i < target.length; i++) {
      const want = target[i];
      if (!Number.isInteger(want) || want < -1) {
        throw new ShapeError(
          `expand: size ${want} at dimension ${i} of ${formatShape(target)} is invalid; expected a non-negative integer, or -1 to keep the size`,
        );
      }
      if (i < lead) {
        if (want < 0)
          throw new ShapeError(`expand: size -1 is not allowed in a leading, non-existing dimension (${i})`);
        shape.push(want);
        st.push(0);
        continue;
      }
      const have = this.shape[i - lead];
      if (want === -1 || want === have) {
        shape.push(have);
        st.push(this.strides[i - lead]);
      } else if (have === 1) {
        shape.push(want);
        st.push(0);
      } else {
        throw new ShapeError(
          `expand: the expanded size of the tensor (${want}) must match the existing size (${have}) at non-singleton dimension ${i}; target sizes ${formatShape(target)}, tensor sizes ${formatShape(this.shape)}`,
        );
      }
    }
    return this.view_(shape, st, this.offset);
  }

  /**
   * `expand` to another tensor's shape.
   *
   * @example
   * ```ts
   * tensor([1]).expandAs(zeros([2, 3])).shape; // [2, 3]
   * ```
   */
  expandAs(other: Tensor): Tensor {
    return this.expand(other.shape as number[]);
  }

  /**
   * Removes size-1 dimensions: all of them, or only `dim` (number or array) when it has size 1.
   *
   * @example
   * ```ts
   * zeros([2, 1, 3, 1]).squeeze().shape; // [2, 3]
   * zeros([2, 1, 3]).squeeze(1).shape; // [2, 3]
   * ```
   */
  squeeze(dim?: number | number[]): Tensor {
    const drop = new Array<boolean>(this.ndim).fill(false);
    if (dim === undefined) for (let d = 0; d < this.ndim; d++) drop[d] = this.shape[d] === 1;
    else {
      const seen = new Array<boolean>(Math.max(this.ndim, 1)).fill(false);
      for (const d of typeof dim === 'number' ? [dim] : dim) {
        const n = normalizeDim('squeeze', d, this.ndim);
        if (seen[n])
          throw new IndexError(
            `squeeze: dimension ${d} appears more than once in dim ${formatShape(dim as number[])}`,
          );
        seen[n] = true;
        if (this.ndim > 0) drop[n] = this.shape[n] === 1;
      }
    }
    const shape: number[] = [];
    const st: number[] = [];
    for (let d = 0; d < this.ndim; d++) {
      if (!drop[d]) {
        shape.push(this.shape[d]);
        st.push(this.strides[d]);
      }
    }
    return this.view_(shape, st, this.offset);
  }

  /**
   * Inserts a size-1 dimension at `dim` (in `[-ndim-1, ndim]`).
   *
   * @example
   * ```ts
   * zeros([2, 3]).unsqueeze(-1).shape; // [2, 3, 1]
   * ```
   */
  unsqueeze(dim: number): Tensor {
    const d = normalizeDim('unsqueeze', dim, this.ndim + 1);
    const shape = this.shape.slice();
    const st = this.strides.slice();
    const inner = d < this.ndim ? this.shape[d] * this.strides[d] : 1;
    shape.splice(d, 0, 1);
    st.splice(d, 0, inner);
    return this.view_(shape, st, this.offset);
  }

  /**
   * Merges dimensions `startDim..endDim` (inclusive, default all) into one; a view when possible.
   *
   * @example
   * ```ts
   * zeros([2, 3, 4]).flatten(1).shape; // [2, 12]
   * ```
   */
  flatten(startDim = 0, endDim = -1): Tensor {
    const s = normalizeDim('flatten', startDim, this.ndim);
    const e = normalizeDim('flatten', endDim, this.ndim);
    if (this.ndim === 0) return this.reshape(1);
    if (s > e) throw new IndexError(`flatten: startDim ${startDim} comes after endDim ${endDim}`);
    const shape = [
      ...this.shape.slice(0, s),
      shapeNumel(this.shape.slice(s, e + 1)),
      ...this.shape.slice(e + 1),
    ];
    return this.reshape(shape);
  }

  /**
   * The view `[start, start + length)` along `dim`.
   *
   * @example
   * ```ts
   * arange(5).narrow(0, 1, 3).toArray(); // [1, 2, 3]
   * ```
   */
  narrow(dim: number, start: number, length: number): Tensor {
    const d = normalizeDim('narrow', dim, this.ndim);
    if (this.ndim === 0) throw new IndexError('narrow: cannot narrow a 0-d tensor');
    const size = this.shape[d];
    const s = start < 0 ? start + size : start;
    if (!Number.isInteger(s) || s < 0 || s > size)
      throw new IndexError(`narrow: start ${start} is out of range for dimension ${dim} of size ${size}`);
    if (!Number.isInteger(length) || length < 0 || s + length > size) {
      throw new IndexError(
        `narrow: start (${s}) + length (${length}) exceeds dimension ${dim} of size ${size}`,
      );
    }
    const shape = this.shape.slice();
    shape[d] = length;
    return this.view_(shape, this.strides, this.offset + s * this.strides[d]);
  }

  /**
   * The view at `index` along `dim`, with that dimension removed (negative index allowed).
   *
   * @example
   * ```ts
   * tensor([[1, 2], [3, 4]]).select(1, 0).toArray(); // [1, 3]
   * ```
   */
  select(dim: number, index: number): Tensor {
    const d = normalizeDim('select', dim, this.ndim);
    if (this.ndim === 0) throw new IndexError('select: cannot select from a 0-d tensor');
    const size = this.shape[d];
    if (!Number.isInteger(index) || index < -size || index >= size) {
      throw new IndexError(`select: index ${index} is out of range for dimension ${dim} of size ${size}`);
    }
    const i = index < 0 ? index + size : index;
    const shape = this.shape.slice();
    const st = this.strides.slice();
    shape.splice(d, 1);
    st.splice(d, 1);
    return this.view_(shape, st, this.offset + i * this.strides[d]);
  }

  /**
   * Python's `x[..., start:end:step, ...]` along `dim` (a view): bounds clamp like Python slices,
   * negative start/end count from the end, `step` must be positive.
   *
   * @example
   * ```ts
   * arange(10).slice(0, 1, -1, 3).toArray(); // [1, 4, 7]
   * ```
   */
  slice(dim: number, start = 0, end: number = Number.MAX_SAFE_INTEGER, step = 1): Tensor {
    const d = normalizeDim('slice', dim, this.ndim);
    if (this.ndim === 0) throw new IndexError('slice: cannot slice a 0-d tensor');
    if (!Number.isInteger(step) || step <= 0)
      throw new IndexError(`slice: step ${step} is invalid; expected a positive integer`);
    const size = this.shape[d];
    const clampIdx = (v: number): number => Math.min(Math.max(v < 0 ? v + size : v, 0), size);
    const s = clampIdx(start);
    const e = Math.max(clampIdx(end), s);
    const shape = this.shape.slice();
    const st = this.strides.slice();
    shape[d] = Math.ceil((e - s) / step);
    st[d] = this.strides[d] * step;
    return this.view_(shape, st, this.offset + (shape[d] > 0 ? s * this.strides[d] : 0));
  }

  // ---- kernel-backed ops (matmul, conv2d, pooling, softmax, indexing): maintained in ./ops ----

  /**
   * Whether this is a sparse COO tensor (`SparseCooTensor`); dense tensors say `false`.
   *
   * @example
   * ```ts
   * zeros([2]).isSparse; // false
   * ```
   */
  get isSparse(): boolean {
    return false;
  }

  /**
   * Matrix product with `torch.matmul`'s rules (dot, matrix-vector, batched with broadcasting).
   *
   * @example
   * ```ts
   * tensor([[1, 2], [3, 4]]).matmul(tensor([1, 1])).toArray(); // [3, 7]
   * ```
   */
  matmul(other: Tensor): Tensor {
    return matmulOp(this, other);
  }

  /**
   * Softmax along `dim`, computed stably.
   *
   * @example
   * ```ts
   * tensor([0, 0]).softmax(0).toArray(); // [0.5, 0.5]
   * ```
   */
  softmax(dim: number): Tensor {
    return softmaxOp(this, dim);
  }

  /**
   * Log-softmax along `dim`, computed stably.
   *
   * @example
   * ```ts
   * tensor([0, 0]).logSoftmax(0).toArray(); // [-0.6931, -0.6931]
   * ```
   */
  logSoftmax(dim: number): Tensor {
    return logSoftmaxOp(this, dim);
  }

  /**
   * Values picked along `dim` at the positions of `index` (int32), like `torch.gather`.
   *
   * @example
   * ```ts
   * tensor([[1, 2], [3, 4]]).gather(1, tensor([[1], [0]], undefined, { dtype: 'int32' })).toArray(); // [[2], [3]]
   * ```
   */
  gather(dim: number, index: Tensor): Tensor {
    return gatherOp(this, dim, index);
  }

  /**
   * A copy with `src` written at the positions `index` names along `dim`, like `torch.scatter`.
   *
   * @example
   * ```ts
   * zeros([3]).scatter(0, tensor([1], undefined, { dtype: 'int32' }), 5).toArray(); // [0, 5, 0]
   * ```
   */
  scatter(dim: number, index: Tensor, src: Tensor | number): Tensor {
    return scatterOp(this, dim, index, src);
  }

  /**
   * A copy with `src` added at the positions `index` names along `dim` (repeats accumulate).
   *
   * @example
   * ```ts
   * zeros([2]).scatterAdd(0, tensor([1, 1], undefined, { dtype: 'int32' }), ones([2])).toArray(); // [0, 2]
   * ```
   */
  scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor {
    return scatterAddOp(this, dim, index, src);
  }

  /**
   * The slices along `dim` at the positions of the 1-D int32 `index`, like `torch.index_select`.
   *
   * @example
   * ```ts
   * tensor([10, 20, 30]).indexSelect(0, tensor([2, 0], undefined, { dtype: 'int32' })).toArray(); // [30, 10]
   * ```
   */
  indexSelect(dim: number, index: Tensor): Tensor {
    return indexSelectOp(this, dim, index);
  }

  /**
   * A copy with `alpha · source` slices added at the positions of `index` along `dim`, like `torch.index_add`.
   *
   * @example
   * ```ts
   * zeros([3]).indexAdd(0, tensor([2], undefined, { dtype: 'int32' }), ones([1])).toArray(); // [0, 0, 1]
   * ```
   */
  indexAdd(dim: number, index: Tensor, source: Tensor, options: AlphaOptions = {}): Tensor {
    return indexAddOp(this, dim, index, source, options);
  }

  /**
   * In-place {@link Tensor.indexAdd}: adds `alpha · source` slices at the positions of `index` along `dim`, like `Tensor.index_add_`.
   *
   * @example
   * ```ts
   * zeros([3]).indexAdd_(0, tensor([2, 2], undefined, { dtype: 'int32' }), ones([2])).toArray(); // [0, 0, 2]
   * ```
   */
  indexAdd_(dim: number, index: Tensor, source: Tensor, options: AlphaOptions = {}): this {
    indexAddInPlaceOp(this, dim, index, source, options);
    return this;
  }
  // ---- end kernel-backed ops ----
}

function clampBounds(
  op: string,
  min: ClampOptions | number | undefined,
  max: number | undefined,
): [number, number] {
  let lo: number | undefined;
  let hi: number | undefined;
  if (typeof min === 'object') {
    lo = min.min;
    hi = min.max;
  } else {
    lo = min;
    hi = max;
  }
  if (lo === undefined && hi === undefined)
    throw new ShapeError(`${op}: at least one of min or max must be given`);
  return [lo ?? Number.NEGATIVE_INFINITY, hi ?? Number.POSITIVE_INFINITY];
}

/**
 * `condition ? x : y` elementwise, broadcasting all three (condition nonzero is true; x and y share a
 * dtype, numbers adopt the other's dtype).
 *
 * @example
 * ```ts
 * where(tensor([1, 0], undefined, { dtype: 'bool' }), tensor([1, 2]), tensor([9, 9])).toArray(); // [1, 9]
 * ```
 */
export function where(condition: Tensor, x: Tensor | number, y: Tensor | number): Tensor {
  if (typeof x === 'number' && typeof y === 'number') {
    throw new DTypeError('where: at least one of x and y must be a Tensor to fix the dtype');
  }
  const dtype = typeof x === 'number' ? (y as Tensor).dtype : x.dtype;
  if (typeof x !== 'number' && typeof y !== 'number' && x.dtype !== y.dtype) {
    throw new DTypeError(
      `where: dtypes ${x.dtype} and ${y.dtype} of x and y differ; cast one with .to(dtype)`,
    );
  }
  const xs = typeof x === 'number' ? [] : x.shape;
  const ys = typeof y === 'number' ? [] : y.shape;
  const shape = broadcastShapes('where', broadcastShapes('where', condition.shape, xs), ys);
  const xv = typeof x === 'number' ? Float64Array.of(castScalar(x, dtype)) : x.values;
  const yv = typeof y === 'number' ? Float64Array.of(castScalar(y, dtype)) : y.values;
  const xst =
    typeof x === 'number'
      ? new Array<number>(shape.length).fill(0)
      : (broadcastStridesTo(x.shape, x.strides, shape) as number[]);
  const yst =
    typeof y === 'number'
      ? new Array<number>(shape.length).fill(0)
      : (broadcastStridesTo(y.shape, y.strides, shape) as number[]);
  const cst = broadcastStridesTo(condition.shape, condition.strides, shape) as number[];
  const out = allocate(dtype, shapeNumel(shape));
  ternaryLoop(
    Ternary.WHERE,
    shape,
    out,
    0,
    contiguousStrides(shape),
    condition.values,
    condition.offset,
    cst,
    xv,
    typeof x === 'number' ? 0 : x.offset,
    xst,
    yv,
    typeof y === 'number' ? 0 : y.offset,
    yst,
    1,
  );
  return new Tensor(out, shape);
}
