import { describe, expect, it } from 'vitest';
import type { Backend } from './backend';
import { jsBackend } from './js-backend';
import { createWasmBackend } from './wasm-backend';

// Both backends' pointwise kernels against plain scalar models of PyTorch's rules, bit for bit:
// random values mixed with NaN (both signs), ±0, ±∞ and ties, at odd sizes and offsets, over
// several of the WASM kernels' 16,384-float chunks.

const bits = (a: Float32Array | Int32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

function values(n: number, seed: number, ties = false): Float32Array {
  let s = seed;
  const next = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  const specials = [Number.NaN, -Number.NaN, 0, -0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
  const a = new Float32Array(n);
  // a NaN with the sign bit set, which `-NaN` in JavaScript does not guarantee
  const negNaN = new Float32Array(new Uint32Array([0xffc00000]).buffer)[0]!;
  for (let i = 0; i < n; i++) {
    const r = next();
    if (r < 0.04) a[i] = specials[Math.floor(next() * specials.length)]!;
    else if (r < 0.05) a[i] = negNaN;
    else a[i] = ties ? Math.floor(next() * 4) - 2 : next() * 4 - 2;
  }
  return a;
}

/** PyTorch's max pooling rule, one window at a time: the first maximum in row-major order, or the first NaN. */
function poolModel(x: Float32Array, xOff: number, planes: number, h: number, w: number) {
  const outH = Math.floor(h / 2);
  const outW = Math.floor(w / 2);
  const out = new Float32Array(planes * outH * outW);
  const idx = new Int32Array(out.length);
  let o = 0;
  for (let p = 0; p < planes; p++) {
    for (let i = 0; i < outH; i++) {
      for (let j = 0; j < outW; j++, o++) {
        let at = -1;
        for (const [di, dj] of [
          [0, 0],
          [0, 1],
          [1, 0],
          [1, 1],
        ] as const) {
          const k = (2 * i + di) * w + 2 * j + dj;
          const v = x[xOff + p * h * w + k]!;
          const best = at < 0 ? v : x[xOff + p * h * w + at]!;
          if (at < 0 || (!Number.isNaN(best) && (v > best || Number.isNaN(v)))) at = k;
        }
        out[o] = x[xOff + p * h * w + at]!;
        idx[o] = at;
      }
    }
  }
  return { out, idx, outH, outW };
}

const wasm = createWasmBackend();
const backends: [string, Backend][] = [['js', jsBackend]];
if (wasm) backends.push(['wasm', wasm]);

describe.each(backends)('%s pointwise kernels', (_name, backend) => {
  it.each([
    [1, 2, 2],
    [3, 5, 9],
    [7, 28, 28],
    [40, 28, 28],
    [5, 10, 10],
    [2, 4, 15],
  ])('maxPool2x2 over %i planes of %i × %i matches the rule, from an offset', (planes, h, w) => {
    for (const ties of [false, true]) {
      const xOff = 3;
      const x = values(xOff + planes * h * w, planes * h + w, ties);
      const want = poolModel(x, xOff, planes, h, w);
      const out = new Float32Array(want.out.length);
      const idx = new Int32Array(want.out.length);
      backend.maxPool2x2(x, xOff, out, idx, planes, h, w, want.outH, want.outW);
      expect(bits(idx)).toEqual(bits(want.idx));
      expect(bits(out)).toEqual(bits(want.out));
    }
  });

  it.each([1, 3, 4, 17, 16384, 16385, 50001])('relu of %i values keeps NaN and maps −0 to +0', (n) => {
    const x = values(n + 5, n);
    const want = new Float32Array(n + 2);
    for (let i = 0; i < n; i++) {
      const v = x[5 + i]!;
      want[2 + i] = v > 0 || Number.isNaN(v) ? v : 0;
    }
    // NaN payloads and signs are kept: compare with the input's own bits where it passes
    const wantBits = bits(want);
    const xb = bits(x);
    for (let i = 0; i < n; i++) if (Number.isNaN(x[5 + i]!)) wantBits[2 + i] = xb[5 + i]!;
    const out = new Float32Array(n + 2);
    backend.relu(x, 5, out, 2, n);
    expect(bits(out)).toEqual(wantBits);
  });

  it.each([1, 6, 16384, 40007])('thresholdBackward of %i values, out of place and in place', (n) => {
    const g = values(n + 1, 2 * n + 1);
    const y = values(n + 3, 3 * n + 7);
    for (const threshold of [0, 0.5, -1.25]) {
      const want = new Uint32Array(n);
      const gb = bits(g);
      for (let i = 0; i < n; i++) want[i] = y[3 + i]! <= threshold ? 0 : gb[1 + i]!;
      const out = new Float32Array(n);
      backend.thresholdBackward(g, 1, y, 3, out, 0, n, threshold);
      expect(bits(out)).toEqual(Array.from(want));
      const inPlace = g.slice();
      backend.thresholdBackward(inPlace, 1, y, 3, inPlace, 1, n, threshold);
      expect(bits(inPlace.subarray(1))).toEqual(Array.from(want));
    }
  });
});

describe.runIf(wasm !== null)('wasm thresholdBackward with a threshold float32 cannot hold', () => {
  it('compares in double precision, as the reference does', () => {
    const y = new Float32Array([Math.fround(0.1), 0.0999, 0.2]);
    const g = new Float32Array([1, 2, 3]);
    const out = new Float32Array(3);
    wasm!.thresholdBackward(g, 0, y, 0, out, 0, 3, 0.1);
    // fround(0.1) = 0.10000000149 > 0.1: its gradient passes
    expect(Array.from(out)).toEqual([1, 0, 3]);
  });
});
