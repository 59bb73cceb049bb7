import type { Backend, ConvGeometry, FloatArray } from './backend';
import { maxPool2x2, relu, thresholdBackward } from './js-pointwise';

const TILE_K = 128;
const TILE_N = 512;

/** A reusable scratch buffer per float type (grown, never shrunk), so kernels do not allocate per call. */
class Scratch {
  private f32 = new Float32Array(0);
  private f64 = new Float64Array(0);

  /** At least `size` elements of the same float type as `like`. */
  get(like: FloatArray, size: number): FloatArray {
    if (like instanceof Float32Array) {
      if (this.f32.length < size) this.f32 = new Float32Array(size);
      return this.f32;
    }
    if (this.f64.length < size) this.f64 = new Float64Array(size);
    return this.f64;
  }
}

/** Packed tiles of B for the GEMM. */
const packed = new Scratch();
/** Column buffers of im2col (separate: the convolutions call the GEMM while holding one). */
const columns = new Scratch();

/**
 * Blocked GEMM in TypeScript: `B` is packed tile by tile (`TILE_K × TILE_N`,
 * row-major, so the inner loop is unit-stride), and `C` is computed in 4×4 register blocks (16 running sums
 * in locals over a `TILE_K` strip), so each loaded element feeds four products.
 */
function gemm(
  m: number,
  n: number,
  k: number,
  a: FloatArray,
  aOff: number,
  aRow: number,
  aCol: number,
  b: FloatArray,
  bOff: number,
  bRow: number,
  bCol: number,
  c: FloatArray,
  cOff: number,
  accumulate: boolean,
): void {
  if (!accumulate) c.fill(0, cOff, cOff + m * n);
  if (m === 0 || n === 0 || k === 0) return;
  const bp = packed.get(c, Math.min(TILE_K, k) * Math.min(TILE_N, n));
  for (let p0 = 0; p0 < k; p0 += TILE_K) {
    const kc = Math.min(TILE_K, k - p0);
    for (let j0 = 0; j0 < n; j0 += TILE_N) {
      const nc = Math.min(TILE_N, n - j0);
      // pack B[p0:p0+kc, j0:j0+nc] row-major
      for (let p = 0; p < kc; p++) {
        const src = bOff + (p0 + p) * bRow + j0 * bCol;
        const dst = p * nc;
        if (bCol === 1) for (let j = 0; j < nc; j++) bp[dst + j] = b[src + j]!;
        else for (let j = 0; j < nc; j++) bp[dst + j] = b[src + j * bCol]!;
      }
      let i = 0;
      for (; i + 4 <= m; i += 4) {
        const a0 = aOff + i * aRow + p0 * aCol;
        const r0 = cOff + i * n + j0;
        let j = 0;
        // 4×4 register block: 16 sums stay in locals over the whole kc strip
        for (; j + 4 <= nc; j += 4) {
          let s00 = 0,
            s01 = 0,
            s02 = 0,
            s03 = 0;
          let s10 = 0,
            s11 = 0,
            s12 = 0,
            s13 = 0;
          let s20 = 0,
            s21 = 0,
            s22 = 0,
            s23 = 0;
          let s30 = 0,
            s31 = 0,
            s32 = 0,
            s33 = 0;
          let ap = a0;
          let bq = j;
          for (let p = 0; p < kc; p++) {
            const x0 = a[ap]!;
            const x1 = a[ap + aRow]!;
            const x2 = a[ap + 2 * aRow]!;
            const x3 = a[ap + 3 * aRow]!;
            const y0 = bp[bq]!;
            const y1 = bp[bq + 1]!;
            const y2 = bp[bq + 2]!;
            const y3 = bp[bq + 3]!;
            s00 += x0 * y0;
            s01 += x0 * y1;
            s02 += x0 * y2;
            s03 += x0 * y3;
            s10 += x1 * y0;
            s11 += x1 * y1;
            s12 += x1 * y2;
            s13 += x1 * y3;
            s20 += x2 * y0;
            s21 += x2 * y1;
            s22 += x2 * y2;
            s23 += x2 * y3;
            s30 += x3 * y0;
            s31 += x3 * y1;
            s32 += x3 * y2;
            s33 += x3 * y3;
            ap += aCol;
            bq += nc;
          }
          const q0 = r0 + j;
          const q1 = q0 + n;
          const q2 = q1 + n;
          const q3 = q2 + n;
          c[q0]! += s00;
          c[q0 + 1]! += s01;
          c[q0 + 2]! += s02;
          c[q0 + 3]! += s03;
          c[q1]! += s10;
          c[q1 + 1]! += s11;
          c[q1 + 2]! += s12;
          c[q1 + 3]! += s13;
          c[q2]! += s20;
          c[q2 + 1]! += s21;
          c[q2 + 2]! += s22;
          c[q2 + 3]! += s23;
          c[q3]! += s30;
          c[q3 + 1]! += s31;
          c[q3 + 2]! += s32;
          c[q3 + 3]! += s33;
        }
        for (; j < nc; j++) {
          let s0 = 0,
            s1 = 0,
            s2 = 0,
            s3 = 0;
          let ap = a0;
          let bq = j;
          for (let p = 0; p < kc; p++) {
            const y = bp[bq]!;
            s0 += a[ap]! * y;
            s1 += a[ap + aRow]! * y;
            s2 += a[ap + 2 * aRow]! * y;
            s3 += a[ap + 3 * aRow]! * y;
            ap += aCol;
            bq += nc;
          }
          const q0 = r0 + j;
          c[q0]! += s0;
          c[q0 + n]! += s1;
          c[q0 + 2 * n]! += s2;
          c[q0 + 3 * n]! += s3;
        }
      }
      for (; i < m; i++) {
        const c0 = cOff + i * n + j0;
        const a0 = aOff + i * aRow + p0 * aCol;
        for (let p = 0; p < kc; p++) {
          const x0 = a[a0 + p * aCol]!;
          if (x0 === 0) continue;
          const row = p * nc;
          for (let j = 0; j < nc; j++) c[c0 + j]! += x0 * bp[row + j]!;
        }
      }
    }
  }
}

