import { getBackend } from './backend/registry';
import type { TypedArray } from './dtype';

/**
 * Op codes of the elementwise kernels. Each op of the `Tensor` class names one; the kernels switch on it
 * once per row, outside the inner loop.
 *
 * @example
 * ```ts
 * binaryLoop(Binary.ADD, [3], out, 0, [1], a, 0, [1], b, 0, [1], 1);
 * ```
 */
export const Binary = {
  ADD: 0,
  SUB: 1,
  MUL: 2,
  DIV: 3,
  POW: 4,
  MAX: 5,
  MIN: 6,
  EQ: 7,
  NE: 8,
  LT: 9,
  LE: 10,
  GT: 11,
  GE: 12,
  AND: 13,
  OR: 14,
  XOR: 15,
} as const;

/**
 * Op codes of the unary kernels; `p` and `q` are the op's scalar parameters (clamp bounds, exponent).
 *
 * @example
 * ```ts
 * unaryLoop(Unary.EXP, [3], out, 0, [1], a, 0, [1], 0, 0);
 * ```
 */
export const Unary = {
  COPY: 0,
  NEG: 1,
  ABS: 2,
  SIGN: 3,
  EXP: 4,
  LOG: 5,
  SQRT: 6,
  RSQRT: 7,
  SIN: 8,
  COS: 9,
  TANH: 10,
  SIGMOID: 11,
  RELU: 12,
  CLAMP: 13,
  POW: 14,
  NOT: 15,
  FILL: 16,
  BOOL: 17,
} as const;

/**
 * Op codes of the ternary kernels: `ADDCMUL` is `a + alpha*b*c`, `ADDCDIV` is `a + alpha*b/c`, `LERP` is
 * `a + c*(b - a)` (PyTorch's two-sided formula), `WHERE` is `a ? b : c`.
 *
 * @example
 * ```ts
 * ternaryLoop(Ternary.ADDCMUL, [3], out, 0, [1], a, 0, [1], b, 0, [1], c, 0, [1], 0.5);
 * ```
 */
export const Ternary = {
  ADDCMUL: 0,
  ADDCDIV: 1,
  LERP: 2,
  WHERE: 3,
} as const;

function binaryRow(
  op: number,
  n: number,
  o: TypedArray,
  oi: number,
  os: number,
  a: TypedArray,
  ai: number,
  as: number,
  b: TypedArray,
  bi: number,
  bs: number,
  alpha: number,
): void {
  switch (op) {
    case 0:
      if (alpha === 1) for (let j = 0; j < n; j++, oi += os, ai += as, bi += bs) o[oi] = a[ai] + b[bi];
      else for (let j = 0; j < n; j++, oi += os, ai += as, bi += bs) o[oi] = a[ai] + alpha * b[bi];
      break;
    case 1:
      if (alpha === 1) for (let j = 0; j < n; j++, oi += os, ai += as, bi += bs) o[oi] = a[ai] - b[bi];
      else for (let j = 0; j < n; j++, oi += os, ai += as, bi += bs) o[oi] = a[ai] - alpha * b[bi];
      break;
    case 2:
      for (let j = 0; j < n; j++, oi += os, ai += as, bi += bs) o[oi] = a[ai] * b[bi];
      break;
    case 3:
      for (let j = 0; j < n; j++, oi += os, ai += as, bi += bs) o[oi] = a[ai] / b[bi];
      break;
    case 4:
      for (let j = 0; j < n; j++, oi += os, ai += as, bi += bs) o[oi] = a[ai] ** b[bi];
      break;
    case 5:
      for (let j = 0; j < n; j++, oi += os, ai += as, bi += bs) o[oi] = Math.max(a[ai], b[bi]);
      break;
    case 6:
      for (let j = 0; j < n; j++, oi += os, ai += as, bi += bs) o[oi] = Math.min(a[ai], b[bi]);
      break;
    case 7:
      for (let j = 0; j < n; j++, oi += os, ai += as, bi += bs) o[oi] = a[ai] === b[bi] ? 1 : 0;
      break;
    case 8:
      for (let j = 0; j < n; j++, oi += os, ai += as, bi += bs) o[oi] = a[ai] !== b[bi] ? 1 : 0;
      break;
    case 9:
      for (let j = 0; j < n; j++, oi += os, ai += as, bi += bs) o[oi] = a[ai] < b[bi] ? 1 : 0;
      break;
    case 10:
      for (let j = 0; j < n; j++, oi += os, ai += as, bi += bs) o[oi] = a[ai] <= b[bi] ? 1 : 0;
      break;
    case 11:
      for (let j = 0; j < n; j++, oi += os, ai += as, bi += bs) o[oi] = a[ai] > b[bi] ? 1 : 0;
      break;
    case 12:
      for (let j = 0; j < n; j++, oi += os, ai += as, bi += bs) o[oi] = a[ai] >= b[bi] ? 1 : 0;
      break;
    case 13:
      for (let j = 0; j < n; j++, oi += os, ai += as, bi += bs) o[oi] = a[ai] !== 0 && b[bi] !== 0 ? 1 : 0;
      break;
    case 14:
      for (let j = 0; j < n; j++, oi += os, ai += as, bi += bs) o[oi] = a[ai] !== 0 || b[bi] !== 0 ? 1 : 0;
      break;
    case 15:
      for (let j = 0; j < n; j++, oi += os, ai += as, bi += bs)
        o[oi] = (a[ai] !== 0) !== (b[bi] !== 0) ? 1 : 0;
      break;
  }
}

