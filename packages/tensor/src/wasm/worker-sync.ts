import { nodeThreading } from '../backend/threads';
import { OptError } from '../errors';

// The protocol shared by the kernel workers and the update workers. Each worker has a control
// block (a SharedArrayBuffer) whose first Int32 slots are the sequence number of the last posted
// list and that of the last finished one (negated when it threw); the rest is the list, laid out
// by each kind of worker.
export const SEQ = 0;
export const DONE = 1;
/** How long the calling thread waits for a worker before giving up with an error. */
export const TIMEOUT_MS = 60_000;
/**
 * How long the calling thread spins for a worker to finish before sleeping, and a woken kernel
 * worker for its list (ms). Waking a thread from a futex wait takes tens of microseconds here, a
 * sizeable share of a small kernel.
 */
export const SPIN_MS = 0.5;

/**
 * Starts `count` worker threads running `source` (evaluated as CommonJS), each given
 * `{ module, memory, control }` with its own control block of `bytes`. The workers do not keep the
 * process alive. `what` names them in the error where the runtime has no worker threads.
 *
 * @example
 * ```ts
 * const { threads, controls } = spawnWorkers(source, module, memory, 1, 65536, 'update worker threads');
 * ```
 */
export function spawnWorkers(
  source: string,
  module: WebAssembly.Module,
  memory: WebAssembly.Memory,
  count: number,
  bytes: number,
  what: string,
): { threads: { terminate(): unknown }[]; controls: SharedArrayBuffer[] } {
  const node = nodeThreading();
  if (node === null) throw new OptError(`${what} need Node ≥ 20.16 (worker_threads)`);
  const threads: { terminate(): unknown }[] = [];
  const controls: SharedArrayBuffer[] = [];
  for (let w = 0; w < count; w++) {
    const control = new SharedArrayBuffer(bytes);
    const worker = new node.workerThreads.Worker(source, {
      eval: true,
      workerData: { module, memory, control },
    });
    worker.unref();
    threads.push(worker);
    controls.push(control);
  }
  return { threads, controls };
}

/**
 * Posts the list written in control block `c`: bumps its sequence number and wakes its worker.
 *
 * @example
 * ```ts
 * post(control); // then awaitWorker(control, control[SEQ]!, 'worker 0')
 * ```
 */
export function post(c: Int32Array): void {
  Atomics.store(c, SEQ, c[SEQ]! + 1);
  Atomics.notify(c, SEQ);
}

/**
 * Waits until the worker owning control block `c` finished list `seq` (slot `DONE` holds `seq`) or
 * threw (`−seq`). Spins for {@link SPIN_MS} first (the worker is usually about done), then sleeps on
 * the slot. Returns whether the list succeeded; throws, naming `who`, when {@link TIMEOUT_MS} pass
 * without an answer.
 *
 * @example
 * ```ts
 * if (!awaitWorker(control, control[SEQ]!, 'kernel worker 0')) throw new Error('trap');
 * ```
 */
export function awaitWorker(c: Int32Array, seq: number, who: string): boolean {
  const until = performance.now() + SPIN_MS;
  while (Math.abs(Atomics.load(c, DONE)) !== seq && performance.now() < until);
  for (;;) {
    const now = Atomics.load(c, DONE);
    if (now === seq) return true;
    if (now === -seq) return false;
    if (Atomics.wait(c, DONE, now, TIMEOUT_MS) === 'timed-out' && Atomics.load(c, DONE) === now) {
      throw new OptError(`${who} did not finish within ${TIMEOUT_MS / 1000} s`);
    }
  }
}
