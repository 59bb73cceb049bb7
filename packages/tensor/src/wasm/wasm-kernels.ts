import { getNumThreads } from '../backend/threads';
import { kernelsWasmBase64 } from './kernels-binary';
import { sharedKernelsWasmBase64 } from './kernels-shared-binary';
import { makeThreadedKernels, sgemmParts } from './threaded-kernels';
import { decodeBase64, instantiateOwnMemory } from './wasm-module';

/**
 * The geometry of one 2-D convolution, resolved once by the op: input `[n, c, h, w]`, weight
 * `[o, c / groups, kH, kW]`, output `[n, o, outH, outW]`.
 */
export interface ConvGeometry {
  n: number;
  c: number;
  h: number;
  w: number;
  o: number;
  kH: number;
  kW: number;
  padH: number;
  padW: number;
  strideH: number;
  strideW: number;
  dilH: number;
  dilW: number;
  groups: number;
  outH: number;
  outW: number;
}

/**
 * Kernels compiled to WebAssembly with 128-bit SIMD (see `assembly/`). Operands are copied into the
 * module's memory and results copied back, so each call costs one pass over its inputs and outputs
 * on top of the arithmetic; they pay for matrix products and convolutions, not for elementwise work.
 * Convolutions stage one image of the batch at a time, so the module's memory (which never shrinks)
 * grows to one image's operands, not the whole batch's.
 */
export interface WasmKernels {
  /**
   * `c[cOffset + i·n + j] (+)= Σ_p a[aOffset + i·aRow + p·aCol] · b[bOffset + p·bRow + j·bCol]`:
   * a strided `m × k` times a strided `k × n` into a dense row-major `m × n` block of `c`.
   */
  sgemm(
    m: number,
    n: number,
    k: number,
    a: Float32Array,
    aOffset: number,
    aRow: number,
    aCol: number,
    b: Float32Array,
    bOffset: number,
    bRow: number,
    bCol: number,
    c: Float32Array,
    cOffset: number,
    accumulate: boolean,
  ): void;
  /** Convolution forward over dense NCHW `input` and OIHW `weight` into dense `output`. */
  conv2d(
    g: ConvGeometry,
    input: Float32Array,
    weight: Float32Array,
    bias: Float32Array | null,
    output: Float32Array,
  ): void;
  /** Gradient of the convolution with respect to its input, written (not accumulated) into `gradInput`. */
  conv2dBackwardInput(
    g: ConvGeometry,
    gradOutput: Float32Array,
    weight: Float32Array,
    gradInput: Float32Array,
  ): void;
  /** Gradient of the convolution with respect to its weight, written (not accumulated) into `gradWeight`. */
  conv2dBackwardWeight(
    g: ConvGeometry,
    gradOutput: Float32Array,
    input: Float32Array,
    gradWeight: Float32Array,
  ): void;
}

interface Exports {
  memory: WebAssembly.Memory;
  sgemm(...args: number[]): void;
  sgemmNT(...args: number[]): void;
  sgemmConv(...args: number[]): void;
  convWeightGrad(...args: number[]): void;
  im2col(...args: number[]): void;
  col2im(...args: number[]): void;
  addRowBias(out: number, rows: number, cols: number, bias: number): void;
}

let cached: WasmKernels | null | undefined;

/**
 * The WASM SIMD kernels, or `null` where the runtime has no WebAssembly SIMD (then the TypeScript
 * kernels stay in use). Compiled once, on first call.
 *
 * @example
 * ```ts
 * const wasm = loadWasmKernels();
 * if (wasm) wasm.sgemm(2, 2, 2, a, 0, 2, 1, b, 0, 2, 1, c, 0, false);
 * ```
 */
export function loadWasmKernels(): WasmKernels | null {
  if (cached !== undefined) return cached;
  const exports = instantiateOwnMemory<Exports>(kernelsWasmBase64);
  cached = exports === null ? null : withThreads(makeKernels(exports));
  return cached;
}

