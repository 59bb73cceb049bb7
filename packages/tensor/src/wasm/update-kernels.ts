import { getNumThreads, nodeThreading } from '../backend/threads';
import { allocatePinned, isPinnedArray, pinnedMemory } from './pinned-memory';
import { updateWasmBase64 } from './update-binary';
import { sharedUpdateWasmBase64 } from './update-shared-binary';
import { ADAM_KIND, SGD_KIND, UpdateWorkers } from './update-workers';
import { decodeBase64, instantiateOwnMemory } from './wasm-module';

/**
 * The tensors one fused optimizer update runs over, as flat float32 storages: for tensor `t`,
 * operand `k` is `arrays[k][t][offsets[k][t] + i]` for `i < lengths[t]`. Operand 0 is the
 * parameter, 1 its gradient, 2… the optimizer's state, in the order the kernel documents. Reused
 * from step to step: `clear()` keeps the slots, so a steady-state step allocates nothing here.
 *
 * @example
 * ```ts
 * const batch = new UpdateBatch();
 * batch.add(3, x, 0, g, 0, buf, 0);
 * loadUpdateKernels()?.sgd(batch, { lr: 0.1, momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: false, maximize: false, first: false });
 * ```
 */
export class UpdateBatch {
  /** Tensors added since the last {@link UpdateBatch.clear}. */
  size = 0;
  /** Per operand, per tensor: the storage. */
  readonly arrays: Float32Array[][] = [[], [], [], [], []];
  /** Per operand, per tensor: where the tensor starts in its storage. */
  readonly offsets: number[][] = [[], [], [], [], []];
  /** Per tensor: its number of elements. */
  readonly lengths: number[] = [];

  /** Forgets the tensors (the slots stay allocated). */
  clear(): void {
    this.size = 0;
  }

  /**
   * Adds one tensor of `n` elements: its parameter `x` from `xo`, gradient `g` from `go`, and up to
   * three state storages (omit the ones the kernel does not use).
   */
  add(
    n: number,
    x: Float32Array,
    xo: number,
    g: Float32Array,
    go: number,
    s0?: Float32Array,
    s0o = 0,
    s1?: Float32Array,
    s1o = 0,
    s2?: Float32Array,
    s2o = 0,
  ): void {
    const t = this.size++;
    this.lengths[t] = n;
    this.put(0, t, x, xo);
    this.put(1, t, g, go);
    if (s0) this.put(2, t, s0, s0o);
    if (s1) this.put(3, t, s1, s1o);
    if (s2) this.put(4, t, s2, s2o);
  }

  private put(k: number, t: number, a: Float32Array, o: number): void {
    this.arrays[k]![t] = a;
    this.offsets[k]![t] = o;
  }
}

/**
 * Hyperparameters of {@link UpdateKernels.sgd}, as in `torch.optim.SGD`; `first` marks the step
 * that creates the momentum buffer (it becomes a copy of the gradient).
 *
 * @example
 * ```ts
 * const h: SgdUpdate = { lr: 0.1, momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: false, maximize: false, first: true };
 * ```
 */
export interface SgdUpdate {
  /** Learning rate γ. */
  lr: number;
  /** Momentum μ (0: no buffer; operand 2 is ignored). */
  momentum: number;
  /** Dampening τ. */
  dampening: number;
  /** L2 penalty λ added to the gradient. */
  weightDecay: number;
  /** Nesterov momentum. */
  nesterov: boolean;
  /** Ascend instead of descend. */
  maximize: boolean;
  /** The buffer is created on this step: b ← d instead of μb + (1 − τ)d. */
  first: boolean;
}

/**
 * Hyperparameters of {@link UpdateKernels.adam}, as in `torch.optim.Adam`/`AdamW`; `step` is the
 * step count t after this step's increment (the bias corrections use it).
 *
 * @example
 * ```ts
 * const h: AdamUpdate = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false, amsgrad: false, maximize: false, step: 1 };
 * ```
 */
export interface AdamUpdate {
  /** Learning rate γ. */
  lr: number;
  /** β₁. */
  beta1: number;
  /** β₂. */
  beta2: number;
  /** ε. */
  eps: number;
  /** Weight decay λ: L2 on the gradient, or decoupled (AdamW). */
  weightDecay: number;
  /** Decoupled weight decay: x ← x(1 − γλ). */
  decoupled: boolean;
  /** AMSGrad (operand 4 holds the running maximum of v). */
  amsgrad: boolean;
  /** Ascend instead of descend. */
  maximize: boolean;
  /** Step count t, already incremented. */
  step: number;
}

