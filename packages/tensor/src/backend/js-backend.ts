import type { Backend, ConvGeometry, FloatArray } from './backend';

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
 * row-major, so the inner loop is unit-stride), and four rows of `C` are
 * updated per pass so every loaded `B` element is used four times.
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
        const c0 = cOff + i * n + j0;
        const c1 = c0 + n;
        const c2 = c1 + n;
        const c3 = c2 + n;
        const a0 = aOff + i * aRow + p0 * aCol;
        for (let p = 0; p < kc; p++) {
          const ap = a0 + p * aCol;
          const x0 = a[ap]!;
          const x1 = a[ap + aRow]!;
          const x2 = a[ap + 2 * aRow]!;
          const x3 = a[ap + 3 * aRow]!;
          const row = p * nc;
          for (let j = 0; j < nc; j++) {
            const y = bp[row + j]!;
            c[c0 + j]! += x0 * y;
            c[c1 + j]! += x1 * y;
            c[c2 + j]! += x2 * y;
            c[c3 + j]! += x3 * y;
          }
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
 * float64): blocked GEMM, and convolution as im2col onto that GEMM. Every
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
};
