import { OptError } from '../errors';

type WorkerThreads = typeof import('node:worker_threads');
type Os = typeof import('node:os');

interface NodeProcess {
  getBuiltinModule?: (id: string) => unknown;
}

/** Node's `worker_threads` and `os`, where the runtime has them (Node ≥ 20.16), else `null`. */
export function nodeThreading(): { workerThreads: WorkerThreads; os: Os } | null {
  const proc = (globalThis as { process?: NodeProcess }).process;
  if (typeof proc?.getBuiltinModule !== 'function' || typeof SharedArrayBuffer === 'undefined') return null;
  const workerThreads = proc.getBuiltinModule('node:worker_threads') as WorkerThreads | undefined;
  const os = proc.getBuiltinModule('node:os') as Os | undefined;
  return workerThreads && os ? { workerThreads, os } : null;
}

let threads: number | undefined;

/**
 * How many threads the WASM kernels (matrix products, convolutions, optimizer updates over pinned
 * memory) split their work over, like `torch.get_num_threads()`. Defaults to the machine's cores
 * (at most 8) on Node ≥ 20.16, and to 1 where there are no worker threads (browsers, older Node).
 *
 * @example
 * ```ts
 * getNumThreads(); // 2 on a two-core machine
 * ```
 */
export function getNumThreads(): number {
  if (threads === undefined) {
    const node = nodeThreading();
    threads = node ? Math.max(1, Math.min(8, node.os.availableParallelism())) : 1;
  }
  return threads;
}

/**
 * Sets how many threads the WASM kernels use, like `torch.set_num_threads(n)`: the calling thread
 * plus `n − 1` worker threads, started on first use, sharing the kernels' memory. Results do not
 * depend on it, except the weight gradient of a convolution, whose per-image terms are summed per
 * thread first (a different order of float additions).
 *
 * @example
 * ```ts
 * setNumThreads(1); // everything on the calling thread
 * ```
 */
export function setNumThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1) {
    throw new OptError(`setNumThreads: n must be an integer ≥ 1; got ${n}`);
  }
  if (n > 1 && nodeThreading() === null) {
    throw new OptError(
      `setNumThreads: ${n} threads need worker threads with shared memory (Node ≥ 20.16); this runtime has none`,
    );
  }
  threads = n;
}