/**
 * Fused optimizer updates in WebAssembly SIMD over a whole {@link UpdateBatch}. A tensor whose
 * parameter and state lie in pinned memory ({@link Tensor.pinMemory}) is updated in place there;
 * its gradient, which is only read, may be pinned or not (an ordinary one is copied in chunks into
 * pinned scratch memory, which costs one read of it). When the gradients are pinned too and an
 * update reaches 131,072 elements, each tensor is split between the calling thread and
 * `getNumThreads() − 1` update workers. The others
 * are streamed through the module's own memory in chunks of 8,192 floats per operand; those copies
 * in and out, rather than main memory, bound their speed (it is the same whether the tensors fit in
 * cache or not). Every element goes through the same float32 operations in PyTorch's order.
 */
export interface UpdateKernels {
  /**
   * `torch.optim.SGD`'s update; operands: parameter, gradient, momentum buffer (with momentum).
   * The parameter and buffer are written.
   */
  sgd(batch: UpdateBatch, h: SgdUpdate): void;
  /**
   * `torch.optim.Adam`'s update; operands: parameter, gradient, exp_avg, exp_avg_sq and, with
   * AMSGrad, max_exp_avg_sq. All but the gradient are written.
   */
  adam(batch: UpdateBatch, h: AdamUpdate): void;
}

interface Exports {
  memory: WebAssembly.Memory;
  sgd(x: number, g: number, b: number, n: number, ...scalars: number[]): void;
  adam(x: number, g: number, m: number, v: number, vmax: number, n: number, ...scalars: number[]): void;
}

/** Floats per operand in one chunk (a multiple of 4: the kernels have no scalar tail). */
const CHUNK = 8192;
const OPERANDS = 5;
/** Floats of an ordinary gradient copied into pinned scratch memory at a time (measured best of 4,096–131,072). */
const GRAD_CHUNK = 32768;
/**
 * Elements updated in place below which an update stays on the calling thread: waking a worker
 * costs tens of microseconds, the time of about 100,000 elements.
 */
const THREAD_MIN = 1 << 17;
/** A thread's share of a tensor is a multiple of this many elements (whole 64-byte lines). */
const SHARE_ALIGN = 16;

let cached: UpdateKernels | null | undefined;

/**
 * The fused update kernels, or `null` where the runtime has no WebAssembly SIMD. Compiled once, on
 * first call.
 *
 * @example
 * ```ts
 * const k = loadUpdateKernels();
 * if (k) k.sgd(batch, { lr: 0.1, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false, first: false });
 * ```
 */
export function loadUpdateKernels(): UpdateKernels | null {
  if (cached !== undefined) return cached;
  const exports = instantiateOwnMemory<Exports>(updateWasmBase64);
  cached = exports === null ? null : makeUpdateKernels(exports);
  return cached;
}

let pinnedModule: WebAssembly.Module | undefined;
let pinnedExports: Exports | undefined;
let workers: UpdateWorkers | undefined;

/** The kernels compiled to import pinned memory. */
function sharedModule(): WebAssembly.Module {
  pinnedModule ??= new WebAssembly.Module(decodeBase64(sharedUpdateWasmBase64));
  return pinnedModule;
}

/** Pinned memory, which exists once anything is pinned. */
function thePinnedMemory(): WebAssembly.Memory {
  const memory = pinnedMemory();
  if (memory === null) throw new Error('unreachable: a pinned operand without pinned memory');
  return memory;
}

/** The kernels instantiated over pinned memory. */
function overPinned(): Exports {
  pinnedExports ??= new WebAssembly.Instance(sharedModule(), {
    env: { memory: thePinnedMemory(), abort: () => {} },
  }).exports as unknown as Exports;
  return pinnedExports;
}

/**
 * Worker threads to share an in-place update of `total` elements with, or `null` to run it on the
 * calling thread alone: with one thread ({@link setNumThreads}), without worker threads (browsers),
 * or below {@link THREAD_MIN} elements.
 */
function updateWorkers(total: number): UpdateWorkers | null {
  const threads = getNumThreads();
  if (threads < 2 || total < THREAD_MIN || nodeThreading() === null) return null;
  if (workers === undefined || workers.count < threads - 1) {
    workers?.close();
    workers = new UpdateWorkers(sharedModule(), thePinnedMemory(), threads - 1);
  }
  return workers;
}

