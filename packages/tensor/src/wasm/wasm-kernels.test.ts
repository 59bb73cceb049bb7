import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { type ConvGeometry, loadWasmKernels } from './wasm-kernels';

// Independent references: plain loops in float64, written from the definitions.
function refGemm(
  m: number,
  n: number,
  k: number,
  a: Float32Array,
  ar: number,
  ac: number,
  b: Float32Array,
  br: number,
  bc: number,
) {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[i * ar + p * ac]! * b[p * br + j * bc]!;
      c[i * n + j] = s;
    }
  return c;
}

function refConv(g: ConvGeometry, x: Float32Array, w: Float32Array, bias: Float32Array | null) {
  const cg = g.c / g.groups;
  const og = g.o / g.groups;
  const y = new Float64Array(g.n * g.o * g.outH * g.outW);
  for (let b = 0; b < g.n; b++)
    for (let o = 0; o < g.o; o++) {
      const gr = Math.floor(o / og);
      for (let oy = 0; oy < g.outH; oy++)
        for (let ox = 0; ox < g.outW; ox++) {
          let s = bias ? bias[o]! : 0;
          for (let ci = 0; ci < cg; ci++)
            for (let ky = 0; ky < g.kH; ky++)
              for (let kx = 0; kx < g.kW; kx++) {
                const iy = oy * g.strideH + ky * g.dilH - g.padH;
                const ix = ox * g.strideW + kx * g.dilW - g.padW;
                if (iy < 0 || iy >= g.h || ix < 0 || ix >= g.w) continue;
                s +=
                  x[((b * g.c + gr * cg + ci) * g.h + iy) * g.w + ix]! *
                  w[((o * cg + ci) * g.kH + ky) * g.kW + kx]!;
              }
          y[((b * g.o + o) * g.outH + oy) * g.outW + ox] = s;
        }
    }
  return y;
}

let seed = 7;
const rand = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648 - 0.5;
};
const randArray = (n: number) => Float32Array.from({ length: n }, rand);
const int = (lo: number, hi: number) => lo + Math.floor((rand() + 0.5) * (hi - lo + 1));

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>) {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
}

const wasm = loadWasmKernels();

describe('WASM SIMD kernels', () => {
  it('are available on Node 20 (WebAssembly SIMD)', () => {
    expect(wasm).not.toBeNull();
  });

  it('sgemm matches the reference on random odd sizes, transposes, offsets and accumulation', () => {
    for (let t = 0; t < 200; t++) {
      const m = int(1, 21);
      const n = int(1, 37);
      const k = int(1, 19);
      const transA = rand() < 0;
      const transB = rand() < 0;
      const accumulate = rand() < 0;
      const [ar, ac] = transA ? [1, m] : [k, 1];
      const [br, bc] = transB ? [1, k] : [n, 1];
      const a = randArray(m * k + 3);
      const b = randArray(k * n + 5);
      const c = randArray(m * n + 2);
      const before = c.slice();
      wasm!.sgemm(m, n, k, a, 3, ar, ac, b, 5, br, bc, c, 2, accumulate);
      const ref = refGemm(m, n, k, a.subarray(3), ar, ac, b.subarray(5), br, bc);
      const expected = Array.from(ref, (v, i) => v + (accumulate ? before[i + 2]! : 0));
      expect(maxAbsDiff(c.subarray(2), expected)).toBeLessThan(1e-5);
      expect(c.subarray(0, 2)).toEqual(before.subarray(0, 2)); // nothing outside the block is written
    }
  });

  const geometries: ConvGeometry[] = [];
  // the first 25 mostly padded (im2col path), the next 20 unpadded (the implicit GEMM and the
  // im2col-free weight gradient), some wide enough for whole 8-column panels within a row
  for (let t = 0; t < 45; t++) {
    const unpadded = t >= 25;
    const groups = [1, 1, 2, 3][int(0, 3)]!;
    const c = groups * int(1, 3);
    const o = groups * int(1, 4);
    const kH = int(1, 4);
    const kW = int(1, 4);
    const padH = unpadded ? 0 : int(0, 2);
    const padW = unpadded ? 0 : int(0, 2);
    const strideH = int(1, 3);
    const strideW = unpadded && t % 3 !== 0 ? 1 : int(1, 3);
    const dilH = int(1, 2);
    const dilW = int(1, 2);
    const h = int(dilH * (kH - 1) + 1, 11);
    const w = int(dilW * (kW - 1) + 1, unpadded && t % 2 === 0 ? 29 : 13);
    const outH = Math.floor((h + 2 * padH - dilH * (kH - 1) - 1) / strideH) + 1;
    const outW = Math.floor((w + 2 * padW - dilW * (kW - 1) - 1) / strideW) + 1;
    geometries.push({
      n: int(1, 3),
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
    });
  }

  it.each(geometries.map((g, i) => [i, g] as const))(
    'conv2d forward and both backwards match direct loops (case %i)',
    (_, g) => {
      const x = randArray(g.n * g.c * g.h * g.w);
      const w = randArray((g.o * g.c * g.kH * g.kW) / g.groups);
      const bias = randArray(g.o);
      const y = new Float32Array(g.n * g.o * g.outH * g.outW);
      wasm!.conv2d(g, x, w, bias, y);
      expect(maxAbsDiff(y, refConv(g, x, w, bias))).toBeLessThan(1e-5);

      // Backward checked through the adjoint identity: <dY, conv(X)> is linear in X and in W, so
      // d/dX_i = <dY, conv(e_i)>; compare every component against the forward reference.
      const dy = randArray(y.length);
      const dx = new Float32Array(x.length);
      wasm!.conv2dBackwardInput(g, dy, w, dx);
      const dw = new Float32Array(w.length);
      wasm!.conv2dBackwardWeight(g, dy, x, dw);
      const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
        let s = 0;
        for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
        return s;
      };
      const basis = new Float32Array(x.length);
      for (let i = 0; i < x.length; i++) {
        basis[i] = 1;
        expect(Math.abs(dx[i]! - dot(dy, refConv(g, basis, w, null)))).toBeLessThan(1e-4);
        basis[i] = 0;
      }
      const wBasis = new Float32Array(w.length);
      for (let i = 0; i < w.length; i++) {
        wBasis[i] = 1;
        expect(Math.abs(dw[i]! - dot(dy, refConv(g, x, wBasis, null)))).toBeLessThan(1e-4);
        wBasis[i] = 0;
      }
    },
  );

  // about 10 s alone; minutes while every workspace's suite runs at once on two cores
  it('the committed binary is a fresh compile of assembly/', { timeout: 300_000 }, async () => {
    const pkg = resolve(__dirname, '../..');
    const { stdout } = await promisify(execFile)('node', ['scripts/build-wasm.mjs', '--check'], {
      cwd: pkg,
      encoding: 'utf8',
    });
    expect(stdout).toContain('matches');
  });
});