/**
 * Below this many floating-point operations a call stays on the calling thread. Inside a training
 * step the workers have usually slept through the elementwise ops in between, and waking one
 * (an idle virtual CPU) took a few hundred microseconds here: a LeNet linear layer (6 MFLOP,
 * ~0.15 ms on one thread) ran 2-3× slower split than not.
 */
const DEFAULT_PARALLEL_FLOPS = 16_000_000;
let parallelFlops = DEFAULT_PARALLEL_FLOPS;

/** Sets the size from which calls are split over threads (tests lower it to reach small shapes). */
export function setParallelFlops(flops: number = DEFAULT_PARALLEL_FLOPS): void {
  parallelFlops = flops;
}

/**
 * Routes each call to the single-thread kernels, or, when {@link getNumThreads} is above 1 and the
 * call is big enough to pay for waking the workers, to kernels split over that many threads.
 */
function withThreads(single: WasmKernels): WasmKernels {
  const byCount = new Map<number, WasmKernels>();
  let module: WebAssembly.Module | null = null;
  const pick = (flops: number, items: number): WasmKernels => {
    const threads = getNumThreads();
    if (threads <= 1 || flops < parallelFlops || items < 2) return single;
    let k = byCount.get(threads);
    if (k === undefined) {
      module ??= new WebAssembly.Module(decodeBase64(sharedKernelsWasmBase64));
      k = makeThreadedKernels(module, threads);
      byCount.set(threads, k);
    }
    return k;
  };
  const convFlops = (g: ConvGeometry) => 2 * g.n * g.o * (g.c / g.groups) * g.kH * g.kW * g.outH * g.outW;
  return {
    sgemm(m, n, k, a, aOffset, aRow, aCol, b, bOffset, bRow, bCol, c, cOffset, accumulate) {
      pick(2 * m * n * k, sgemmParts(m, n)).sgemm(
        m,
        n,
        k,
        a,
        aOffset,
        aRow,
        aCol,
        b,
        bOffset,
        bRow,
        bCol,
        c,
        cOffset,
        accumulate,
      );
    },
    conv2d(g, input, weight, bias, output) {
      pick(convFlops(g), g.n).conv2d(g, input, weight, bias, output);
    },
    conv2dBackwardInput(g, gradOutput, weight, gradInput) {
      pick(convFlops(g), g.n).conv2dBackwardInput(g, gradOutput, weight, gradInput);
    },
    conv2dBackwardWeight(g, gradOutput, input, gradWeight) {
      pick(convFlops(g), g.n).conv2dBackwardWeight(g, gradOutput, input, gradWeight);
    },
  };
}

