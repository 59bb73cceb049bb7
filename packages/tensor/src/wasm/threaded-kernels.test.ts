import { afterAll, describe, expect, it } from 'vitest';
import { getNumThreads, nodeThreading, setNumThreads } from '../backend/threads';
import { OptError } from '../errors';
import { Generator } from '../random';
import type { ConvGeometry } from './wasm-kernels';
import { loadWasmKernels, setParallelFlops } from './wasm-kernels';

const initialThreads = getNumThreads();
afterAll(() => {
  setNumThreads(initialThreads);
  setParallelFlops();
});

const gen = new Generator(5);
const r = (n: number) => 1 + Math.floor(gen.random() * n);
const rand = (len: number) => Float32Array.from({ length: len }, () => gen.random() * 2 - 1);

/** Runs `f` on `threads` threads with every call split, whatever its size. */
function on<T>(threads: number, f: () => T): T {
  setNumThreads(threads);
  setParallelFlops(0);
  return f();
}

/** A random convolution; `unpadded` ones (wider) take the implicit-GEMM forward and weight gradient. */
function geometry(unpadded = false): ConvGeometry {
  const groups = r(2);
  const c = groups * r(3);
  const o = groups * r(3);
  const [kH, kW] = [r(3), r(3)];
  const [padH, padW] = unpadded ? [0, 0] : [r(2) - 1, r(2) - 1];
  const [strideH, strideW] = [r(2), r(2)];
  const [dilH, dilW] = [r(2), 1];
  const h = kH * dilH + r(7);
  const w = kW * dilW + r(unpadded ? 20 : 7);
  const outH = Math.floor((h + 2 * padH - dilH * (kH - 1) - 1) / strideH) + 1;
  const outW = Math.floor((w + 2 * padW - dilW * (kW - 1) - 1) / strideW) + 1;
  // odd batch sizes: the threads' shares differ
  return {
    n: 2 * r(3) + 1,
    c,
    h,
    w,
    o,
    kH,
    kW,
    padH,
    padW,
    strideH,
    strideW,
    dilH,
    dilW,
    groups,
    outH,
    outW,
  };
}

describe.runIf(nodeThreading() !== null && loadWasmKernels() !== null)(
  'kernels split over worker threads agree with one thread',
  () => {
    const k = loadWasmKernels()!;

    it.each([2, 3])(
      'matrix products on %i threads are bit-identical, strided operands, odd sizes',
      (threads) => {
        for (let trial = 0; trial < 6; trial++) {
          const [m, n, kk] = [r(40), r(40), r(40)];
          const a = rand(m * kk);
          const b = rand(kk * n);
          const c0 = rand(m * n + 3);
          const run = (t: number) => {
            const c = Float32Array.from(c0);
            // a as a transposed view (strides 1, m), b dense, accumulated into c at offset 3
            on(t, () => k.sgemm(m, n, kk, a, 0, 1, m, b, 0, n, 1, c, 3, trial % 2 === 0));
            return c;
          };
          expect(run(threads)).toEqual(run(1));
        }
      },
    );

    it.each([2, 3])(
      'convolutions on %i threads: forward and input gradient bit-identical, weight gradient to 1e-6',
      (threads) => {
        for (let trial = 0; trial < 10; trial++) {
          const g = geometry(trial % 2 === 1);
          const kk = (g.c / g.groups) * g.kH * g.kW;
          const input = rand(g.n * g.c * g.h * g.w);
          const weight = rand(g.o * kk);
          const bias = rand(g.o);
          const gradOutput = rand(g.n * g.o * g.outH * g.outW);
          const run = (t: number) =>
            on(t, () => {
              const out = new Float32Array(g.n * g.o * g.outH * g.outW);
              k.conv2d(g, input, weight, bias, out);
              const gi = new Float32Array(input.length).fill(7);
              k.conv2dBackwardInput(g, gradOutput, weight, gi);
              const gw = new Float32Array(weight.length).fill(7);
              k.conv2dBackwardWeight(g, gradOutput, input, gw);
              return { out, gi, gw };
            });
          const one = run(1);
          const many = run(threads);
          expect(many.out).toEqual(one.out);
          expect(many.gi).toEqual(one.gi);
          for (let i = 0; i < one.gw.length; i++) {
            expect(Math.abs(many.gw[i]! - one.gw[i]!), `dW[${i}]`).toBeLessThanOrEqual(
              1e-6 * (1 + Math.abs(one.gw[i]!)) * g.n,
            );
          }
        }
      },
    );

    it('a batch of one image stays on one thread and gives the same numbers', () => {
      const g = { ...geometry(), n: 1 };
      const kk = (g.c / g.groups) * g.kH * g.kW;
      const input = rand(g.c * g.h * g.w);
      const weight = rand(g.o * kk);
      const conv = (t: number) =>
        on(t, () => {
          const out = new Float32Array(g.o * g.outH * g.outW);
          k.conv2d(g, input, weight, null, out);
          return out;
        });
      expect(conv(2)).toEqual(conv(1));
    });
  },
);

describe('setNumThreads', () => {
  it('rejects a count that is not a positive integer, naming it', () => {
    expect(() => setNumThreads(0)).toThrow(OptError);
    expect(() => setNumThreads(1.5)).toThrow('setNumThreads: n must be an integer ≥ 1; got 1.5');
  });

  it('reads back what was set', () => {
    setNumThreads(1);
    expect(getNumThreads()).toBe(1);
  });
});
