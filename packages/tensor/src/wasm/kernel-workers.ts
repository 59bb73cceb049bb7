import { OptError } from '../errors';
import { awaitWorker, DONE, post, SEQ, SPIN_MS, spawnWorkers } from './worker-sync';

/** Kernel exports a worker can call, by number in a command list. */
export const SGEMM = 0;
export const IM2COL = 1;
export const COL2IM = 2;
export const ADD_ROW_BIAS = 3;
export const SGEMM_NT = 4;
export const SGEMM_CONV = 5;
export const CONV_WEIGHT_GRAD = 6;

// Layout of each worker's control block after the protocol's SEQ and DONE slots (worker-sync.ts):
// the list's length, then the list: per command its export number, its argument count and its
// arguments.
const LENGTH = 2;
const LIST = 3;
const SLOTS = 1 << 16;
/** The most arguments a kernel export takes (im2col, col2im); the worker always passes this many. */
const MAX_ARGS = 15;

// The worker: instantiates the kernels over the shared memory, then runs each posted list.
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, control } = workerData;
const x = new WebAssembly.Instance(module, { env: { memory, abort() {} } }).exports;
const fns = [x.sgemm, x.im2col, x.col2im, x.addRowBias, x.sgemmNT, x.sgemmConv, x.convWeightGrad];
const c = new Int32Array(control);
let seen = 0;
for (;;) {
  // sleep until a list is posted; a notify without one is a wake-up call from a caller about to
  // post (it is still copying operands in): spin for the list a little instead of sleeping again
  Atomics.wait(c, ${SEQ}, seen);
  if (Atomics.load(c, ${SEQ}) === seen) {
    const until = performance.now() + ${SPIN_MS};
    while (Atomics.load(c, ${SEQ}) === seen && performance.now() < until);
    if (Atomics.load(c, ${SEQ}) === seen) continue;
  }
  seen = Atomics.load(c, ${SEQ});
  let ok = true;
  try {
    const end = ${LIST} + c[${LENGTH}];
    for (let p = ${LIST}; p < end; ) {
      const f = fns[c[p]];
      const argc = c[p + 1];
      // always 15 arguments read straight from the list (the exports take at most 15; a WASM
      // export ignores extra ones): spreading a subarray allocated per call, and the garbage made
      // this thread stop for a scavenge every ~50 ms while the caller waited on it
      const q = p + 2;
      f(c[q], c[q + 1], c[q + 2], c[q + 3], c[q + 4], c[q + 5], c[q + 6], c[q + 7], c[q + 8], c[q + 9],
        c[q + 10], c[q + 11], c[q + 12], c[q + 13], c[q + 14]);
      p += 2 + argc;
    }
  } catch {
    ok = false;
  }
  Atomics.store(c, ${DONE}, ok ? seen : -seen);
  Atomics.notify(c, ${DONE});
}
`;

/**
 * Worker threads running kernel calls over the kernels' shared memory: the calling thread writes
 * a command list per worker, starts them, does its own share and waits. Workers are started once
 * and do not keep the process alive.
 */
export class KernelWorkers {
  private readonly controls: Int32Array[] = [];
  private readonly lengths: number[] = [];
  private readonly started: boolean[] = [];

  /**
   * @param module the compiled shared-memory kernels.
   * @param memory their shared memory.
   * @param count worker threads to start.
   */
  constructor(module: WebAssembly.Module, memory: WebAssembly.Memory, count: number) {
    const { controls } = spawnWorkers(
      WORKER_SOURCE,
      module,
      memory,
      count,
      SLOTS * 4,
      'kernel worker threads',
    );
    for (const control of controls) {
      this.controls.push(new Int32Array(control));
      this.lengths.push(0);
      this.started.push(false);
    }
  }

  /** Number of worker threads. */
  get count(): number {
    return this.controls.length;
  }

  /** Appends a call of export `fn` with `args` to worker `w`'s next list. */
  push(w: number, fn: number, args: readonly number[]): void {
    if (args.length > MAX_ARGS)
      throw new OptError(`kernel call with ${args.length} arguments (at most ${MAX_ARGS})`);
    const c = this.controls[w]!;
    let p = LIST + this.lengths[w]!;
    if (p + 2 + MAX_ARGS > SLOTS) throw new OptError('kernel worker command list overflow');
    c[p++] = fn;
    c[p++] = args.length;
    for (const a of args) c[p++] = a;
    this.lengths[w] = p - LIST;
  }

  /**
   * Wakes every worker ahead of {@link start} (while the caller still copies operands), so the
   * futex wake-up overlaps that copy; a woken worker spins briefly for its list.
   */
  wake(): void {
    for (const c of this.controls) Atomics.notify(c, SEQ);
  }

  /** Starts every worker that has a list. */
  start(): void {
    for (let w = 0; w < this.controls.length; w++) {
      if (this.lengths[w] === 0) continue;
      const c = this.controls[w]!;
      c[LENGTH] = this.lengths[w]!;
      post(c);
      this.started[w] = true;
    }
  }

  /** Waits for every started worker; throws if one failed or did not answer in time. */
  wait(): void {
    let failed = false;
    for (let w = 0; w < this.controls.length; w++) {
      if (!this.started[w]) continue;
      const c = this.controls[w]!;
      if (!awaitWorker(c, c[SEQ]!, `kernel worker ${w}`)) failed = true;
      this.started[w] = false;
      this.lengths[w] = 0;
    }
    for (let w = 0; w < this.controls.length; w++) this.lengths[w] = 0;
    if (failed) throw new OptError('a kernel worker thread failed (a WASM trap)');
  }
}