function unaryRow(
  op: number,
  n: number,
  o: TypedArray,
  oi: number,
  os: number,
  a: TypedArray,
  ai: number,
  as: number,
  p: number,
  q: number,
): void {
  switch (op) {
    case 0:
      for (let j = 0; j < n; j++, oi += os, ai += as) o[oi] = a[ai];
      break;
    case 1:
      for (let j = 0; j < n; j++, oi += os, ai += as) o[oi] = -a[ai];
      break;
    case 2:
      for (let j = 0; j < n; j++, oi += os, ai += as) o[oi] = Math.abs(a[ai]);
      break;
    case 3:
      for (let j = 0; j < n; j++, oi += os, ai += as) {
        const x = a[ai];
        o[oi] = x > 0 ? 1 : x < 0 ? -1 : Number.isNaN(x) ? x : 0;
      }
      break;
    case 4:
      for (let j = 0; j < n; j++, oi += os, ai += as) o[oi] = Math.exp(a[ai]);
      break;
    case 5:
      for (let j = 0; j < n; j++, oi += os, ai += as) o[oi] = Math.log(a[ai]);
      break;
    case 6:
      for (let j = 0; j < n; j++, oi += os, ai += as) o[oi] = Math.sqrt(a[ai]);
      break;
    case 7:
      for (let j = 0; j < n; j++, oi += os, ai += as) o[oi] = 1 / Math.sqrt(a[ai]);
      break;
    case 8:
      for (let j = 0; j < n; j++, oi += os, ai += as) o[oi] = Math.sin(a[ai]);
      break;
    case 9:
      for (let j = 0; j < n; j++, oi += os, ai += as) o[oi] = Math.cos(a[ai]);
      break;
    case 10:
      for (let j = 0; j < n; j++, oi += os, ai += as) o[oi] = Math.tanh(a[ai]);
      break;
    case 11:
      for (let j = 0; j < n; j++, oi += os, ai += as) o[oi] = 1 / (1 + Math.exp(-a[ai]));
      break;
    case 12:
      for (let j = 0; j < n; j++, oi += os, ai += as) {
        const x = a[ai];
        o[oi] = x > 0 ? x : Number.isNaN(x) ? x : 0;
      }
      break;
    case 13:
      for (let j = 0; j < n; j++, oi += os, ai += as) {
        const x = a[ai];
        o[oi] = Number.isNaN(x) ? x : Math.min(Math.max(x, p), q);
      }
      break;
    case 14:
      if (p === 2) for (let j = 0; j < n; j++, oi += os, ai += as) o[oi] = a[ai] * a[ai];
      // PyTorch computes x^0.5 as sqrt(x) and x^−0.5 as 1/sqrt(x), unlike IEEE pow at −0 and −∞
      // (sqrt(−0) = −0, sqrt(−∞) = NaN; pow gives +0 and +∞)
      else if (p === 0.5) for (let j = 0; j < n; j++, oi += os, ai += as) o[oi] = Math.sqrt(a[ai]);
      else if (p === -0.5) for (let j = 0; j < n; j++, oi += os, ai += as) o[oi] = 1 / Math.sqrt(a[ai]);
      else for (let j = 0; j < n; j++, oi += os, ai += as) o[oi] = a[ai] ** p;
      break;
    case 15:
      for (let j = 0; j < n; j++, oi += os, ai += as) o[oi] = a[ai] === 0 ? 1 : 0;
      break;
    case 16:
      for (let j = 0; j < n; j++, oi += os) o[oi] = p;
      break;
    case 17:
      for (let j = 0; j < n; j++, oi += os, ai += as) o[oi] = a[ai] !== 0 ? 1 : 0;
      break;
  }
}