function makeUpdateKernels(x: Exports): UpdateKernels {
  const bytesNeeded = OPERANDS * CHUNK * 4;
  if (x.memory.buffer.byteLength < bytesNeeded)
    x.memory.grow(Math.ceil((bytesNeeded - x.memory.buffer.byteLength) / 65536));
  // the memory never grows again, so this view stays attached
  const heap = new Float32Array(x.memory.buffer, 0, OPERANDS * CHUNK);
  // the segments (tensor, position in it, length, position in the chunk) staged in the current chunk
  const segTensor = new Int32Array(CHUNK);
  const segPos = new Int32Array(CHUNK);
  const segLen = new Int32Array(CHUNK);
  const segAt = new Int32Array(CHUNK);
  const at = (k: number) => k * CHUNK * 4;
  const staged = [at(0), at(1), at(2), at(3), at(4)];
  // per tensor of the batch: where its staged part starts (past the part updated in place)
  let from = new Int32Array(64);
  // byte addresses of the operands of one tensor updated in place
  const ptr = [0, 0, 0, 0, 0];

  // the gradient chunk of a tensor updated in place whose gradient is not pinned (allocated once)
  let gradChunk: Float32Array | null = null;
  // byte addresses of the current tensor's operands in pinned memory (the gradient's unused if not pinned)
  const base = [0, 0, 0, 0, 0];
  // the tensors of the current update with every operand pinned, and the calling thread's share of each
  let direct = new Int32Array(64);
  let mine = new Int32Array(64);

  /** Sets `base` to the byte addresses of tensor `t`'s operands `0 … operands − 1` (0 past them). */
  function addresses(batch: UpdateBatch, operands: number, t: number): void {
    for (let k = 0; k < OPERANDS; k++) {
      base[k] = k < operands ? batch.arrays[k]![t]!.byteOffset + 4 * batch.offsets[k]![t]! : 0;
    }
  }

  /** Sets `ptr` to `base` advanced by `start` elements. */
  function advance(operands: number, start: number): void {
    for (let k = 0; k < OPERANDS; k++) ptr[k] = k < operands ? base[k]! + 4 * start : 0;
  }

  /**
   * Updates in place, through `run(pinned kernels, n)` over the addresses in `ptr`, the first
   * multiple of 4 elements of every tensor whose written operands (the parameter and the state,
   * `0` and `2 … operands − 1`) are all pinned, and records in `from` where the rest (a tail of up
   * to 3, or the whole tensor) starts. A gradient that is not pinned is only read, so it is copied
   * chunk by chunk into a pinned scratch array rather than forcing the whole tensor to be staged.
   * Tensors whose gradient is pinned too are split between the calling thread and the update
   * workers (kernel `kind` with `scalars`, the arguments after the length) when they are large
   * enough; every element goes through the same operations whichever thread updates it.
   */
  function inPlace(
    batch: UpdateBatch,
    operands: number,
    kind: number,
    scalars: readonly number[],
    run: (k: Exports, n: number) => void,
  ): void {
    if (from.length < batch.size) {
      from = new Int32Array(batch.size * 2);
      direct = new Int32Array(batch.size * 2);
      mine = new Int32Array(batch.size * 2);
    }
    let directCount = 0;
    let total = 0;
    for (let t = 0; t < batch.size; t++) {
      from[t] = 0;
      let pinned = true;
      for (let k = 0; k < operands && pinned; k++) pinned = k === 1 || isPinnedArray(batch.arrays[k]![t]!);
      if (!pinned) continue;
      const n = batch.lengths[t]! & ~3;
      if (n === 0) continue;
      from[t] = n;
      if (isPinnedArray(batch.arrays[1]![t]!)) {
        direct[directCount++] = t;
        total += n;
      }
    }
    // the workers' shares first, so that they run while this thread does its own
    const pool = directCount > 0 ? updateWorkers(total) : null;
    const parts = pool === null ? 1 : Math.min(getNumThreads(), pool.count + 1);
    for (let i = 0; i < directCount; i++) {
      const t = direct[i]!;
      const n = from[t]!;
      const share = Math.ceil(n / parts / SHARE_ALIGN) * SHARE_ALIGN;
      mine[i] = n;
      if (pool === null || n < parts * SHARE_ALIGN) continue;
      let room = true;
      for (let w = 0; w + 1 < parts; w++) room &&= pool.hasRoom(w);
      if (!room) continue;
      addresses(batch, operands, t);
      for (let w = 0; w + 1 < parts; w++) {
        const start = share * (w + 1);
        if (start >= n) break;
        advance(operands, start);
        pool.add(w, ptr, Math.min(share, n - start));
      }
      mine[i] = share;
    }
    pool?.start(kind, scalars);
    try {
      for (let i = 0; i < directCount; i++) {
        addresses(batch, operands, direct[i]!);
        advance(operands, 0);
        run(overPinned(), mine[i]!);
      }
      for (let t = 0; t < batch.size; t++) {
        const n = from[t]!;
        const g = batch.arrays[1]![t]!;
        if (n === 0 || isPinnedArray(g)) continue;
        addresses(batch, operands, t);
        gradChunk ??= allocatePinned('optimizer update', 'float32', GRAD_CHUNK) as Float32Array;
        const go = batch.offsets[1]![t]!;
        for (let s = 0; s < n; s += GRAD_CHUNK) {
          // n and GRAD_CHUNK are multiples of 4, so every chunk is too
          const len = Math.min(GRAD_CHUNK, n - s);
          gradChunk.set(g.subarray(go + s, go + s + len));
          advance(operands, s);
          ptr[1] = gradChunk.byteOffset;
          run(overPinned(), len);
        }
      }
    } finally {
      pool?.wait();
    }
  }

  /**
   * Streams `batch`, each tensor from its `from` position, through the staging area: operands
   * `0 … operands − 1` are copied in, `run(n)` updates the first `n` floats of each, and the
   * operands from 0 whose bit is set in `written` are copied back.
   */
  function stream(batch: UpdateBatch, operands: number, written: number, run: (n: number) => void): void {
    let fill = 0;
    let segs = 0;
    const flush = () => {
      run((fill + 3) & ~3);
      for (let s = 0; s < segs; s++) {
        const t = segTensor[s]!;
        const from = segAt[s]!;
        const len = segLen[s]!;
        for (let k = 0; k < operands; k++) {
          if ((written & (1 << k)) === 0) continue;
          const src = k * CHUNK + from;
          batch.arrays[k]![t]!.set(heap.subarray(src, src + len), batch.offsets[k]![t]! + segPos[s]!);
        }
      }
      fill = 0;
      segs = 0;
    };
    for (let t = 0; t < batch.size; t++) {
      const len = batch.lengths[t]!;
      let pos = from[t]!;
      while (pos < len) {
        const take = Math.min(len - pos, CHUNK - fill);
        for (let k = 0; k < operands; k++) {
          const o = batch.offsets[k]![t]! + pos;
          heap.set(batch.arrays[k]![t]!.subarray(o, o + take), k * CHUNK + fill);
        }
        segTensor[segs] = t;
        segPos[segs] = pos;
        segLen[segs] = take;
        segAt[segs] = fill;
        segs++;
        fill += take;
        pos += take;
        if (fill === CHUNK) flush();
      }
    }
    if (fill > 0) flush();
  }

  return {
    sgd(batch, h) {
      const momentum = h.momentum !== 0;
      const flags =
        (h.maximize ? 1 : 0) |
        (h.weightDecay !== 0 ? 2 : 0) |
        (momentum ? 4 : 0) |
        (h.first ? 8 : 0) |
        (h.nesterov ? 16 : 0);
      const operands = momentum ? 3 : 2;
      const scalars = [-h.lr, h.momentum, 1 - h.dampening, h.weightDecay, flags];
      const sgd = (k: Exports, n: number, a: readonly number[]) => k.sgd(a[0]!, a[1]!, a[2]!, n, ...scalars);
      inPlace(batch, operands, SGD_KIND, scalars, (k, n) => sgd(k, n, ptr));
      stream(batch, operands, momentum ? 0b101 : 0b1, (n) => sgd(x, n, staged));
    },
    adam(batch, h) {
      const decoupled = h.decoupled && h.weightDecay !== 0;
      const oneMinusBeta1 = 1 - h.beta1;
      const flags =
        (h.maximize ? 1 : 0) |
        (!h.decoupled && h.weightDecay !== 0 ? 2 : 0) |
        (decoupled ? 4 : 0) |
        (h.amsgrad ? 8 : 0) |
        (Math.abs(oneMinusBeta1) >= 0.5 ? 16 : 0);
      const scalars = [
        oneMinusBeta1,
        h.beta1,
        h.beta2,
        1 - h.beta2,
        h.weightDecay,
        1 - h.lr * h.weightDecay,
        -h.lr / (1 - h.beta1 ** h.step),
        Math.sqrt(1 - h.beta2 ** h.step),
        h.eps,
        flags,
      ];
      const operands = h.amsgrad ? 5 : 4;
      const adam = (k: Exports, n: number, a: readonly number[]) =>
        k.adam(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, n, ...scalars);
      inPlace(batch, operands, ADAM_KIND, scalars, (k, n) => adam(k, n, ptr));
      stream(batch, operands, h.amsgrad ? 0b11101 : 0b1101, (n) => adam(x, n, staged));
    },
  };
}
