import type { Tensor } from '@opt/tensor';
import type { BackwardFn } from './node';
import { asVariable, record, type VarLike } from './ops/record';
import type { Variable } from './variable';

/**
 * Records an op whose gradient is written by hand, as a `torch.autograd.Function` does: `output`
 * is the op's value, computed by the caller from the inputs' `.data`; `backward(g)` returns one
 * gradient per input (`null` for none), each of its input's shape or broadcastable to it. `saved`
 * lists the tensors `backward` reads, so that modifying one in place before backward is an error.
 * With grad mode off, or no input that requires grad, the result is a plain Variable. Tensors
 * among `inputs` are constants.
 *
 * @example
 * ```ts
 * // x³ with its derivative 3x²
 * const y = customOp('CubeBackward0', [x], x.data.pow(3), (g) => [g.mul(x.data.pow(2)).mul(3)], [x.data]);
 * ```
 */
export function customOp(
  name: string,
  inputs: readonly VarLike[],
  output: Tensor,
  backward: BackwardFn,
  saved: readonly Tensor[] = [],
): Variable {
  return record(name, inputs.map(asVariable), output, backward, saved);
}
