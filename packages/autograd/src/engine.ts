import { formatShape, onesLike, type Tensor } from '@opt/tensor';
import { AutogradError } from './errors';
import { unmarkFresh } from './fresh';
import { noGrad } from './grad-mode';
import type { Node } from './node';
import type { Variable } from './variable';

/**
 * Options of `backward`.
 *
 * @example
 * ```ts
 * loss.backward(undefined, { retainGraph: true }); // the graph survives a second backward
 * ```
 */
export interface BackwardOptions {
  /** Keep the graph's saved tensors so that backward can run through it again (default false). */
  retainGraph?: boolean;
}

/**
 * Adds `g` to a gradient slot: the first gradient is copied (it may be shared), into ordinary memory
 * even for a pinned leaf (pinned blocks come back only after a garbage collection and a turn of the
 * event loop, so a synchronous loop that sets gradients to `null` every step would grow pinned
 * memory without bound); later ones are added in place, into a pinned gradient set by hand too.
 */
function accumulate(current: Tensor | null, g: Tensor): Tensor {
  if (current === null) return g.clone();
  if (current.isSparse && !g.isSparse) return g.add(current);
  if (current.isSparse || g.isSparse) return current.add(g);
  return current.add_(g);
}

/**
 * Reverse-mode sweep from `root`: Kahn's algorithm over the nodes reachable
 * from `root.gradFn` (iterative, so deep graphs do not overflow the stack).
 * Each node runs once, after every consumer of its output added its share.
 * @internal
 */
export function runBackward(root: Variable, gradient: Tensor | undefined, options: BackwardOptions): void {
  if (!root.requiresGrad) {
    throw new AutogradError(
      'backward: element 0 of tensors does not require grad and does not have a grad_fn',
    );
  }
  let seed: Tensor;
  if (gradient === undefined) {
    if (root.numel !== 1) {
      throw new AutogradError(
        `backward: grad can be implicitly created only for scalar outputs (the output has shape ${formatShape(root.shape)}); pass a gradient of that shape`,
      );
    }
    seed = onesLike(root.data);
  } else {
    if (gradient.shape.length !== root.shape.length || gradient.shape.some((d, i) => d !== root.shape[i])) {
      throw new AutogradError(
        `backward: Mismatch in shape: grad_output[0] has a shape of ${formatShape(gradient.shape)} and output[0] has a shape of ${formatShape(root.shape)}.`,
      );
    }
    if (gradient.dtype !== root.dtype) {
      throw new AutogradError(
        `backward: the gradient has dtype ${gradient.dtype} but the output has dtype ${root.dtype}`,
      );
    }
    seed = gradient;
  }
  noGrad(() => sweep(root, seed, options.retainGraph ?? false));
}

/**
 * Withdraws the fresh mark (see `fresh.ts`) from input gradients that share storage with another
 * one of the same rule (the same tensor returned for two inputs, or a view of it), since each goes
 * to its own consumer.
 */
function unmarkShared(grads: readonly (Tensor | null)[]): void {
  for (let i = 0; i < grads.length; i++) {
    const a = grads[i];
    if (!a) continue;
    for (let j = i + 1; j < grads.length; j++) {
      const b = grads[j];
      if (b && b.values === a.values) {
        unmarkFresh(a);
        unmarkFresh(b);
      }
    }
  }
}

/** Adds `g` to `key`'s sum in `sums`, in arrival order (the first one is taken as it is). */
function addTo<K>(sums: Map<K, Tensor>, key: K, g: Tensor): void {
  const prev = sums.get(key);
  sums.set(key, prev === undefined ? g : prev.add(g));
}

function sweep(root: Variable, seed: Tensor, retainGraph: boolean): void {
  const start = root.gradFn;
  if (start === null) {
    root.accumulateGrad(accumulate(root.grad, seed));
    return;
  }
  // count, for every node, how many edges lead into it
  const pending = new Map<Node, number>([[start, 0]]);
  const stack: Node[] = [start];
  while (stack.length > 0) {
    const node = stack.pop()!;
    for (const input of node.inputs) {
      const next = input?.gradFn;
      if (!next) continue;
      const count = pending.get(next);
      if (count === undefined) {
        pending.set(next, 1);
        stack.push(next);
      } else pending.set(next, count + 1);
    }
  }
  const grads = new Map<Node, Tensor>([[start, seed]]);
  // a leaf's contributions are summed first, then added to its .grad once (PyTorch's AccumulateGrad
  // runs after its input buffer is complete): old + (a + b) rounds differently from (old + a) + b
  const leafGrads = new Map<Variable, Tensor>();
  const ready: Node[] = [start];
  while (ready.length > 0) {
    const node = ready.pop()!;
    const g = grads.get(node);
    grads.delete(node);
    // a retained gradient is stored after the rule ran: the rule must not overwrite it
    if (g !== undefined && node.retained !== null) unmarkFresh(g);
    const inputGrads = g === undefined ? null : node.apply(g);
    if (inputGrads !== null) unmarkShared(inputGrads);
    if (g !== undefined && node.retained !== null)
      node.retained.accumulateGrad(accumulate(node.retained.grad, g));
    for (let i = 0; i < node.inputs.length; i++) {
      const input = node.inputs[i];
      if (!input) continue;
      const gi = inputGrads?.[i] ?? null;
      const next = input.gradFn;
      if (next === null) {
        if (gi !== null) addTo(leafGrads, input, gi);
        continue;
      }
      if (gi !== null) addTo(grads, next, gi);
      const left = pending.get(next)! - 1;
      pending.set(next, left);
      if (left === 0) ready.push(next);
    }
    if (!retainGraph) node.release();
  }
  for (const [leaf, g] of leafGrads) leaf.accumulateGrad(accumulate(leaf.grad, g));
}
