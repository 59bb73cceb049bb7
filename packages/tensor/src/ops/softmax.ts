import { isFloating } from '../dtype';
import { DTypeError } from '../errors';
import { normalizeDim } from '../shape';
import type { Tensor } from '../tensor';

function shifted(op: string, x: Tensor, dim: number): [Tensor, number] {
  if (!isFloating(x.dtype))
    throw new DTypeError(`${op}: expected a float32 or float64 tensor; got ${x.dtype}`);
  const d = normalizeDim(op, dim, Math.max(x.ndim, 1));
  if (x.ndim === 0) return [x.sub(x), d];
  // subtracting the maximum keeps exp() from overflowing
  return [x.sub(x.max(d, { keepdim: true }).values), d];
}

/**
 * `exp(xᵢ) / Σⱼ exp(xⱼ)` along `dim`, computed stably (the maximum is
 * subtracted first).
 *
 * @example
 * ```ts
 * softmax(tensor([1, 2, 3]), 0).toArray(); // [0.0900, 0.2447, 0.6652]
 * ```
 */
export function softmax(x: Tensor, dim: number): Tensor {
  const [z, d] = shifted('softmax', x, dim);
  const e = z.exp();
  return x.ndim === 0 ? e : e.div(e.sum(d, { keepdim: true }));
}

/**
 * `xᵢ − log Σⱼ exp(xⱼ)` along `dim`, computed stably.
 *
 * @example
 * ```ts
 * logSoftmax(tensor([1, 2, 3]), 0).toArray(); // [-2.4076, -1.4076, -0.4076]
 * ```
 */
export function logSoftmax(x: Tensor, dim: number): Tensor {
  const [z, d] = shifted('logSoftmax', x, dim);
  return x.ndim === 0 ? z : z.sub(z.exp().sum(d, { keepdim: true }).log());
}
