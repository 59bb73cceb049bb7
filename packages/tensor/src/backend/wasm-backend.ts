import { loadPointwiseKernels } from '../wasm/pointwise-kernels';
import { loadWasmKernels } from '../wasm/wasm-kernels';
import type { Backend } from './backend';
import { jsBackend } from './js-backend';

/**
 * The WebAssembly SIMD kernels for float32 (see `assembly/`): GEMM,
 * convolutions, 2×2 max pooling, ReLU and its gradient, with the TypeScript
 * kernels for float64; `null` where the runtime lacks WASM SIMD.
 *
 * @example
 * ```ts
 * const wasm = createWasmBackend();
 * if (wasm) setBackend(wasm);
 * ```
 */
export function createWasmBackend(): Backend | null {
  const k = loadWasmKernels();
  const p = loadPointwiseKernels();
  if (k === null || p === null) return null;
  return {
    name: 'wasm',
    gemm(m, n, kk, a, aOff, aRow, aCol, b, bOff, bRow, bCol, c, cOff, accumulate) {
      if (a instanceof Float32Array && b instanceof Float32Array && c instanceof Float32Array) {
        k.sgemm(m, n, kk, a, aOff, aRow, aCol, b, bOff, bRow, bCol, c, cOff, accumulate);
      } else jsBackend.gemm(m, n, kk, a, aOff, aRow, aCol, b, bOff, bRow, bCol, c, cOff, accumulate);
    },
    conv2d(g, input, weight, bias, output) {
      if (input instanceof Float32Array && weight instanceof Float32Array && output instanceof Float32Array) {
        k.conv2d(g, input, weight, bias as Float32Array | null, output);
      } else jsBackend.conv2d(g, input, weight, bias, output);
    },
    conv2dBackwardInput(g, gradOutput, weight, gradInput) {
      if (
        gradOutput instanceof Float32Array &&
        weight instanceof Float32Array &&
        gradInput instanceof Float32Array
      ) {
        k.conv2dBackwardInput(g, gradOutput, weight, gradInput);
      } else jsBackend.conv2dBackwardInput(g, gradOutput, weight, gradInput);
    },
    conv2dBackwardWeight(g, gradOutput, input, gradWeight) {
      if (
        gradOutput instanceof Float32Array &&
        input instanceof Float32Array &&
        gradWeight instanceof Float32Array
      ) {
        k.conv2dBackwardWeight(g, gradOutput, input, gradWeight);
      } else jsBackend.conv2dBackwardWeight(g, gradOutput, input, gradWeight);
    },
    maxPool2x2: p.maxPool2x2,
    relu: p.relu,
    thresholdBackward(g, gOff, y, yOff, out, outOff, n, threshold) {
      // the kernel compares in float32: a threshold float32 cannot hold exactly goes to the reference
      if (Math.fround(threshold) === threshold)
        p.thresholdBackward(g, gOff, y, yOff, out, outOff, n, threshold);
      else jsBackend.thresholdBackward(g, gOff, y, yOff, out, outOff, n, threshold);
    },
  };
}
