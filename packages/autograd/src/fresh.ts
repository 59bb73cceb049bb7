import type { Tensor } from '@opt/tensor';

/**
 * Gradients that a backward rule allocated itself and handed on once (see {@link markFresh}): the
 * one node that receives such a gradient may overwrite it instead of allocating its result (ReLU
 * after max pooling, in a CNN, reuses the pooling gradient's storage). The engine withdraws the
 * mark wherever the tensor could be seen twice: a rule returning it (or a view of its storage)
 * for two inputs, or a node whose incoming gradient is retained for the user (`retainGrad`).
 * @internal
 */
const fresh = new WeakSet<Tensor>();

/** Marks `t`, just allocated by a backward rule and referenced nowhere else, as fresh. @internal */
export function markFresh(t: Tensor): Tensor {
  fresh.add(t);
  return t;
}

/** Withdraws `t`'s mark. @internal */
export function unmarkFresh(t: Tensor): void {
  fresh.delete(t);
}

/** Whether the gradient a rule received may be overwritten; taking it withdraws the mark. @internal */
export function takeFresh(t: Tensor): boolean {
  return fresh.delete(t);
}
