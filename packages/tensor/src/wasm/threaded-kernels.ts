import {
  ADD_ROW_BIAS,
  COL2IM,
  CONV_WEIGHT_GRAD,
  IM2COL,
  KernelWorkers,
  SGEMM,
  SGEMM_CONV,
  SGEMM_NT,
} from './kernel-workers';
import {
  type ConvGeometry,
  implicitForward,
  implicitWeightGrad,
  type WasmKernels,
  weightGradArgs,
  writeTables,
} from './wasm-kernels';

interface SharedExports {
  sgemm(...args: number[]): void;
  sgemmNT(...args: number[]): void;
  sgemmConv(...args: number[]): void;
  convWeightGrad(...args: number[]): void;
  im2col(...args: number[]): void;
  col2im(...args: number[]): void;
  addRowBias(...args: number[]): void;
}

/**
 * How many pieces the threaded sgemm splits an `m × n` product into: 8-column bands when there
 * are at least two, else 4-row blocks.
 */
export function sgemmParts(m: number, n: number): number {
  return n >= 16 ? Math.ceil(n / 8) : Math.ceil(m / 4);
}

/**
 * The WASM kernels split over `threads` threads (the caller and `threads − 1` workers) that share
 * one memory: the whole batch is staged once, each thread takes a contiguous range of images (or
 * of output rows for a matrix product) with its own scratch, and the caller copies the results out
 * when all are done. Every output element is computed by the same operations as on one thread;
 * only a convolution's weight gradient sums its per-image terms per thread first.
 */