function ternaryRow(
  op: number,
  n: number,
  o: TypedArray,
  oi: number,
  os: number,
  a: TypedArray,
  ai: number,
  as: number,
  b: TypedArray,
  bi: number,
  bs: number,
  c: TypedArray,
  ci: number,
  cs: number,
  alpha: number,
): void {
  switch (op) {
    case 0:
      for (let j = 0; j < n; j++, oi += os, ai += as, bi += bs, ci += cs)
        o[oi] = a[ai] + alpha * b[bi] * c[ci];
      break;
    case 1:
      for (let j = 0; j < n; j++, oi += os, ai += as, bi += bs, ci += cs)
        o[oi] = a[ai] + (alpha * b[bi]) / c[ci];
      break;
    case 2:
      for (let j = 0; j < n; j++, oi += os, ai += as, bi += bs, ci += cs) {
        const x = a[ai];
        const w = c[ci];
        const d = b[bi] - x;
        o[oi] = Math.abs(w) < 0.5 ? x + w * d : b[bi] - d * (1 - w);
      }
      break;
    case 3:
      for (let j = 0; j < n; j++, oi += os, ai += as, bi += bs, ci += cs) o[oi] = a[ai] !== 0 ? b[bi] : c[ci];
      break;
  }
}

/** True when `strides` are the row-major strides of `shape` (size-1 dimensions ignored). */
function denseRowMajor(shape: readonly number[], strides: readonly number[]): boolean {
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    if (shape[i] !== 1 && strides[i] !== s) return false;
    s *= shape[i];
  }
  return true;
}

/**
 * Float32 fast paths for dense operands. They are separate functions so that
 * V8 only ever sees Float32Array at their element accesses (the generic row
 * functions see every dtype and run megamorphic, several times slower).
 * Returns false when `op` has no fast path here.
 */
function binaryDenseF32(
  op: number,
  n: number,
  o: Float32Array,
  oi: number,
  a: Float32Array,
  ai: number,
  b: Float32Array,
  bi: number,
  alpha: number,
): boolean {
  switch (op) {
    case 0:
      if (alpha === 1) for (let j = 0; j < n; j++) o[oi + j] = a[ai + j]! + b[bi + j]!;
      else for (let j = 0; j < n; j++) o[oi + j] = a[ai + j]! + alpha * b[bi + j]!;
      return true;
    case 1:
      if (alpha === 1) for (let j = 0; j < n; j++) o[oi + j] = a[ai + j]! - b[bi + j]!;
      else for (let j = 0; j < n; j++) o[oi + j] = a[ai + j]! - alpha * b[bi + j]!;
      return true;
    case 2:
      for (let j = 0; j < n; j++) o[oi + j] = a[ai + j]! * b[bi + j]!;
      return true;
    case 3:
      for (let j = 0; j < n; j++) o[oi + j] = a[ai + j]! / b[bi + j]!;
      return true;
    default:
      return false;
  }
}

/** Float32 dense operand with a scalar second operand `y` (see {@link binaryDenseF32}). */
function binaryScalarF32(
  op: number,
  n: number,
  o: Float32Array,
  oi: number,
  a: Float32Array,
  ai: number,
  y: number,
  alpha: number,
): boolean {
  switch (op) {
    case 0:
      for (let j = 0; j < n; j++) o[oi + j] = a[ai + j]! + alpha * y;
      return true;
    case 1:
      for (let j = 0; j < n; j++) o[oi + j] = a[ai + j]! - alpha * y;
      return true;
    case 2:
      for (let j = 0; j < n; j++) o[oi + j] = a[ai + j]! * y;
      return true;
    case 3:
      for (let j = 0; j < n; j++) o[oi + j] = a[ai + j]! / y;
      return true;
    default:
      return false;
  }
}

