import { loadUpdateKernels, type Tensor, type UpdateKernels, zeros } from '@opt/tensor';
import { OptimizerError } from './errors';
import type { ParamLike, ParamState } from './types';

/** A float storage an update loop runs over. */
export type Floats = Float32Array | Float64Array;

/**
 * The flat storage of a parameter and its gradient, for update loops over
 * typed arrays: `x[xo + i]` and `g[go + i]` for `i < n`. The parameter must
 * be a contiguous float tensor (it is updated in place); a strided gradient
 * is read from a contiguous copy.
 */
export interface ParamArrays {
  x: Floats;
  xo: number;
  g: Floats;
  go: number;
  n: number;
}

// One reused record: update loops destructure it at once, so a step allocates nothing here.
const scratch: ParamArrays = { x: new Float32Array(0), xo: 0, g: new Float32Array(0), go: 0, n: 0 };

/** Throws naming `optimizer` unless the parameter data `d` is contiguous (its loops run flat). */
export function checkContiguousParam(optimizer: string, d: Tensor): void {
  if (!d.isContiguous())
    throw new OptimizerError(
      `${optimizer}: parameter data must be contiguous (shape [${d.shape.join(', ')}])`,
    );
}

/**
 * Checks `p` and returns its storage; `optimizer` names the caller in errors.
 * The returned record is reused by the next call: destructure it at once.
 */
export function arraysOf(
  optimizer: string,
  p: ParamLike,
  sparse: 'reject' | 'densify' = 'reject',
): ParamArrays {
  const d = p.data;
  let g = p.grad as Tensor;
  // optimizers whose dense update equals PyTorch's sparse one (SGD, Adagrad: untouched entries
  // see a zero gradient) take a sparse gradient as its dense equivalent; this allocates
  if (g.isSparse && sparse === 'densify') g = (g as unknown as { toDense(): Tensor }).toDense();
  if (g.isSparse) {
    throw new OptimizerError(
      `${optimizer} does not support sparse gradients, please consider SparseAdam instead`,
    );
  }
  if (d.dtype !== 'float32' && d.dtype !== 'float64') {
    throw new OptimizerError(`${optimizer}: parameters must be float32 or float64; got ${d.dtype}`);
  }
  checkContiguousParam(optimizer, d);
  if (!sameShape(g.shape, d.shape)) {
    throw new OptimizerError(
      `${optimizer}: gradient shape [${g.shape.join(', ')}] does not match parameter shape [${d.shape.join(', ')}]`,
    );
  }
  if (g.dtype !== d.dtype)
    throw new OptimizerError(
      `${optimizer}: gradient dtype ${g.dtype} does not match parameter dtype ${d.dtype}`,
    );
  const gc = g.contiguous();
  scratch.x = d.values as Floats;
  scratch.xo = d.offset;
  scratch.g = gc.values as Floats;
  scratch.go = gc.offset;
  scratch.n = d.numel;
  return scratch;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The elements of a per-element state tensor as an array indexed from 0 (`s[i]` for `i < n`), for
 * update loops that write them in place: its storage when the state starts there (the states the
 * optimizers create do, so this allocates nothing), else the window of the storage it views. A
 * state put into `optimizer.state` by hand may be such a view; a strided one cannot be updated
 * through a flat loop and is refused.
 */
export function arr(t: Tensor): Floats {
  if (!t.isContiguous())
    throw new OptimizerError(
      `optimizer state tensors must be contiguous; got one of shape [${t.shape.join(', ')}] with strides [${t.strides.join(', ')}]`,
    );
  const v = t.values as Floats;
  return t.offset === 0 ? v : v.subarray(t.offset, t.offset + t.numel);
}

/**
 * A state tensor of zeros shaped like the parameter, pinned when the parameter is (so that the
 * fused kernels update parameter and state in place, without staging copies).
 */
export function zerosLikeParam(p: ParamLike): Tensor {
  return zeros([...p.data.shape], { dtype: p.data.dtype, pinMemory: p.data.isPinned() });
}

/** Increments the 0-d float32 `step` tensor of a state (PyTorch 2.x keeps it as a tensor) and returns the new count. */
export function incrementStep(s: ParamState): number {
  let t = s.step as Tensor | undefined;
  if (t === undefined) {
    t = zeros([]);
    s.step = t;
  }
  const v = t.values as Floats;
  v[t.offset] = v[t.offset]! + 1;
  return v[t.offset]!;
}

/**
 * The gradient an update loop uses, `d + λθ` (L2 weight decay), with PyTorch's rule that the term is
 * added only for λ ≠ 0: 0·θ would turn an infinite θ into NaN, and a −0 gradient into +0.
 */
export function withWeightDecay(d: number, wd: number, theta: number): number {
  return wd === 0 ? d : d + wd * theta;
}

/** Marks the parameter as modified in place (autograd's version counter). */
export function touched(p: ParamLike): void {
  p.data.bumpVersion();
}

/**
 * The fused WASM SIMD update kernels a group's float32 parameters go through, or `null` for the
 * per-parameter TypeScript loops. `foreach: false` (without `fused: true`) asks for the loops;
 * `foreach: true` or `fused: true` insist on the kernels and throw where the runtime lacks
 * WebAssembly SIMD; `null` (the default) takes the kernels when there are any.
 */
export function fusedKernels(
  optimizer: string,
  group: { foreach: boolean | null; fused?: boolean | null },
): UpdateKernels | null {
  if (group.foreach === false && group.fused !== true) return null;
  const k = loadUpdateKernels();
  if (k === null && (group.foreach === true || group.fused === true)) {
    const option = group.fused === true ? 'fused' : 'foreach';
    throw new OptimizerError(
      `${optimizer}: ${option}=true needs WebAssembly SIMD, which this runtime lacks; pass ${option}: false (or leave it null)`,
    );
  }
  return k;
}
