import type { Backend } from '../backend/backend';
import { pointwiseWasmBase64 } from './pointwise-binary';
import { instantiateOwnMemory } from './wasm-module';

/**
 * The pointwise layers of a conv net in WebAssembly SIMD (see `assembly/pointwise.ts`): 2×2 max
 * pooling, ReLU and ReLU's gradient, on dense float32 storage. Operands stream through the module's
 * memory in chunks of about 16,384 floats, so it stays small. Every result is bit for bit the
 * TypeScript reference's (`jsBackend`), NaN, ±0 and ±∞ included.
 *
 * @example
 * ```ts
 * const k = loadPointwiseKernels();
 * const out = new Float32Array(4);
 * k?.relu(new Float32Array([-1, 2, -0, NaN]), 0, out, 0, 4); // out = [0, 2, 0, NaN]
 * ```
 */
export type PointwiseKernels = Pick<Backend, 'maxPool2x2' | 'relu' | 'thresholdBackward'>;

/** The module's exports: byte addresses in its memory, sizes, and the threshold. */
interface Exports {
  memory: WebAssembly.Memory;
  maxPool2x2(...args: number[]): void;
  relu(...args: number[]): void;
  thresholdBackward(...args: number[]): void;
}

/** Floats per operand in one chunk of the elementwise kernels. */
const CHUNK = 16384;

let cached: PointwiseKernels | null | undefined;

/**
 * The pointwise kernels, or `null` where the runtime has no WebAssembly SIMD. Compiled once, on
 * first call.
 *
 * @example
 * ```ts
 * const k = loadPointwiseKernels(); // null without WebAssembly SIMD
 * ```
 */
export function loadPointwiseKernels(): PointwiseKernels | null {
  if (cached !== undefined) return cached;
  const exports = instantiateOwnMemory<Exports>(pointwiseWasmBase64);
  cached = exports === null ? null : makePointwiseKernels(exports);
  return cached;
}

function makePointwiseKernels(x: Exports): PointwiseKernels {
  const memory = x.memory;
  let f32 = new Float32Array(memory.buffer);
  let i32 = new Int32Array(memory.buffer);

  /** Makes the memory at least `floats` long (it never shrinks) and refreshes the views. */
  function reserve(floats: number): void {
    const bytes = floats * 4;
    if (memory.buffer.byteLength < bytes) memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / 65536));
    if (f32.buffer !== memory.buffer) {
      f32 = new Float32Array(memory.buffer);
      i32 = new Int32Array(memory.buffer);
    }
  }

  return {
    maxPool2x2(xs, xOff, out, idx, planes, h, w, outH, outW) {
      const plane = h * w;
      const outPlane = outH * outW;
      const per = Math.max(1, Math.floor(CHUNK / plane));
      // staged: input planes at 0, maxima after them, indices after those
      const outAt = per * plane;
      const idxAt = outAt + per * outPlane;
      reserve(idxAt + per * outPlane);
      for (let p = 0; p < planes; p += per) {
        const k = Math.min(per, planes - p);
        const from = xOff + p * plane;
        f32.set(xs.subarray(from, from + k * plane), 0);
        x.maxPool2x2(0, outAt * 4, idxAt * 4, k, h, w, outH, outW);
        out.set(f32.subarray(outAt, outAt + k * outPlane), p * outPlane);
        idx.set(i32.subarray(idxAt, idxAt + k * outPlane), p * outPlane);
      }
    },
    relu(xs, xOff, out, outOff, n) {
      reserve(2 * CHUNK);
      for (let s = 0; s < n; s += CHUNK) {
        const len = Math.min(CHUNK, n - s);
        f32.set(xs.subarray(xOff + s, xOff + s + len), 0);
        x.relu(0, CHUNK * 4, len);
        out.set(f32.subarray(CHUNK, CHUNK + len), outOff + s);
      }
    },
    thresholdBackward(g, gOff, y, yOff, out, outOff, n, threshold) {
      reserve(3 * CHUNK);
      for (let s = 0; s < n; s += CHUNK) {
        const len = Math.min(CHUNK, n - s);
        f32.set(g.subarray(gOff + s, gOff + s + len), 0);
        f32.set(y.subarray(yOff + s, yOff + s + len), CHUNK);
        x.thresholdBackward(0, CHUNK * 4, 2 * CHUNK * 4, len, threshold);
        out.set(f32.subarray(2 * CHUNK, 2 * CHUNK + len), outOff + s);
      }
    },
  };
}
