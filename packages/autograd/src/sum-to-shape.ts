import type { Tensor } from '@opt/tensor';

/**
 * Sums a gradient that was broadcast back down to `shape`: leading extra
 * dimensions are summed away, and dimensions where `shape` has 1 are summed
 * with `keepdim`. Returns `grad` itself when the shapes already agree.
 *
 * @example
 * ```ts
 * sumToShape(ones([4, 2, 3]), [2, 1]).toArray(); // [[12], [12]]
 * ```
 */
export function sumToShape(grad: Tensor, shape: readonly number[]): Tensor {
  const gs = grad.shape;
  if (gs.length === shape.length && gs.every((d, i) => d === shape[i])) return grad;
  const lead = gs.length - shape.length;
  const dims: number[] = [];
  for (let i = 0; i < gs.length; i++) {
    if (i < lead || (shape[i - lead] === 1 && gs[i] !== 1)) dims.push(i);
  }
  let g = dims.length > 0 ? grad.sum(dims, { keepdim: true }) : grad;
  if (lead > 0 || g.shape.length !== shape.length) g = g.reshape([...shape]);
  return g;
}