/** Column buffer for one image and one group: rows `(c, kh, kw)`, columns `(oh, ow)`. */
function im2col(
  g: ConvGeometry,
  input: FloatArray,
  inOff: number,
  c0: number,
  cg: number,
  col: FloatArray,
): void {
  const { h, w, kH, kW, padH, padW, strideH, strideW, dilH, dilW, outH, outW } = g;
  let r = 0;
  for (let c = 0; c < cg; c++) {
    const plane = inOff + (c0 + c) * h * w;
    for (let ki = 0; ki < kH; ki++) {
      for (let kj = 0; kj < kW; kj++, r++) {
        let at = r * outH * outW;
        for (let oh = 0; oh < outH; oh++) {
          const ih = oh * strideH - padH + ki * dilH;
          if (ih < 0 || ih >= h) {
            col.fill(0, at, at + outW);
            at += outW;
            continue;
          }
          const rowBase = plane + ih * w;
          for (let ow = 0; ow < outW; ow++, at++) {
            const iw = ow * strideW - padW + kj * dilW;
            col[at] = iw >= 0 && iw < w ? input[rowBase + iw]! : 0;
          }
        }
      }
    }
  }
}

/** Adds a column buffer back into one image's input gradient (the adjoint of `im2col`). */
function col2im(
  g: ConvGeometry,
  col: FloatArray,
  gradIn: FloatArray,
  inOff: number,
  c0: number,
  cg: number,
): void {
  const { h, w, kH, kW, padH, padW, strideH, strideW, dilH, dilW, outH, outW } = g;
  let r = 0;
  for (let c = 0; c < cg; c++) {
    const plane = inOff + (c0 + c) * h * w;
    for (let ki = 0; ki < kH; ki++) {
      for (let kj = 0; kj < kW; kj++, r++) {
        let at = r * outH * outW;
        for (let oh = 0; oh < outH; oh++) {
          const ih = oh * strideH - padH + ki * dilH;
          if (ih < 0 || ih >= h) {
            at += outW;
            continue;
          }
          const rowBase = plane + ih * w;
          for (let ow = 0; ow < outW; ow++, at++) {
            const iw = ow * strideW - padW + kj * dilW;
            if (iw >= 0 && iw < w) gradIn[rowBase + iw]! += col[at]!;
          }
        }
      }
    }
  }
}

