import type { TypedArray } from './dtype';

/**
 * Op codes of {@link reduceLoop}.
 *
 * @example
 * ```ts
 * Reduce.SUM; // 0
 * ```
 */
export const Reduce = {
  SUM: 0,
  MEAN: 1,
  PROD: 2,
  MAX: 3,
  MIN: 4,
  VAR: 5,
  STD: 6,
  NORM: 7,
} as const;

function reduceScratch(
  op: number,
  s: Float64Array,
  n: number,
  param: number,
  idxOut: Int32Array | null,
  k: number,
): number {
  switch (op) {
    case 0:
    case 1: {
      let acc = 0;
      for (let i = 0; i < n; i++) acc += s[i];
      return op === 1 ? acc / n : acc;
    }
    case 2: {
      let acc = 1;
      for (let i = 0; i < n; i++) acc *= s[i];
      return acc;
    }
    case 3:
    case 4: {
      let best = s[0];
      let bi = 0;
      for (let i = 1; i < n; i++) {
        if (Number.isNaN(best)) break;
        const x = s[i];
        if (Number.isNaN(x) || (op === 3 ? x > best : x < best)) {
          best = x;
          bi = i;
        }
      }
      if (idxOut !== null) idxOut[k] = bi;
      return best;
    }
    case 5:
    case 6: {
      let mean = 0;
      for (let i = 0; i < n; i++) mean += s[i];
      mean /= n;
      let m2 = 0;
      for (let i = 0; i < n; i++) {
        const d = s[i] - mean;
        m2 += d * d;
      }
      const v = m2 / Math.max(0, n - param);
      return op === 6 ? Math.sqrt(v) : v;
    }
    case 7: {
      const p = param;
      if (p === 2) {
        let acc = 0;
        for (let i = 0; i < n; i++) acc += s[i] * s[i];
        return Math.sqrt(acc);
      }
      if (p === Number.POSITIVE_INFINITY || p === Number.NEGATIVE_INFINITY) {
        let acc = p > 0 ? 0 : Number.POSITIVE_INFINITY;
        for (let i = 0; i < n; i++) {
          const a = Math.abs(s[i]);
          acc = p > 0 ? Math.max(acc, a) : Math.min(acc, a);
        }
        return acc;
      }
      if (p === 0) {
        let acc = 0;
        for (let i = 0; i < n; i++) if (s[i] !== 0) acc++;
        return acc;
      }
      let acc = 0;
      for (let i = 0; i < n; i++) acc += Math.abs(s[i]) ** p;
      return acc ** (1 / p);
    }
  }
  return Number.NaN;
}

/**
 * Reduces the dimensions flagged in `reduced` of the strided input, writing one value per kept index
 * (row-major over the kept dimensions) to `out`, and for MAX/MIN the position of the winner within the
 * reduced dimensions (row-major) to `indices`. `param` is the correction of VAR/STD and `p` of NORM.
 * The elements of each group are gathered once into one scratch buffer allocated per call.
 *
 * @example
 * ```ts
 * const out = new Float64Array(2);
 * reduceLoop(Reduce.SUM, new Float64Array([1, 2, 3, 4]), 0, [2, 2], [2, 1], [false, true], out, null, 0);
 * // out = [3, 7]
 * ```
 */