function unaryDenseF32(
  op: number,
  n: number,
  o: Float32Array,
  oi: number,
  a: Float32Array,
  ai: number,
): boolean {
  switch (op) {
    case 0:
      o.set(a.subarray(ai, ai + n), oi);
      return true;
    case 1:
      for (let j = 0; j < n; j++) o[oi + j] = -a[ai + j]!;
      return true;
    case 4:
      for (let j = 0; j < n; j++) o[oi + j] = Math.exp(a[ai + j]!);
      return true;
    case 6:
      for (let j = 0; j < n; j++) o[oi + j] = Math.sqrt(a[ai + j]!);
      return true;
    case 12:
      // the backend's kernel: on the bits, without data-dependent branches; NaN stays
      getBackend().relu(a, ai, o, oi, n);
      return true;
    default:
      return false;
  }
}

/**
 * Loops `o = op(a, b)` over `shape`. Every operand is `(array, offset, strides)` with strides already
 * broadcast to `shape` (0 on broadcast dimensions). Dense operands take one flat loop; otherwise an
 * odometer walks all dimensions but the last, and the last is a strided inner loop.
 *
 * @example
 * ```ts
 * const o = new Float32Array(2);
 * binaryLoop(Binary.MUL, [2], o, 0, [1], new Float32Array([1, 2]), 0, [1], new Float32Array([3]), 0, [0], 1);
 * // o = [3, 6]
 * ```
 */
export function binaryLoop(
  op: number,
  shape: readonly number[],
  o: TypedArray,
  oOff: number,
  oSt: readonly number[],
  a: TypedArray,
  aOff: number,
  aSt: readonly number[],
  b: TypedArray,
  bOff: number,
  bSt: readonly number[],
  alpha: number,
): void {
  const nd = shape.length;
  let total = 1;
  for (let i = 0; i < nd; i++) total *= shape[i];
  if (total === 0) return;
  if (nd === 0) {
    binaryRow(op, 1, o, oOff, 0, a, aOff, 0, b, bOff, 0, alpha);
    return;
  }
  if (denseRowMajor(shape, oSt) && denseRowMajor(shape, aSt)) {
    const bDense = denseRowMajor(shape, bSt);
    const bScalar = !bDense && bSt.every((s) => s === 0);
    if (bDense || bScalar) {
      const bs = bDense ? 1 : 0;
      if (o instanceof Float32Array && a instanceof Float32Array) {
        if (
          bDense &&
          b instanceof Float32Array &&
          binaryDenseF32(op, total, o, oOff, a, aOff, b, bOff, alpha)
        )
          return;
        if (bScalar && (b instanceof Float32Array || b instanceof Float64Array)) {
          if (binaryScalarF32(op, total, o, oOff, a, aOff, b[bOff]!, alpha)) return;
        }
      }
      binaryRow(op, total, o, oOff, 1, a, aOff, 1, b, bOff, bs, alpha);
      return;
    }
  }
  const last = nd - 1;
  const n = shape[last];
  const outer = total / n;
  const idx = new Int32Array(nd);
  let oi = oOff;
  let ai = aOff;
  let bi = bOff;
  for (let k = 0; k < outer; k++) {
    binaryRow(op, n, o, oi, oSt[last], a, ai, aSt[last], b, bi, bSt[last], alpha);
    for (let d = last - 1; d >= 0; d--) {
      idx[d]++;
      oi += oSt[d];
      ai += aSt[d];
      bi += bSt[d];
      if (idx[d] < shape[d]) break;
      idx[d] = 0;
      oi -= oSt[d] * shape[d];
      ai -= aSt[d] * shape[d];
      bi -= bSt[d] * shape[d];
    }
  }
}

/**
 * Loops `o = op(a; p, q)` over `shape`, operands as in {@link binaryLoop}.
 *
 * @example
 * ```ts
 * const o = new Float64Array(2);
 * unaryLoop(Unary.CLAMP, [2], o, 0, [1], new Float64Array([-5, 5]), 0, [1], -1, 1); // o = [-1, 1]
 * ```
 */
