import { getBackend } from '../backend/registry';
import { allocate, type TypedArray } from '../dtype';
import { DTypeError, ShapeError } from '../errors';
import { formatShape } from '../shape';
import { Tensor, where } from '../tensor';

/**
 * The gradient of ReLU-like thresholds (PyTorch's `threshold_backward`):
 * 0 where `output ≤ threshold`, else `gradOutput` (so a NaN output passes its
 * gradient, as in PyTorch), in one pass over contiguous storage.
 *
 * @example
 * ```ts
 * thresholdBackward(tensor([1, 2, 3]), tensor([0, 5, 0])).toArray(); // [0, 2, 0]
 * ```
 */
export function thresholdBackward(gradOutput: Tensor, output: Tensor, threshold = 0): Tensor {
  if (gradOutput.dtype !== output.dtype) {
    throw new DTypeError(
      `thresholdBackward: gradOutput is ${gradOutput.dtype} but output is ${output.dtype}`,
    );
  }
  if (
    gradOutput.shape.length !== output.shape.length ||
    gradOutput.shape.some((d, i) => d !== output.shape[i])
  ) {
    throw new ShapeError(
      `thresholdBackward: gradOutput ${formatShape(gradOutput.shape)} and output ${formatShape(output.shape)} differ`,
    );
  }
  if (!gradOutput.isContiguous() || !output.isContiguous()) return where(output.le(threshold), 0, gradOutput);
  const out = allocate(output.dtype, output.numel);
  thresholdInto(out, 0, gradOutput, output, threshold);
  return new Tensor(out, [...output.shape]);
}

/**
 * Writes 0 where `output ≤ threshold`, else `gradOutput`, into `out` from `outOffset` (both
 * tensors contiguous, same shape and dtype; `out` may be `gradOutput`'s own storage).
 */
function thresholdInto(
  out: TypedArray,
  outOffset: number,
  gradOutput: Tensor,
  output: Tensor,
  threshold: number,
): void {
  const n = output.numel;
  const g = gradOutput.values;
  const y = output.values;
  const go = gradOutput.offset;
  const yo = output.offset;
  if (out instanceof Float32Array && g instanceof Float32Array && y instanceof Float32Array) {
    // the backend's branch-free kernel: +0 where output ≤ threshold, else the gradient's bits, NaN
    // and ∞ included; a NaN output fails the comparison and keeps its gradient
    getBackend().thresholdBackward(g, go, y, yo, out, outOffset, n, threshold);
  } else {
    for (let i = 0; i < n; i++) out[outOffset + i] = y[yo + i]! <= threshold ? 0 : g[go + i]!;
  }
}

/**
 * {@link thresholdBackward} written into `gradOutput` itself (zeroing it where
 * `output ≤ threshold`) and returned, for a caller that owns `gradOutput`
 * (autograd's ReLU, given a gradient no one else can see). Same values as the
 * out-of-place version; a non-contiguous `gradOutput` gets a new tensor instead.
 *
 * @example
 * ```ts
 * const g = tensor([1, 2, 3]);
 * thresholdBackward_(g, tensor([0, 5, 0])) === g; // true; g is [0, 2, 0]
 * ```
 */
export function thresholdBackward_(gradOutput: Tensor, output: Tensor, threshold = 0): Tensor {
  if (
    gradOutput.dtype !== output.dtype ||
    gradOutput.shape.length !== output.shape.length ||
    gradOutput.shape.some((d, i) => d !== output.shape[i]) ||
    !gradOutput.isContiguous() ||
    !output.isContiguous()
  ) {
    return thresholdBackward(gradOutput, output, threshold);
  }
  thresholdInto(gradOutput.values, gradOutput.offset, gradOutput, output, threshold);
  gradOutput.bumpVersion();
  return gradOutput;
}
