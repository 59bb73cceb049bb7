import { OptError } from '../errors';
import { awaitWorker, DONE, post, SEQ, spawnWorkers } from './worker-sync';

// Layout of a worker's control block after the protocol's SEQ and DONE slots (worker-sync.ts):
// Int32 slots 2 and 3 hold the kernel (0 SGD, 1 Adam) and the list's length; Float64 slots 2 … 11
// (bytes 16 … 95) the kernel's scalar arguments; from Int32 slot 24, per tensor, the byte addresses
// of its five operands and its length.
const KIND = 2;
const COUNT = 3;
const SCALARS = 2;
const LIST = 24;
const PER_TENSOR = 6;
const BYTES = 1 << 16;
/** Tensors one list holds; a batch with more leaves the rest to the calling thread. */
export const UPDATE_LIST_CAPACITY = Math.floor((BYTES / 4 - LIST) / PER_TENSOR);

/** The kernel a list runs. */
export const SGD_KIND = 0;
export const ADAM_KIND = 1;

// The worker: instantiates the update kernels over pinned memory, then runs each posted list.
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, control } = workerData;
const x = new WebAssembly.Instance(module, { env: { memory, abort() {} } }).exports;
const c = new Int32Array(control);
const f = new Float64Array(control);
let seen = 0;
for (;;) {
  Atomics.wait(c, ${SEQ}, seen);
  if (Atomics.load(c, ${SEQ}) === seen) continue;
  seen = Atomics.load(c, ${SEQ});
  let ok = true;
  try {
    const end = ${LIST} + ${PER_TENSOR} * c[${COUNT}];
    const s = ${SCALARS};
    if (c[${KIND}] === ${SGD_KIND}) {
      for (let p = ${LIST}; p < end; p += ${PER_TENSOR})
        x.sgd(c[p], c[p + 1], c[p + 2], c[p + 5], f[s], f[s + 1], f[s + 2], f[s + 3], f[s + 4]);
    } else {
      for (let p = ${LIST}; p < end; p += ${PER_TENSOR})
        x.adam(c[p], c[p + 1], c[p + 2], c[p + 3], c[p + 4], c[p + 5], f[s], f[s + 1], f[s + 2],
          f[s + 3], f[s + 4], f[s + 5], f[s + 6], f[s + 7], f[s + 8], f[s + 9]);
    }
  } catch {
    ok = false;
  }
  Atomics.store(c, ${DONE}, ok ? seen : -seen);
  Atomics.notify(c, ${DONE});
}
`;

/**
 * Worker threads that run fused optimizer updates in place over pinned memory: the calling thread
 * gives each worker a share of every tensor (a list of operand addresses and lengths), starts them,
 * updates its own share and waits. Workers are started once and do not keep the process alive.
 *
 * @example
 * ```ts
 * const workers = new UpdateWorkers(sharedUpdateModule, pinnedMemory()!, 1);
 * workers.add(0, [x, g, b, 0, 0], 1024);
 * workers.start(SGD_KIND, [-0.1, 0.9, 1, 0, 4]);
 * workers.wait();
 * ```
 */
export class UpdateWorkers {
  private readonly ints: Int32Array[] = [];
  private readonly floats: Float64Array[] = [];
  private readonly counts: number[] = [];
  private readonly threads: { terminate(): unknown }[];

  /**
   * @param module the update kernels compiled for pinned memory.
   * @param memory pinned memory.
   * @param count worker threads to start.
   */
  constructor(module: WebAssembly.Module, memory: WebAssembly.Memory, count: number) {
    const { threads, controls } = spawnWorkers(
      WORKER_SOURCE,
      module,
      memory,
      count,
      BYTES,
      'update worker threads',
    );
    this.threads = threads;
    for (const control of controls) {
      this.ints.push(new Int32Array(control));
      this.floats.push(new Float64Array(control));
      this.counts.push(0);
    }
  }

  /** Stops the worker threads. */
  close(): void {
    for (const t of this.threads) void t.terminate();
  }

  /** Number of worker threads. */
  get count(): number {
    return this.ints.length;
  }

  /** Whether worker `w`'s list has room for another tensor. */
  hasRoom(w: number): boolean {
    return this.counts[w]! < UPDATE_LIST_CAPACITY;
  }

  /** Appends a tensor of `n` elements, its operands at byte addresses `ptr`, to worker `w`'s list. */
  add(w: number, ptr: readonly number[], n: number): void {
    const c = this.ints[w]!;
    const p = LIST + PER_TENSOR * this.counts[w]!++;
    for (let k = 0; k < 5; k++) c[p + k] = ptr[k]!;
    c[p + 5] = n;
  }

  /** Starts every worker whose list is not empty on kernel `kind` with `scalars`. */
  start(kind: number, scalars: readonly number[]): void {
    for (let w = 0; w < this.ints.length; w++) {
      if (this.counts[w] === 0) continue;
      const c = this.ints[w]!;
      const f = this.floats[w]!;
      for (let i = 0; i < scalars.length; i++) f[SCALARS + i] = scalars[i]!;
      c[KIND] = kind;
      c[COUNT] = this.counts[w]!;
      post(c);
    }
  }

  /** Waits for every started worker and empties the lists; throws if one failed or hung. */
  wait(): void {
    let failed = false;
    for (let w = 0; w < this.ints.length; w++) {
      if (this.counts[w] === 0) continue;
      this.counts[w] = 0;
      const c = this.ints[w]!;
      if (!awaitWorker(c, c[SEQ]!, `optimizer update worker ${w}`)) failed = true;
    }
    if (failed) throw new OptError('an optimizer update worker thread failed (a WASM trap)');
  }
}