export function makeThreadedKernels(
  module: WebAssembly.Module,
  threads: number,
): WasmKernels & { readonly threads: number } {
  const memory = new WebAssembly.Memory({ initial: 16, maximum: 32768, shared: true });
  const x = new WebAssembly.Instance(module, { env: { memory, abort: () => {} } })
    .exports as unknown as SharedExports;
  const workers = new KernelWorkers(module, memory, threads - 1);
  const fns = [x.sgemm, x.im2col, x.col2im, x.addRowBias, x.sgemmNT, x.sgemmConv, x.convWeightGrad];
  let heap = new Float32Array(memory.buffer);

  function reserve(floats: number): Float32Array {
    const bytes = floats * 4 + 64;
    const have = memory.buffer.byteLength;
    if (have < bytes) memory.grow(Math.ceil((bytes - have) / 65536));
    if (heap.length * 4 < bytes) heap = new Float32Array(memory.buffer);
    return heap;
  }

  /** Calls export `fn` on thread `t`: now on the calling thread, queued for a worker otherwise. */
  function call(t: number, fn: number, args: readonly number[]): void {
    if (t === 0) fns[fn]!(...args);
    else workers.push(t - 1, fn, args);
  }

  /**
   * Runs `body(t, first, last)` for every thread's range of `count` items, the caller's last.
   * `stage(first, last)` copies a range's operands in: the workers' ranges before they start, the
   * caller's own after, so that copy overlaps the workers' arithmetic. `unstage(first, last)`
   * copies a range's results out: the caller's as soon as it is done, the workers' after the wait.
   */
  function split(
    count: number,
    body: (t: number, first: number, last: number) => void,
    stage?: (first: number, last: number) => void,
    unstage?: (first: number, last: number) => void,
  ): void {
    const per = Math.ceil(count / threads);
    const own = Math.min(count, per);
    if (stage) {
      workers.wake();
      stage(own, count);
    }
    for (let t = threads - 1; t >= 1; t--) body(t, Math.min(count, t * per), Math.min(count, (t + 1) * per));
    workers.start();
    try {
      if (stage) stage(0, own);
      body(0, 0, own);
      if (unstage) unstage(0, own);
    } finally {
      workers.wait();
    }
    if (unstage) unstage(own, count);
  }

  const geo = (g: ConvGeometry) =>
    [g.kH, g.kW, g.padH, g.padW, g.strideH, g.strideW, g.dilH, g.dilW, g.outH, g.outW] as const;

  return {
    threads,

    sgemm(m, n, k, a, aOffset, aRow, aCol, b, bOffset, bRow, bCol, c, cOffset, accumulate) {
      if (m === 0 || n === 0) return;
      const aLen = k === 0 ? 0 : (m - 1) * aRow + (k - 1) * aCol + 1;
      const bLen = k === 0 ? 0 : (k - 1) * bRow + (n - 1) * bCol + 1;
      const aAt = 0;
      const bAt = align(aAt + aLen);
      const cAt = align(bAt + bLen);
      const panelAt = align(cAt + m * n);
      const h = reserve(panelAt + 8 * k * threads);
      workers.wake(); // the wake-up overlaps the copies
      h.set(a.subarray(aOffset, aOffset + aLen), aAt);
      h.set(b.subarray(bOffset, bOffset + bLen), bAt);
      if (accumulate) h.set(c.subarray(cOffset, cOffset + m * n), cAt);
      // bands of whole 8-column panels when there are two or more (each thread packs only its own
      // panels of B, where a split by rows would have every thread pack all of B, and reads all of
      // A in place), else rows in blocks of 4, the kernel's register tile
      const byColumns = n >= 16;
      split(sgemmParts(m, n), (t, first, last) => {
        const r0 = byColumns ? 0 : Math.min(m, first * 4);
        const r1 = byColumns ? m : Math.min(m, last * 4);
        const j0 = byColumns ? Math.min(n, first * 8) : 0;
        const j1 = byColumns ? Math.min(n, last * 8) : n;
        if (r1 <= r0 || j1 <= j0) return;
        call(t, SGEMM, [
          r1 - r0,
          j1 - j0,
          k,
          (aAt + r0 * aRow) * 4,
          aRow,
          aCol,
          (bAt + j0 * bCol) * 4,
          bRow,
          bCol,
          (cAt + r0 * n + j0) * 4,
          accumulate ? 1 : 0,
          (panelAt + t * 8 * k) * 4,
          n,
        ]);
      });
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
      const wAt = 0;
      const bAt = align(wAt + g.o * kk);
      const rowAt = align(bAt + g.o);
      const colOffAt = align(rowAt + kk);
      const inAt = align(colOffAt + hw);
      const outAt = align(inAt + g.n * inLen);
      const scratchAt = align(outAt + g.n * outLen);
      const colLen = implicit ? 0 : align(kk * hw);
      const scratch = colLen + align(9 * kk); // col (im2col path only), then the packed panel
      const h = reserve(scratchAt + threads * scratch);
      h.set(weight.subarray(0, g.o * kk), wAt);
      if (bias) h.set(bias.subarray(0, g.o), bAt);
      if (implicit) writeTables(g, new Int32Array(h.buffer), rowAt, colOffAt);
      const stage = (first: number, last: number) =>
        h.set(input.subarray(first * inLen, last * inLen), inAt + first * inLen);
      const unstage = (first: number, last: number) =>
        output.set(h.subarray(outAt + first * outLen, outAt + last * outLen), first * outLen);
      split(
        g.n,
        (t, first, last) => {
          const colAt = scratchAt + t * scratch;
          const panelAt = colAt + colLen;
          for (let b = first; b < last; b++) {
            for (let gr = 0; gr < g.groups; gr++) {
              const src = (inAt + b * inLen + gr * cg * g.h * g.w) * 4;
              const dst = outAt + b * outLen + gr * og * hw;
              const wg = (wAt + gr * og * kk) * 4;
              if (implicit) {
                call(t, SGEMM_CONV, [og, hw, kk, wg, kk, src, rowAt * 4, colOffAt * 4, dst * 4, panelAt * 4]);
              } else {
                call(t, IM2COL, [src, cg, g.h, g.w, ...geo(g), colAt * 4]);
                call(t, SGEMM, [og, hw, kk, wg, kk, 1, colAt * 4, hw, 1, dst * 4, 0, panelAt * 4, hw]);
              }
              if (bias) call(t, ADD_ROW_BIAS, [dst * 4, og, hw, (bAt + gr * og) * 4]);
            }
          }
        },
        stage,
        unstage,
      );
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
      const giAt = align(goAt + g.n * goLen);
      const scratchAt = align(giAt + g.n * giLen);
      const scratch = align(kk * hw) + align(8 * og);
      const h = reserve(scratchAt + threads * scratch);
      h.set(weight.subarray(0, g.o * kk), wAt);
      const stage = (first: number, last: number) => {
        h.set(gradOutput.subarray(first * goLen, last * goLen), goAt + first * goLen);
        h.fill(0, giAt + first * giLen, giAt + last * giLen);
      };
      const unstage = (first: number, last: number) =>
        gradInput.set(h.subarray(giAt + first * giLen, giAt + last * giLen), first * giLen);
      split(
        g.n,
        (t, first, last) => {
          const colAt = scratchAt + t * scratch;
          const panelAt = colAt + align(kk * hw);
          for (let b = first; b < last; b++) {
            for (let gr = 0; gr < g.groups; gr++) {
              // col[kk, hw] = W_gᵀ[kk, og] · dY[og, hw], then added back onto the image
              const go = goAt + b * goLen + gr * og * hw;
              call(t, SGEMM, [
                kk,
                hw,
                og,
                (wAt + gr * og * kk) * 4,
                1,
                kk,
                go * 4,
                hw,
                1,
                colAt * 4,
                0,
                panelAt * 4,
                hw,
              ]);
              const gi = (giAt + b * giLen + gr * cg * plane) * 4;
              call(t, COL2IM, [colAt * 4, cg, g.h, g.w, ...geo(g), gi]);
            }
          }
        },
        stage,
        unstage,
      );
    },

    conv2dBackwardWeight(g, gradOutput, input, gradWeight) {
      const cg = g.c / g.groups;
      const og = g.o / g.groups;
      const kk = cg * g.kH * g.kW;
      const hw = g.outH * g.outW;
      const goLen = g.o * hw;
      const inLen = g.c * g.h * g.w;
      const gwLen = g.o * kk;
      const implicit = implicitWeightGrad(g);
      const rowAt = 0;
      const colOffAt = align(rowAt + kk);
      const goAt = align(colOffAt + hw);
      const inAt = align(goAt + g.n * goLen);
      const scratchAt = align(inAt + g.n * inLen);
      // per thread: its partial dW and (im2col path only) its col
      const scratch = align(gwLen) + (implicit ? 0 : align(kk * hw));
      const h = reserve(scratchAt + threads * scratch);
      if (implicit) writeTables(g, new Int32Array(h.buffer), rowAt, colOffAt);
      const stage = (first: number, last: number) => {
        h.set(gradOutput.subarray(first * goLen, last * goLen), goAt + first * goLen);
        h.set(input.subarray(first * inLen, last * inLen), inAt + first * inLen);
      };
      const used: boolean[] = [];
      split(
        g.n,
        (t, first, last) => {
          const gwAt = scratchAt + t * scratch;
          const colAt = gwAt + align(gwLen);
          used[t] = last > first;
          for (let b = first; b < last; b++) {
            for (let gr = 0; gr < g.groups; gr++) {
              const src = (inAt + b * inLen + gr * cg * g.h * g.w) * 4;
              // dW_g[og, kk] (+)= dY[og, hw] · colᵀ[hw, kk]
              const go = goAt + b * goLen + gr * og * hw;
              const gw = (gwAt + gr * og * kk) * 4;
              const acc = b > first ? 1 : 0;
              if (implicit) {
                call(t, CONV_WEIGHT_GRAD, weightGradArgs(g, og, kk, go, src, rowAt, gw, acc));
              } else {
                call(t, IM2COL, [src, cg, g.h, g.w, ...geo(g), colAt * 4]);
                call(t, SGEMM_NT, [og, kk, hw, go * 4, hw, colAt * 4, hw, gw, kk, acc]);
              }
            }
          }
        },
        stage,
      );
      // the threads' partial sums, added in thread order
      gradWeight.fill(0, 0, gwLen);
      for (let t = 0; t < threads; t++) {
        if (!used[t]) continue;
        const at = scratchAt + t * scratch;
        for (let i = 0; i < gwLen; i++) gradWeight[i] = gradWeight[i]! + h[at + i]!;
      }
    },
  };
}

/** Rounds a float index up to a 16-byte boundary. */
function align(floats: number): number {
  return (floats + 3) & ~3;
}