function makeKernels(x: Exports): WasmKernels {
  const memory = x.memory;
  let heap = new Float32Array(memory.buffer);

  /** Makes the memory at least `floats` long; returns the (possibly new) view. */
  function reserve(floats: number): Float32Array {
    const bytes = floats * 4 + 64;
    if (memory.buffer.byteLength < bytes) {
      memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / 65536));
    }
    if (heap.buffer !== memory.buffer) heap = new Float32Array(memory.buffer);
    return heap;
  }

  const g4 = (g: ConvGeometry) =>
    [g.kH, g.kW, g.padH, g.padW, g.strideH, g.strideW, g.dilH, g.dilW, g.outH, g.outW] as const;

  return {
    sgemm(m, n, k, a, aOffset, aRow, aCol, b, bOffset, bRow, bCol, c, cOffset, accumulate) {
      if (m === 0 || n === 0) return;
      const aLen = k === 0 ? 0 : (m - 1) * aRow + (k - 1) * aCol + 1;
      const bLen = k === 0 ? 0 : (k - 1) * bRow + (n - 1) * bCol + 1;
      const aAt = 0;
      const bAt = align(aAt + aLen);
      const cAt = align(bAt + bLen);
      const panelAt = align(cAt + m * n);
      const h = reserve(panelAt + 8 * k);
      h.set(a.subarray(aOffset, aOffset + aLen), aAt);
      h.set(b.subarray(bOffset, bOffset + bLen), bAt);
      if (accumulate) h.set(c.subarray(cOffset, cOffset + m * n), cAt);
      x.sgemm(m, n, k, aAt * 4, aRow, aCol, bAt * 4, bRow, bCol, cAt * 4, accumulate ? 1 : 0, panelAt * 4, n);
      c.set(h.subarray(cAt, cAt + m * n), cOffset);
    },

    conv2d(g, input, weight, bias, output) {
      const cg = g.c / g.groups;
      const og = g.o / g.groups;
      const kk = cg * g.kH * g.kW;
      const hw = g.outH * g.outW;
      const inLen = g.c * g.h * g.w;
      const outLen = g.o * hw;
      const implicit = implicitForward(g);
      // weight and bias once, then one image at a time: the memory holds one image, not the batch
      const wAt = 0;
      const bAt = align(wAt + g.o * kk);
      const rowAt = align(bAt + g.o);
      const colOffAt = align(rowAt + kk);
      const inAt = align(colOffAt + hw);
      const colAt = align(inAt + inLen);
      const outAt = align(colAt + (implicit ? 0 : kk * hw));
      const panelAt = align(outAt + outLen);
      const h = reserve(panelAt + 9 * kk);
      h.set(weight.subarray(0, g.o * kk), wAt);
      if (bias) h.set(bias.subarray(0, g.o), bAt);
      if (implicit) writeTables(g, new Int32Array(h.buffer), rowAt, colOffAt);
      for (let b = 0; b < g.n; b++) {
        h.set(input.subarray(b * inLen, (b + 1) * inLen), inAt);
        for (let gr = 0; gr < g.groups; gr++) {
          const src = (inAt + gr * cg * g.h * g.w) * 4;
          const dst = outAt + gr * og * hw;
          const wg = (wAt + gr * og * kk) * 4;
          if (implicit) x.sgemmConv(og, hw, kk, wg, kk, src, rowAt * 4, colOffAt * 4, dst * 4, panelAt * 4);
          else {
            x.im2col(src, cg, g.h, g.w, ...g4(g), colAt * 4);
            x.sgemm(og, hw, kk, wg, kk, 1, colAt * 4, hw, 1, dst * 4, 0, panelAt * 4, hw);
          }
          if (bias) x.addRowBias(dst * 4, og, hw, (bAt + gr * og) * 4);
        }
        output.set(h.subarray(outAt, outAt + outLen), b * outLen);
      }
    },

    conv2dBackwardInput(g, gradOutput, weight, gradInput) {
      const cg = g.c / g.groups;
      const og = g.o / g.groups;
      const kk = cg * g.kH * g.kW;
      const hw = g.outH * g.outW;
      const plane = g.h * g.w;
      const goLen = g.o * hw;
      const giLen = g.c * plane;
      const wAt = 0;
      const goAt = align(wAt + g.o * kk);
      const colAt = align(goAt + goLen);
      const giAt = align(colAt + kk * hw);
      const panelAt = align(giAt + giLen);
      const h = reserve(panelAt + 8 * og);
      h.set(weight.subarray(0, g.o * kk), wAt);
      for (let b = 0; b < g.n; b++) {
        h.set(gradOutput.subarray(b * goLen, (b + 1) * goLen), goAt);
        h.fill(0, giAt, giAt + giLen);
        for (let gr = 0; gr < g.groups; gr++) {
          // col[kk, hw] = W_gᵀ[kk, og] · dY[og, hw]
          const go = goAt + gr * og * hw;
          x.sgemm(kk, hw, og, (wAt + gr * og * kk) * 4, 1, kk, go * 4, hw, 1, colAt * 4, 0, panelAt * 4, hw);
          x.col2im(colAt * 4, cg, g.h, g.w, ...g4(g), (giAt + gr * cg * plane) * 4);
        }
        gradInput.set(h.subarray(giAt, giAt + giLen), b * giLen);
      }
    },

    conv2dBackwardWeight(g, gradOutput, input, gradWeight) {
      const cg = g.c / g.groups;
      const og = g.o / g.groups;
      const kk = cg * g.kH * g.kW;
      const hw = g.outH * g.outW;
      const goLen = g.o * hw;
      const inLen = g.c * g.h * g.w;
      const implicit = implicitWeightGrad(g);
      // dW stays in the memory across images (it accumulates); dY and X are staged one image at a time
      const gwAt = 0;
      const rowAt = align(gwAt + g.o * kk);
      const colOffAt = align(rowAt + kk);
      const goAt = align(colOffAt + hw);
      const inAt = align(goAt + goLen);
      const colAt = align(inAt + inLen);
      const end = align(colAt + (implicit ? 0 : kk * hw));
      if (g.n === 0) {
        gradWeight.fill(0, 0, g.o * kk); // an empty batch contributes nothing
        return;
      }
      const h = reserve(end);
      if (implicit) writeTables(g, new Int32Array(h.buffer), rowAt, colOffAt);
      for (let b = 0; b < g.n; b++) {
        h.set(gradOutput.subarray(b * goLen, (b + 1) * goLen), goAt);
        h.set(input.subarray(b * inLen, (b + 1) * inLen), inAt);
        for (let gr = 0; gr < g.groups; gr++) {
          const src = (inAt + gr * cg * g.h * g.w) * 4;
          // dW_g[og, kk] (+)= dY[og, hw] · colᵀ[hw, kk]
          const go = goAt + gr * og * hw;
          const gw = (gwAt + gr * og * kk) * 4;
          const acc = b > 0 ? 1 : 0;
          if (implicit) {
            x.convWeightGrad(...weightGradArgs(g, og, kk, go, src, rowAt, gw, acc));
          } else {
            x.im2col(src, cg, g.h, g.w, ...g4(g), colAt * 4);
            x.sgemmNT(og, kk, hw, go * 4, hw, colAt * 4, hw, gw, kk, acc);
          }
        }
      }
      gradWeight.set(h.subarray(gwAt, gwAt + g.o * kk));
    },
  };
}