function conv2d(
  g: ConvGeometry,
  input: FloatArray,
  weight: FloatArray,
  bias: FloatArray | null,
  output: FloatArray,
): void {
  const { n, c, h, w, o, kH, kW, groups, outH, outW } = g;
  const cg = c / groups;
  const og = o / groups;
  const rows = cg * kH * kW;
  const cols = outH * outW;
  const col = columns.get(input, rows * cols);
  for (let img = 0; img < n; img++) {
    for (let gr = 0; gr < groups; gr++) {
      im2col(g, input, img * c * h * w, gr * cg, cg, col);
      const outOff = (img * o + gr * og) * cols;
      gemm(og, cols, rows, weight, gr * og * rows, rows, 1, col, 0, cols, 1, output, outOff, false);
    }
    if (bias) {
      for (let oc = 0; oc < o; oc++) {
        const base = (img * o + oc) * cols;
        const bv = bias[oc]!;
        for (let j = 0; j < cols; j++) output[base + j]! += bv;
      }
    }
  }
}

function conv2dBackwardInput(
  g: ConvGeometry,
  gradOutput: FloatArray,
  weight: FloatArray,
  gradInput: FloatArray,
): void {
  const { n, c, h, w, o, kH, kW, groups, outH, outW } = g;
  const cg = c / groups;
  const og = o / groups;
  const rows = cg * kH * kW;
  const cols = outH * outW;
  const col = columns.get(gradOutput, rows * cols);
  gradInput.fill(0, 0, n * c * h * w);
  for (let img = 0; img < n; img++) {
    for (let gr = 0; gr < groups; gr++) {
      // col = Wᵀ · gradOut  (rows × cols)
      gemm(
        rows,
        cols,
        og,
        weight,
        gr * og * rows,
        1,
        rows,
        gradOutput,
        (img * o + gr * og) * cols,
        cols,
        1,
        col,
        0,
        false,
      );
      col2im(g, col, gradInput, img * c * h * w, gr * cg, cg);
    }
  }
}

function conv2dBackwardWeight(
  g: ConvGeometry,
  gradOutput: FloatArray,
  input: FloatArray,
  gradWeight: FloatArray,
): void {
  const { n, c, h, w, o, kH, kW, groups, outH, outW } = g;
  const cg = c / groups;
  const og = o / groups;
  const rows = cg * kH * kW;
  const cols = outH * outW;
  const col = columns.get(input, rows * cols);
  gradWeight.fill(0, 0, o * rows);
  for (let img = 0; img < n; img++) {
    for (let gr = 0; gr < groups; gr++) {
      im2col(g, input, img * c * h * w, gr * cg, cg, col);
      // gW[og, rows] += gradOut[og, cols] · colᵀ
      gemm(
        og,
        rows,
        cols,
        gradOutput,
        (img * o + gr * og) * cols,
        cols,
        1,
        col,
        0,
        1,
        cols,
        gradWeight,
        gr * og * rows,
        true,
      );
    }
  }
}

/**
 * The reference kernels, in TypeScript over typed arrays (float32 and
 * float64): blocked GEMM, convolution as im2col onto that GEMM, and
 * branch-free float32 loops for 2×2 max pooling, ReLU and its gradient. Every
 * faster backend is tested against these.
 *
 * @example
 * ```ts
 * setBackend(jsBackend); // force the reference kernels
 * ```
 */
export const jsBackend: Backend = {
  name: 'js',
  gemm,
  conv2d,
  conv2dBackwardInput,
  conv2dBackwardWeight,
  maxPool2x2,
  relu,
  thresholdBackward,
};
