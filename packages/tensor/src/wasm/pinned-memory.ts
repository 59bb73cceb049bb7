import { bytesPerElement, type DType, type TypedArray, viewOf } from '../dtype';
import { OptError } from '../errors';

/**
 * Pinned memory: tensor storage inside one shared `WebAssembly.Memory`, which the WASM kernels
 * address directly instead of copying operands in and out of their own memory. It plays the part of
 * PyTorch's page-locked host memory (`Tensor.pin_memory()`): memory a faster engine can reach
 * without staging. Blocks are carved out of the memory by a first-fit allocator and given back when
 * the typed array over them is garbage-collected. The memory grows as needed and never shrinks;
 * because it is shared, growing it does not detach the arrays already handed out.
 */

/** Bytes the kernels' own module may use at the bottom of the memory. */
const RESERVED = 65536;
/** Block alignment and granularity in bytes (a multiple of every dtype's size and of a v128). */
const ALIGN = 64;
const PAGE = 65536;
/** Pages: the initial size (what the compiled module declares) and the ceiling, 2 GiB. */
const INITIAL_PAGES = 16;
const MAXIMUM_PAGES = 32768;

interface Arena {
  memory: WebAssembly.Memory;
  /** Every buffer object `memory.buffer` has returned: a view is pinned when its buffer is one. */
  buffers: WeakSet<ArrayBufferLike>;
  /** Free blocks, sorted by start, never adjacent (they are merged). */
  freeStart: number[];
  freeSize: number[];
  /** Bytes below `top` have been handed out at least once; above it the memory is untouched. */
  top: number;
  registry: FinalizationRegistry<{ start: number; size: number }>;
}

let arena: Arena | null | undefined;

/** The arena, created on first use; `null` where the runtime has no shared WebAssembly memory. */
function arenaOrNull(): Arena | null {
  if (arena !== undefined) return arena;
  arena = null;
  if (typeof WebAssembly === 'undefined' || typeof SharedArrayBuffer === 'undefined') return arena;
  let memory: WebAssembly.Memory;
  try {
    memory = new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: MAXIMUM_PAGES, shared: true });
  } catch {
    return arena;
  }
  if (!(memory.buffer instanceof SharedArrayBuffer)) return arena;
  const a: Arena = {
    memory,
    buffers: new WeakSet([memory.buffer]),
    freeStart: [],
    freeSize: [],
    top: RESERVED,
    registry: new FinalizationRegistry(({ start, size }) => release(a, start, size)),
  };
  arena = a;
  return arena;
}

/** The arena, or an error naming `op` where the runtime has no shared WebAssembly memory. */
function theArena(op: string): Arena {
  const a = arenaOrNull();
  if (a === null) {
    throw new OptError(
      `${op}: pinned memory needs a shared WebAssembly.Memory, which this runtime lacks (in a browser the page must be cross-origin isolated for SharedArrayBuffer)`,
    );
  }
  return a;
}

/**
 * The shared memory pinned tensors live in, creating it on first use; `null` where the runtime has
 * no shared WebAssembly memory.
 *
 * @example
 * ```ts
 * const memory = pinnedMemory(); // hand it to a WASM module that imports env.memory
 * ```
 */
export function pinnedMemory(): WebAssembly.Memory | null {
  return arenaOrNull()?.memory ?? null;
}

/**
 * Whether `values` lies in pinned memory, so that a kernel over {@link pinnedMemory} can address
 * it at byte `values.byteOffset`.
 *
 * @example
 * ```ts
 * isPinnedArray(new Float32Array(4)); // false
 * ```
 */
export function isPinnedArray(values: ArrayBufferView): boolean {
  return arena?.buffers.has(values.buffer) === true;
}

/**
 * A zero-filled typed array of `length` elements of `dtype` in pinned memory (`op` names the
 * caller in errors). Its block returns to the allocator when the array is garbage-collected.
 *
 * @example
 * ```ts
 * const a = allocatePinned('pinMemory', 'float32', 1024);
 * ```
 */
export function allocatePinned(op: string, dtype: DType, length: number): TypedArray {
  const a = theArena(op);
  const size = Math.max(ALIGN, Math.ceil((length * bytesPerElement(dtype)) / ALIGN) * ALIGN);
  const start = take(a, op, size);
  const buffer = currentBuffer(a);
  new Uint8Array(buffer, start, size).fill(0);
  const view = viewOf(dtype, buffer, start, length);
  a.registry.register(view, { start, size });
  return view;
}

function currentBuffer(a: Arena): ArrayBufferLike {
  const buffer = a.memory.buffer;
  a.buffers.add(buffer);
  return buffer;
}

/** First fit among the free blocks, else the top of the memory (grown when needed). */
function take(a: Arena, op: string, size: number): number {
  for (let i = 0; i < a.freeStart.length; i++) {
    if (a.freeSize[i]! < size) continue;
    const start = a.freeStart[i]!;
    if (a.freeSize[i] === size) {
      a.freeStart.splice(i, 1);
      a.freeSize.splice(i, 1);
    } else {
      a.freeStart[i] = start + size;
      a.freeSize[i] = a.freeSize[i]! - size;
    }
    return start;
  }
  const start = a.top;
  const end = start + size;
  const have = a.memory.buffer.byteLength;
  if (end > have) {
    const pages = Math.ceil((end - have) / PAGE);
    if (have / PAGE + pages > MAXIMUM_PAGES) {
      throw new OptError(
        `${op}: pinned memory is limited to ${(MAXIMUM_PAGES * PAGE) / 2 ** 30} GiB; ${size} more bytes do not fit (${a.top - RESERVED} bytes handed out)`,
      );
    }
    a.memory.grow(pages);
  }
  a.top = end;
  return start;
}

/** Gives a block back, merging it with free neighbours (or lowering the top). */
function release(a: Arena, start: number, size: number): void {
  let i = 0;
  while (i < a.freeStart.length && a.freeStart[i]! < start) i++;
  let s = start;
  let n = size;
  if (i > 0 && a.freeStart[i - 1]! + a.freeSize[i - 1]! === s) {
    i--;
    s = a.freeStart[i]!;
    n += a.freeSize[i]!;
    a.freeStart.splice(i, 1);
    a.freeSize.splice(i, 1);
  }
  if (i < a.freeStart.length && s + n === a.freeStart[i]) {
    n += a.freeSize[i]!;
    a.freeStart.splice(i, 1);
    a.freeSize.splice(i, 1);
  }
  if (s + n === a.top) {
    a.top = s;
    return;
  }
  a.freeStart.splice(i, 0, s);
  a.freeSize.splice(i, 0, n);
}

/**
 * What the allocator holds, for tests and diagnostics: bytes in use, bytes free below the top, and
 * the memory's size.
 *
 * @example
 * ```ts
 * pinnedStats(); // { used: 0, free: 0, capacity: 1048576 } before any pinning
 * ```
 */
export function pinnedStats(): { used: number; free: number; capacity: number } {
  if (!arena) return { used: 0, free: 0, capacity: 0 };
  let free = 0;
  for (const n of arena.freeSize) free += n;
  return { used: arena.top - RESERVED - free, free, capacity: arena.memory.buffer.byteLength };
}