/**
 * Whether the forward runs as an implicit GEMM over the image (`sgemmConv`, no im2col): every
 * unpadded geometry (the column tables express any stride and dilation).
 */
export function implicitForward(g: ConvGeometry): boolean {
  return g.padH === 0 && g.padW === 0;
}

/**
 * Whether the weight gradient runs without im2col (`convWeightGrad`): unpadded with a horizontal
 * stride of 1, so each output row's inputs are contiguous.
 */
export function implicitWeightGrad(g: ConvGeometry): boolean {
  return g.padH === 0 && g.padW === 0 && g.strideW === 1;
}

/**
 * The arguments of the `convWeightGrad` export for one image and group: dW_g (at byte offset
 * `gw`) (+)= dY_g (at float offset `go`) against the image at byte offset `src`, through the row
 * table at float offset `rowAt` (see {@link writeTables}).
 */
export function weightGradArgs(
  g: ConvGeometry,
  og: number,
  kk: number,
  go: number,
  src: number,
  rowAt: number,
  gw: number,
  acc: number,
): number[] {
  const hw = g.outH * g.outW;
  return [og, kk, g.outH, g.outW, go * 4, hw, src, rowAt * 4, g.strideH * g.w, gw, kk, acc];
}

/**
 * Writes the implicit GEMM's offset tables into `heap` (an Int32Array over the kernels' memory):
 * at `rowAt`, for each column-matrix row (c, ky, kx) of one group, its element offset in the
 * image; at `colAt`, for each output position (oy, ox), the offset of its window's corner.
 */
export function writeTables(g: ConvGeometry, heap: Int32Array, rowAt: number, colAt: number): void {
  const cg = g.c / g.groups;
  let p = rowAt;
  for (let c = 0; c < cg; c++)
    for (let ky = 0; ky < g.kH; ky++)
      for (let kx = 0; kx < g.kW; kx++) heap[p++] = c * g.h * g.w + ky * g.dilH * g.w + kx * g.dilW;
  let q = colAt;
  for (let oy = 0; oy < g.outH; oy++)
    for (let ox = 0; ox < g.outW; ox++) heap[q++] = oy * g.strideH * g.w + ox * g.strideW;
}

/** Rounds a float index up to a 16-byte boundary. */
function align(floats: number): number {
  return (floats + 3) & ~3;
}
