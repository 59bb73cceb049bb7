// An experiment behind a design decision, not part of `pnpm bench`: could SGD-momentum's update
// reach two-thread PyTorch (0.38 ns/param here) by splitting the fused WASM update over two
// threads? Workers can only read tensors whose storage is a SharedArrayBuffer, so this runs the
// same 4 × 2²⁰-parameter update three ways in one process:
//   1. ordinary ArrayBuffer storage, one thread (what @opt/optim does today);
//   2. SharedArrayBuffer storage, one thread;
//   3. SharedArrayBuffer storage, the caller and one worker each updating half of every tensor.
// It checks that 3 writes the same bits as 2, then prints medians and ratios.
// Outcome: shared storage made every copy slower, so two threads only matched one. What removed
// the copies instead is pinned memory (Tensor.pinMemory): see the `pinned` rows of `pnpm bench`.
// Run on the built packages: `pnpm build && node bench/src/shared-sgd.mjs`.
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { loadUpdateKernels, UpdateBatch } from '@opt/tensor';

const PARTS = 4;
const N = 1 << 20;
const TOTAL = PARTS * N;
const HALF = N / 2;
const H = {
  lr: 1e-3,
  momentum: 0.9,
  dampening: 0,
  weightDecay: 0,
  nesterov: false,
  maximize: false,
  first: false,
};
const kernels = loadUpdateKernels();
if (kernels === null) throw new Error('this runtime has no WebAssembly SIMD');

/** Parameter, gradient and momentum buffer for each tensor, over `Buffer` storage. */
function storage(Buffer) {
  const tensors = [];
  for (let t = 0; t < PARTS; t++) {
    const [x, g, b] = [0, 1, 2].map(() => new Float32Array(new Buffer(N * 4)));
    for (let i = 0; i < N; i++) g[i] = Math.sin(i + t);
    tensors.push({ x, g, b });
  }
  return tensors;
}

/** The batch over elements [from, to) of every tensor. */
function batchOf(tensors, from, to) {
  const batch = new UpdateBatch();
  for (const { x, g, b } of tensors) batch.add(to - from, x, from, g, from, b, from);
  return batch;
}

function median(step) {
  for (let i = 0; i < 5; i++) step();
  const times = [];
  for (let i = 0; i < 31; i++) {
    const t0 = process.hrtime.bigint();
    step();
    times.push(Number(process.hrtime.bigint() - t0));
  }
  times.sort((a, b) => a - b);
  return times[15] / TOTAL;
}

const plain = storage(ArrayBuffer);
const plainBatch = batchOf(plain, 0, N);
const shared = storage(SharedArrayBuffer);
const sharedBatch = batchOf(shared, 0, N);
const twin = storage(SharedArrayBuffer);
const mine = batchOf(twin, 0, HALF);

// control word: 0 idle, 1 update requested, 2 exit
const control = new Int32Array(new SharedArrayBuffer(4));
const worker = new Worker(new URL('./shared-sgd-worker.mjs', import.meta.url), {
  workerData: { tensors: twin, control, from: HALF, to: N, h: H },
});
await new Promise((resolve) => worker.once('message', resolve));

function twoThreads() {
  Atomics.store(control, 0, 1);
  Atomics.notify(control, 0);
  kernels.sgd(mine, H);
  while (Atomics.load(control, 0) !== 0);
}

const rows = [
  ['ordinary storage, 1 thread', median(() => kernels.sgd(plainBatch, H))],
  ['shared storage, 1 thread', median(() => kernels.sgd(sharedBatch, H))],
  ['shared storage, 2 threads', median(twoThreads)],
];
Atomics.store(control, 0, 2);
Atomics.notify(control, 0);

// both shared runs took the same number of steps from the same start: same bits
for (let t = 0; t < PARTS; t++) {
  for (let i = 0; i < N; i++) {
    if (shared[t].x[i] !== twin[t].x[i] || shared[t].b[i] !== twin[t].b[i])
      throw new Error(`two-thread update differs at tensor ${t}, element ${i}`);
  }
}

const pytorch = JSON.parse(readFileSync(new URL('../pytorch/pytorch-timings.json', import.meta.url), 'utf8'));
const pt2 = pytorch.results.threads_2.sgd_momentum_ns_per_param;
const base = rows[0][1];
console.log(`SGD momentum over ${TOTAL.toLocaleString('en')} float32 parameters, median of 31 steps`);
for (const [name, ns] of rows) {
  console.log(
    `${name.padEnd(28)} ${ns.toFixed(3)} ns/param   ${(ns / base).toFixed(2)}× ordinary 1 thread   ${(ns / pt2).toFixed(2)}× PyTorch 2 threads (${pt2.toFixed(2)})`,
  );
}