export function unaryLoop(
  op: number,
  shape: readonly number[],
  o: TypedArray,
  oOff: number,
  oSt: readonly number[],
  a: TypedArray,
  aOff: number,
  aSt: readonly number[],
  p: number,
  q: number,
): void {
  const nd = shape.length;
  let total = 1;
  for (let i = 0; i < nd; i++) total *= shape[i];
  if (total === 0) return;
  if (nd === 0) {
    unaryRow(op, 1, o, oOff, 0, a, aOff, 0, p, q);
    return;
  }
  if (denseRowMajor(shape, oSt) && denseRowMajor(shape, aSt)) {
    if (o instanceof Float32Array && a instanceof Float32Array && unaryDenseF32(op, total, o, oOff, a, aOff))
      return;
    unaryRow(op, total, o, oOff, 1, a, aOff, 1, p, q);
    return;
  }
  if (
    op === 0 &&
    nd === 2 &&
    aSt[1] !== 1 &&
    o instanceof Float32Array &&
    a instanceof Float32Array &&
    denseRowMajor(shape, oSt)
  ) {
    copy2dF32(shape[0], shape[1], o, oOff, a, aOff, aSt[0], aSt[1]);
    return;
  }
  const last = nd - 1;
  const n = shape[last];
  const outer = total / n;
  const idx = new Int32Array(nd);
  let oi = oOff;
  let ai = aOff;
  for (let k = 0; k < outer; k++) {
    unaryRow(op, n, o, oi, oSt[last], a, ai, aSt[last], p, q);
    for (let d = last - 1; d >= 0; d--) {
      idx[d]++;
      oi += oSt[d];
      ai += aSt[d];
      if (idx[d] < shape[d]) break;
      idx[d] = 0;
      oi -= oSt[d] * shape[d];
      ai -= aSt[d] * shape[d];
    }
  }
}

/**
 * A strided `rows × cols` float32 matrix (a transpose, typically: a gradient through `.t()`) copied
 * into dense row-major `o`, in 32 × 32 blocks so that the strided reads stay within a few cache
 * lines per block instead of sweeping the whole source once per output row.
 */
function copy2dF32(
  rows: number,
  cols: number,
  o: Float32Array,
  oOff: number,
  a: Float32Array,
  aOff: number,
  aRow: number,
  aCol: number,
): void {
  const B = 32;
  for (let r0 = 0; r0 < rows; r0 += B) {
    const r1 = Math.min(rows, r0 + B);
    for (let c0 = 0; c0 < cols; c0 += B) {
      const c1 = Math.min(cols, c0 + B);
      for (let r = r0; r < r1; r++) {
        let ai = aOff + r * aRow + c0 * aCol;
        let oi = oOff + r * cols + c0;
        for (let c = c0; c < c1; c++, ai += aCol) o[oi++] = a[ai]!;
      }
    }
  }
}

/**
 * Loops `o = op(a, b, c; alpha)` over `shape`, operands as in {@link binaryLoop}.
 *
 * @example
 * ```ts
 * const o = new Float64Array(1);
 * const one = new Float64Array([1]);
 * ternaryLoop(Ternary.ADDCMUL, [1], o, 0, [1], one, 0, [1], one, 0, [1], one, 0, [1], 2); // o = [3]
 * ```
 */
export function ternaryLoop(
  op: number,
  shape: readonly number[],
  o: TypedArray,
  oOff: number,
  oSt: readonly number[],
  a: TypedArray,
  aOff: number,
  aSt: readonly number[],
  b: TypedArray,
  bOff: number,
  bSt: readonly number[],
  c: TypedArray,
  cOff: number,
  cSt: readonly number[],
  alpha: number,
): void {
  const nd = shape.length;
  let total = 1;
  for (let i = 0; i < nd; i++) total *= shape[i];
  if (total === 0) return;
  if (nd === 0) {
    ternaryRow(op, 1, o, oOff, 0, a, aOff, 0, b, bOff, 0, c, cOff, 0, alpha);
    return;
  }
  if (
    denseRowMajor(shape, oSt) &&
    denseRowMajor(shape, aSt) &&
    denseRowMajor(shape, bSt) &&
    denseRowMajor(shape, cSt)
  ) {
    ternaryRow(op, total, o, oOff, 1, a, aOff, 1, b, bOff, 1, c, cOff, 1, alpha);
    return;
  }
  const last = nd - 1;
  const n = shape[last];
  const outer = total / n;
  const idx = new Int32Array(nd);
  let oi = oOff;
  let ai = aOff;
  let bi = bOff;
  let ci = cOff;
  for (let k = 0; k < outer; k++) {
    ternaryRow(op, n, o, oi, oSt[last], a, ai, aSt[last], b, bi, bSt[last], c, ci, cSt[last], alpha);
    for (let d = last - 1; d >= 0; d--) {
      idx[d]++;
      oi += oSt[d];
      ai += aSt[d];
      bi += bSt[d];
      ci += cSt[d];
      if (idx[d] < shape[d]) break;
      idx[d] = 0;
      oi -= oSt[d] * shape[d];
      ai -= aSt[d] * shape[d];
      bi -= bSt[d] * shape[d];
      ci -= cSt[d] * shape[d];
    }
  }
}
