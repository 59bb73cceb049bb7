import type { Tensor } from '@opt/tensor';
import { isGradEnabled } from '../grad-mode';
import { type BackwardFn, Node } from '../node';
import { Variable } from '../variable';

/** What the ops accept where PyTorch accepts a tensor: a Variable, or a Tensor taken as a constant. */
export type VarLike = Variable | Tensor;

/** A Variable for `x` (a Tensor becomes a constant that needs no gradient). */
export function asVariable(x: VarLike): Variable {
  return x instanceof Variable ? x : new Variable(x);
}

/**
 * Wraps an op's result: with grad mode on and an input that requires grad,
 * the result gets a {@link Node} holding `backward` and the `saved` tensors
 * (whose versions are checked at backward); otherwise it is a plain Variable.
 */
export function record(
  name: string,
  inputs: readonly Variable[],
  output: Tensor,
  backward: BackwardFn,
  saved: readonly Tensor[] = [],
): Variable {
  if (!isGradEnabled() || !inputs.some((v) => v.requiresGrad)) return new Variable(output);
  return Variable.fromNode(output, new Node(name, inputs, backward, saved));
}
