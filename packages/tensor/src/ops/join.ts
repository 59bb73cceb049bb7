import { allocate } from '../dtype';
import { DTypeError, ShapeError } from '../errors';
import { formatShape, normalizeDim } from '../shape';
import { Tensor } from '../tensor';

/**
 * Concatenates tensors along an existing dimension `dim`, like `torch.cat`.
 * All tensors share the dtype and every size except along `dim`; as in PyTorch, 1-d empty tensors
 * (shape `[0]`) are skipped whatever the shape of the others, and 0-d tensors are refused.
 *
 * @example
 * ```ts
 * cat([tensor([[1, 2]]), tensor([[3, 4]])]).toArray(); // [[1, 2], [3, 4]]
 * cat([tensor([[1], [2]]), tensor([[3], [4]])], 1).toArray(); // [[1, 3], [2, 4]]
 * ```
 */
export function cat(tensors: readonly Tensor[], dim = 0): Tensor {
  if (tensors.length === 0) throw new ShapeError('cat: expected a non-empty list of tensors');
  const first = tensors[0]!;
  // PyTorch's legacy rule: a 1-d empty tensor takes no part in the shape checks; the first other
  // tensor (or tensor 0 when all are such) sets the rank and the sizes
  let ref = 0;
  while (ref < tensors.length - 1 && skipped(tensors[ref]!)) ref++;
  const model = tensors[ref]!;
  for (let i = 0; i < tensors.length; i++) {
    if (tensors[i]!.ndim === 0)
      throw new ShapeError(
        `cat: tensor ${i} is 0-d (shape []) and cannot be concatenated; expected tensors of at least one dimension (unsqueeze it, or use stack)`,
      );
  }
  const d = normalizeDim('cat', dim, model.ndim);
  let total = 0;
  for (let i = 0; i < tensors.length; i++) {
    const t = tensors[i]!;
    if (t.dtype !== first.dtype) {
      throw new DTypeError(`cat: tensor ${i} has dtype ${t.dtype}, expected ${first.dtype} like tensor 0`);
    }
    if (i !== ref && skipped(t)) continue;
    if (t.ndim !== model.ndim || t.shape.some((s, j) => j !== d && s !== model.shape[j])) {
      throw new ShapeError(
        `cat: sizes of tensors must match except in dimension ${d}; tensor ${ref} has shape ${formatShape(model.shape)} and tensor ${i} has shape ${formatShape(t.shape)}`,
      );
    }
    total += t.shape[d]!;
  }
  const shape = model.shape.slice();
  shape[d] = total;
  const out = new Tensor(
    allocate(
      first.dtype,
      shape.reduce((a, b) => a * b, 1),
    ),
    shape,
  );
  let at = 0;
  for (let i = 0; i < tensors.length; i++) {
    const t = tensors[i]!;
    if (i !== ref && skipped(t)) continue;
    const n = t.shape[d]!;
    if (n > 0) out.narrow(d, at, n).copy_(t);
    at += n;
  }
  return out;
}

/** A 1-d empty tensor, which cat skips (PyTorch's cat_should_skip_tensor). */
function skipped(t: Tensor): boolean {
  return t.ndim === 1 && t.numel === 0;
}

/**
 * Stacks same-shaped tensors along a new dimension `dim`, like `torch.stack`.
 *
 * @example
 * ```ts
 * stack([tensor([1, 2]), tensor([3, 4])]).shape; // [2, 2]
 * stack([tensor([1, 2]), tensor([3, 4])], 1).toArray(); // [[1, 3], [2, 4]]
 * ```
 */
export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  if (tensors.length === 0) throw new ShapeError('stack: expected a non-empty list of tensors');
  const first = tensors[0]!;
  const d = normalizeDim('stack', dim, first.ndim + 1);
  for (let i = 1; i < tensors.length; i++) {
    const t = tensors[i]!;
    if (t.ndim !== first.ndim || t.shape.some((s, j) => s !== first.shape[j])) {
      throw new ShapeError(
        `stack: expects each tensor to be equal size, but got ${formatShape(first.shape)} at entry 0 and ${formatShape(t.shape)} at entry ${i}`,
      );
    }
  }
  return cat(
    tensors.map((t) => t.unsqueeze(d)),
    d,
  );
}
