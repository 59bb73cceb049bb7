import { afterAll, describe, expect, it } from 'vitest';
import {
  conv2d,
  conv2dBackwardInput,
  conv2dBackwardWeight,
  Generator,
  getBackend,
  randn,
  setBackend,
  type Tensor,
} from '../index';

const initial = getBackend();
afterAll(() => {
  setBackend(initial);
});

function on<T>(backend: 'js' | 'wasm', f: () => T): T {
  setBackend(backend);
  return f();
}

function maxDiff(a: Tensor, b: Tensor): number {
  const x = a.toTypedArray();
  const y = b.toTypedArray();
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]! - y[i]!) / (1 + Math.abs(y[i]!)));
  return m;
}

describe('the wasm backend agrees with the js reference on random shapes, odd sizes and strides', () => {
  const g = new Generator(11);
  const r = (n: number) => 1 + Math.floor(g.random() * n);

  it.each(Array.from({ length: 12 }, (_, i) => i))('matmul, strided operands, case %i', () => {
    const m = r(70);
    const k = r(70);
    const n = r(70);
    // transposed views: non-unit strides on either side
    const a = randn([k, m], { generator: g }).t();
    const b = randn([n, k], { generator: g }).t();
    const batch = randn([r(3), m, k], { generator: g });
    expect(
      maxDiff(
        on('wasm', () => a.matmul(b)),
        on('js', () => a.matmul(b)),
      ),
    ).toBeLessThan(1e-5);
    expect(
      maxDiff(
        on('wasm', () => batch.matmul(b)),
        on('js', () => batch.matmul(b)),
      ),
    ).toBeLessThan(1e-5);
  });

  it.each(Array.from({ length: 8 }, (_, i) => i))('conv2d forward and both backward kernels, case %i', () => {
    const groups = 1 + Math.floor(g.random() * 2);
    const c = groups * r(3);
    const o = groups * r(4);
    const k = r(3);
    const opts = { stride: r(2), padding: Math.floor(g.random() * 2), dilation: r(2), groups };
    const x = randn([r(3), c, k * 2 + r(9), k * 2 + r(9)], { generator: g });
    const w = randn([o, c / groups, k, k], { generator: g });
    const y = on('js', () => conv2d(x, w, null, opts));
    expect(
      maxDiff(
        on('wasm', () => conv2d(x, w, null, opts)),
        y,
      ),
    ).toBeLessThan(1e-5);
    const gy = randn([...y.shape], { generator: g });
    expect(
      maxDiff(
        on('wasm', () => conv2dBackwardInput(gy, w, x.shape, opts)),
        on('js', () => conv2dBackwardInput(gy, w, x.shape, opts)),
      ),
    ).toBeLessThan(1e-5);
    expect(
      maxDiff(
        on('wasm', () => conv2dBackwardWeight(gy, x, w.shape, opts)),
        on('js', () => conv2dBackwardWeight(gy, x, w.shape, opts)),
      ),
    ).toBeLessThan(1e-4);
  });
});
