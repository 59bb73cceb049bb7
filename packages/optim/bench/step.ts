/**
 * ns per parameter per step of SGD-momentum, Adam and AdamW on ~4M float32
 * parameters, each on the fused WASM SIMD path (the default, `foreach: null`)
 * and on the per-parameter TypeScript loops (`foreach: false`) in the same
 * run, beside a plain-loop memory-bandwidth baseline (a triad
 * a[i] = b[i] + s·c[i] over as many floats), and a check that no step after
 * the first allocates array storage.
 *
 *   pnpm --filter @opt/optim bench
 *   STEPS=40 PARAMS=8388608 pnpm --filter @opt/optim bench
 *
 * SGD-momentum moves 5 floats per parameter (read x, g, b; write x, b), Adam
 * 7 (read x, g, m, v; write x, m, v), the triad 3. "bandwidth-bound ns/param"
 * is those bytes at the triad's GB/s: the best a scalar JavaScript loop over
 * the same arrays could do on this machine; the SIMD kernels go below it.
 * They are bound by their copies through the WASM staging area, not by main
 * memory: `PARAMS=262144` (in cache) gives about the same ns/param.
 *
 * "array bytes/step" counts new ArrayBuffer storage (must be 0: every state
 * tensor is created on the first step and updated in place afterwards);
 * "heap bytes/step" is the JS heap growth per step: on the fused path the
 * typed-array views that stage each 8,192-float chunk (a few hundred bytes
 * per chunk, none per element); on the loops boxed scalars while V8 has not
 * fully optimized the update.
 */
import { Generator, randn } from '@opt/tensor';
import { Adam, AdamW, type Optimizer, type ParamLike, SGD } from '../src/index';

const N = Number(process.env.PARAMS ?? 4 * 1024 * 1024);
const STEPS = Number(process.env.STEPS ?? 20);
const CHUNKS = 4; // four parameter tensors, like a small network's layers
const gc = (globalThis as { gc?: () => void }).gc;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function triad(): { nsPerFloat: number; gbps: number } {
  const a = new Float32Array(N);
  const b = new Float32Array(N).fill(1);
  const c = new Float32Array(N).fill(2);
  const times: number[] = [];
  for (let r = 0; r < STEPS + 3; r++) {
    const s = 0.5 + r * 1e-3;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < N; i++) a[i] = b[i]! + s * c[i]!;
    const dt = Number(process.hrtime.bigint() - t0);
    if (r >= 3) times.push(dt);
  }
  if (a[N - 1] === 42) console.log(''); // keep the loop observable
  const t = median(times);
  return { nsPerFloat: t / N, gbps: (12 * N) / t };
}

function params(): ParamLike[] {
  const gen = new Generator().manualSeed(0);
  const size = N / CHUNKS;
  return Array.from({ length: CHUNKS }, () => ({
    data: randn([size], { generator: gen }),
    grad: randn([size], { generator: gen }).mul(1e-3),
  }));
}

interface Result {
  name: string;
  nsPerParam: number;
  firstStepMs: number;
  arrayBytesPerStep: number;
  heapBytesPerStep: number;
  floatsMoved: number;
}

function run(name: string, floatsMoved: number, make: (p: ParamLike[]) => Optimizer<object>): Result {
  const ps = params();
  const opt = make(ps);
  gc?.();
  let t0 = process.hrtime.bigint();
  opt.step(); // creates the state
  const firstStepMs = Number(process.hrtime.bigint() - t0) / 1e6;
  for (let i = 0; i < 3; i++) opt.step(); // warm up the JIT
  const times: number[] = [];
  for (let i = 0; i < STEPS; i++) {
    t0 = process.hrtime.bigint();
    opt.step();
    times.push(Number(process.hrtime.bigint() - t0));
  }
  // allocation: heap and array-buffer growth over STEPS untimed steps with no collection in
  // between (so what the steps allocate shows, not only what they keep); the median of three
  // rounds, so that a one-off JIT recompilation or a late release of earlier garbage does not count
  const heaps: number[] = [];
  const arrays: number[] = [];
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < 3; i++) gc?.();
    const m0 = process.memoryUsage();
    for (let i = 0; i < STEPS; i++) opt.step();
    const m1 = process.memoryUsage();
    heaps.push((m1.heapUsed - m0.heapUsed) / STEPS);
    arrays.push((m1.arrayBuffers - m0.arrayBuffers) / STEPS);
  }
  return {
    name,
    nsPerParam: median(times) / N,
    firstStepMs,
    arrayBytesPerStep: median(arrays),
    heapBytesPerStep: median(heaps),
    floatsMoved,
  };
}

const base = triad();
const results: Result[] = [];
for (const foreach of [null, false]) {
  const path = foreach === null ? 'fused' : 'loop';
  results.push(
    run(`SGD momentum (${path})`, 5, (p) => new SGD(p, { lr: 0.01, momentum: 0.9, foreach })),
    run(`Adam (${path})`, 7, (p) => new Adam(p, { lr: 1e-3, foreach })),
    run(`AdamW (${path})`, 7, (p) => new AdamW(p, { lr: 1e-3, foreach })),
  );
}
const after = triad();
const gbps = Math.max(base.gbps, after.gbps);

console.log(
  `@opt/optim step benchmark: ${N.toLocaleString('en')} float32 parameters in ${CHUNKS} tensors, median of ${STEPS} steps, node ${process.version}${gc ? '' : ' (run with --expose-gc for exact allocation figures)'}`,
);
console.log(
  `baseline triad a = b + s·c: ${(base.nsPerFloat).toFixed(3)} / ${(after.nsPerFloat).toFixed(3)} ns per float (before / after), ${base.gbps.toFixed(1)} / ${after.gbps.toFixed(1)} GB/s`,
);
console.log('');
console.log(
  'optimizer              ns/param/step  bandwidth-bound ns/param  ratio  first step ms  array bytes/step  heap bytes/step',
);
for (const r of results) {
  const bound = (r.floatsMoved * 4) / gbps;
  console.log(
    `${r.name.padEnd(23)}${r.nsPerParam.toFixed(3).padStart(13)}${bound.toFixed(3).padStart(26)}${(r.nsPerParam / bound).toFixed(2).padStart(7)}${r.firstStepMs.toFixed(1).padStart(15)}${r.arrayBytesPerStep.toFixed(0).padStart(18)}${r.heapBytesPerStep.toFixed(0).padStart(17)}`,
  );
}
console.log('');
for (const name of ['SGD momentum', 'Adam', 'AdamW']) {
  const fused = results.find((r) => r.name === `${name} (fused)`)!;
  const loop = results.find((r) => r.name === `${name} (loop)`)!;
  console.log(
    `${name}: fused WASM SIMD path ${(loop.nsPerParam / fused.nsPerParam).toFixed(2)}× faster than the per-parameter loops (foreach: false)`,
  );
}
const leaking = results.filter((r) => r.arrayBytesPerStep > 0);
if (leaking.length > 0) {
  console.error(`array storage allocated after the first step by: ${leaking.map((r) => r.name).join(', ')}`);
  process.exitCode = 1;
}