export function reduceLoop(
  op: number,
  values: TypedArray,
  offset: number,
  shape: readonly number[],
  strides: readonly number[],
  reduced: readonly boolean[],
  out: TypedArray,
  indices: Int32Array | null,
  param: number,
): void {
  if (op === Reduce.SUM || op === Reduce.MEAN) {
    sumLoop(op === Reduce.MEAN, values, offset, shape, strides, reduced, out);
    return;
  }
  const keptShape: number[] = [];
  const keptStrides: number[] = [];
  const redShape: number[] = [];
  const redStrides: number[] = [];
  for (let d = 0; d < shape.length; d++) {
    if (reduced[d]) {
      redShape.push(shape[d]);
      redStrides.push(strides[d]);
    } else {
      keptShape.push(shape[d]);
      keptStrides.push(strides[d]);
    }
  }
  let outN = 1;
  for (const s of keptShape) outN *= s;
  let redN = 1;
  for (const s of redShape) redN *= s;
  const scratch = new Float64Array(redN);
  const kIdx = new Int32Array(keptShape.length);
  const rIdx = new Int32Array(redShape.length);
  const rLast = redShape.length - 1;
  let base = offset;
  for (let k = 0; k < outN; k++) {
    if (rLast < 0) scratch[0] = values[base];
    else {
      rIdx.fill(0);
      let p = base;
      const n = redShape[rLast];
      const st = redStrides[rLast];
      for (let i = 0; i < redN; i += n) {
        for (let j = 0, q = p; j < n; j++, q += st) scratch[i + j] = values[q];
        for (let d = rLast - 1; d >= 0; d--) {
          rIdx[d]++;
          p += redStrides[d];
          if (rIdx[d] < redShape[d]) break;
          rIdx[d] = 0;
          p -= redStrides[d] * redShape[d];
        }
      }
    }
    out[k] = reduceScratch(op, scratch, redN, param, indices, k);
    for (let d = keptShape.length - 1; d >= 0; d--) {
      kIdx[d]++;
      base += keptStrides[d];
      if (kIdx[d] < keptShape[d]) break;
      kIdx[d] = 0;
      base -= keptStrides[d] * keptShape[d];
    }
  }
}

/**
 * SUM/MEAN in one pass over the input in its own index order, accumulating in float64 into the output
 * slot (reduced dimensions have output stride 0), so no gather is needed.
 */
function sumLoop(
  mean: boolean,
  values: TypedArray,
  offset: number,
  shape0: readonly number[],
  strides0: readonly number[],
  reduced0: readonly boolean[],
  out: TypedArray,
): void {
  // merge neighbouring dimensions that are both reduced or both kept and laid out as one (a conv
  // bias gradient's sum over [0, 2, 3] of NCHW walks H·W-long rows instead of W-long ones)
  const shape: number[] = [];
  const strides: number[] = [];
  const reduced: boolean[] = [];
  for (let d = 0; d < shape0.length; d++) {
    const last = shape.length - 1;
    if (last >= 0 && reduced[last] === reduced0[d] && strides[last] === strides0[d]! * shape0[d]!) {
      shape[last] = shape[last]! * shape0[d]!;
      strides[last] = strides0[d]!;
    } else {
      shape.push(shape0[d]!);
      strides.push(strides0[d]!);
      reduced.push(reduced0[d]!);
    }
  }
  const nd = shape.length;
  const oSt = new Array<number>(nd);
  let outN = 1;
  let redN = 1;
  for (let d = nd - 1; d >= 0; d--) {
    if (reduced[d]) {
      oSt[d] = 0;
      redN *= shape[d];
    } else {
      oSt[d] = outN;
      outN *= shape[d];
    }
  }
  const acc = new Float64Array(outN);
  const total = outN * redN;
  if (nd === 0) acc[0] = values[offset];
  else if (total > 0) {
    const last = nd - 1;
    const n = shape[last];
    const is = strides[last];
    const os = oSt[last];
    const idx = new Int32Array(nd);
    let ii = offset;
    let oi = 0;
    for (let k = 0; k < total; k += n) {
      if (os === 0) {
        let a = 0;
        for (let j = 0, q = ii; j < n; j++, q += is) a += values[q];
        acc[oi] += a;
      } else for (let j = 0, q = ii, r = oi; j < n; j++, q += is, r += os) acc[r] += values[q];
      for (let d = last - 1; d >= 0; d--) {
        idx[d]++;
        ii += strides[d];
        oi += oSt[d];
        if (idx[d] < shape[d]) break;
        idx[d] = 0;
        ii -= strides[d] * shape[d];
        oi -= oSt[d] * shape[d];
      }
    }
  }
  for (let k = 0; k < outN; k++) out[k] = mean ? acc[k] / redN : acc[k];
}
