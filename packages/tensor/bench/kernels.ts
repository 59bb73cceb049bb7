/**
 * Kernel benchmark: GFLOP/s of matmul (256/512/1024) and of the LeNet
 * convolutions (forward + both backward kernels), GB/s of an elementwise
 * triad, each beside a naive loop doing the same work in the same run.
 *
 *   pnpm bench            (in packages/tensor)
 */
import {
  conv2d,
  conv2dBackwardInput,
  conv2dBackwardWeight,
  getBackend,
  randn,
  setBackend,
  type Tensor,
} from '../src/index';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Median seconds of `f` over `reps` runs after one warm-up. */
function time(f: () => void, reps: number): number {
  f();
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    f();
    ts.push((performance.now() - t0) / 1000);
  }
  return median(ts);
}

/** The textbook triple loop (i, j, p) over row-major arrays: the baseline. */
function naiveMatmul(a: Float32Array, b: Float32Array, c: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < n; p++) s += a[i * n + p]! * b[p * n + j]!;
      c[i * n + j] = s;
    }
  }
}

/** Direct convolution, seven nested loops, no padding or stride: the baseline. */
function naiveConv(
  x: Float32Array,
  w: Float32Array,
  y: Float32Array,
  n: number,
  c: number,
  h: number,
  o: number,
  k: number,
): void {
  const oh = h - k + 1;
  for (let b = 0; b < n; b++)
    for (let oc = 0; oc < o; oc++)
      for (let i = 0; i < oh; i++)
        for (let j = 0; j < oh; j++) {
          let s = 0;
          for (let ic = 0; ic < c; ic++)
            for (let u = 0; u < k; u++)
              for (let v = 0; v < k; v++)
                s += x[((b * c + ic) * h + i + u) * h + j + v]! * w[((oc * c + ic) * k + u) * k + v]!;
          y[((b * o + oc) * oh + i) * oh + j] = s;
        }
}

const initial = getBackend().name as 'js' | 'wasm';
const rows: string[][] = [['work', 'naive loop', 'js backend', 'wasm backend', 'wasm / naive']];
const fmt = (v: number) => v.toFixed(2);

for (const n of [256, 512, 1024]) {
  const a = randn([n, n]);
  const b = randn([n, n]);
  const flop = 2 * n ** 3;
  const av = a.values as Float32Array;
  const bv = b.values as Float32Array;
  const c = new Float32Array(n * n);
  const naive = n <= 512 ? flop / time(() => naiveMatmul(av, bv, c, n), 2) / 1e9 : Number.NaN;
  setBackend('js');
  const js = flop / time(() => a.matmul(b), n <= 512 ? 5 : 2) / 1e9;
  setBackend('wasm');
  const wasm = flop / time(() => a.matmul(b), 5) / 1e9;
  rows.push([
    `matmul ${n}³ (GFLOP/s)`,
    Number.isNaN(naive) ? 'skipped' : fmt(naive),
    fmt(js),
    fmt(wasm),
    Number.isNaN(naive) ? '' : `${(wasm / naive).toFixed(1)}×`,
  ]);
}

// LeNet's convolutions at batch 64 (the tutorial's 3×32×32 input): forward + input and weight gradients
for (const [name, xs, ws] of [
  ['conv1 64×3×32×32 * 6×3×5×5', [64, 3, 32, 32], [6, 3, 5, 5]],
  ['conv2 64×6×14×14 * 16×6×5×5', [64, 6, 14, 14], [16, 6, 5, 5]],
] as const) {
  const x = randn([...xs]);
  const w = randn([...ws]);
  const oh = xs[2] - ws[2] + 1;
  const flop = 2 * xs[0] * ws[0] * oh * oh * xs[1] * ws[2] * ws[3];
  const y = new Float32Array(xs[0] * ws[0] * oh * oh);
  const naive =
    flop /
    time(
      () =>
        naiveConv(x.values as Float32Array, w.values as Float32Array, y, xs[0], xs[1], xs[2], ws[0], ws[2]),
      3,
    ) /
    1e9;
  const run = (): Tensor => {
    const out = conv2d(x, w);
    conv2dBackwardInput(out, w, x.shape);
    conv2dBackwardWeight(out, x, w.shape);
    return out;
  };
  setBackend('js');
  const jsF = flop / time(() => conv2d(x, w), 5) / 1e9;
  const jsAll = (3 * flop) / time(run, 5) / 1e9;
  setBackend('wasm');
  const wF = flop / time(() => conv2d(x, w), 5) / 1e9;
  const wAll = (3 * flop) / time(run, 5) / 1e9;
  rows.push([`${name} fwd (GFLOP/s)`, fmt(naive), fmt(jsF), fmt(wF), `${(wF / naive).toFixed(1)}×`]);
  rows.push([`${name} fwd+bwd (GFLOP/s)`, '', fmt(jsAll), fmt(wAll), '']);
}

// triad a = b + s·c over 8M floats: three streams of 4 bytes per element
{
  const n = 1 << 23;
  const b = randn([n]);
  const cT = randn([n]);
  const a = new Float32Array(n);
  const bv = b.values as Float32Array;
  const cv = cT.values as Float32Array;
  const bytes = 3 * 4 * n;
  const loop =
    bytes /
    time(() => {
      for (let i = 0; i < n; i++) a[i] = bv[i]! + 2.5 * cv[i]!;
    }, 5) /
    1e9;
  // the same work in the two passes the tensor ops make (copy, then a += 2.5·c), as a plain loop
  const twoPass =
    bytes /
    time(() => {
      a.set(bv);
      for (let i = 0; i < n; i++) a[i] = a[i]! + 2.5 * cv[i]!;
    }, 5) /
    1e9;
  const out = randn([n]);
  const ops = bytes / time(() => out.copy_(b).add_(cT, { alpha: 2.5 }), 5) / 1e9;
  rows.push(['triad a = b + 2.5·c, 8M floats (GB/s), one pass', fmt(loop), '', '', '']);
  rows.push([
    'triad in two passes: plain loop vs copy_ + add_',
    fmt(twoPass),
    fmt(ops),
    '',
    `ops / loop ${(ops / twoPass).toFixed(2)}`,
  ]);
}
setBackend(initial);

const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
for (const r of rows) console.log(r.map((cell, i) => cell.padEnd(widths[i]!)).join('  '));
