import { formatShape, type Tensor } from '@opt/tensor';
import { AutogradError } from './errors';
import { sumToShape } from './sum-to-shape';
import type { Variable } from './variable';

/**
 * The gradient of one op: given the gradient of its output, the gradients of
 * its inputs (in input order; `null` where an input gets none). Shapes may be
 * broadcast: {@link Node} reduces each one to its input's shape.
 *
 * @example
 * ```ts
 * const mulBackward: BackwardFn = (g) => [g.mul(b), g.mul(a)];
 * ```
 */
export type BackwardFn = (grad: Tensor) => readonly (Tensor | null)[];

const TYPE_NAMES: Record<string, string> = {
  float32: 'torch.FloatTensor',
  float64: 'torch.DoubleTensor',
  int32: 'torch.IntTensor',
  bool: 'torch.BoolTensor',
};

/**
 * One recorded op of the graph (PyTorch's `grad_fn`): its name for debugging
 * (`MulBackward0`), the Variables it read, the tensors it saved for backward
 * with their versions at the time, and its backward function.
 *
 * @example
 * ```ts
 * const y = x.mul(2);
 * y.gradFn?.name; // 'MulBackward0'
 * ```
 */
export class Node {
  /** PyTorch's name of the backward op, e.g. `'AddmmBackward0'` or `'MulBackward0'`. */
  readonly name: string;
  /**
   * The inputs that need a gradient, in input order (`null` for the others).
   * Once backward has released the node, only the leaves remain: a non-leaf
   * input (and so its data) is no longer held, and the graph's edges survive
   * in {@link Node.nextFunctions}, as in PyTorch, where a loss kept after
   * `backward()` holds its graph's nodes but not their activations.
   */
  get inputs(): readonly (Variable | null)[] {
    return this.#inputs;
  }
  #inputs: (Variable | null)[];
  /** The nodes of the inputs, fixed when the op ran (a Variable's `gradFn` never changes). */
  readonly #next: readonly (Node | null)[];
  /** The shapes of the inputs, to reduce broadcast gradients to. */
  private readonly inputShapes: readonly (readonly number[])[];
  private backwardFn: BackwardFn | null;
  private saved: readonly Tensor[];
  private readonly savedVersions: readonly number[];
  /** The non-leaf Variable whose gradient is kept (see `Variable.retainGrad`). @internal */
  retained: Variable | null = null;

  /**
   * @param name PyTorch's name of the backward op.
   * @param inputs every input of the op (constants included), in order.
   * @param backward the gradient rule.
   * @param saved the tensors `backward` reads; modifying one in place before backward is an error.
   */
  constructor(name: string, inputs: readonly Variable[], backward: BackwardFn, saved: readonly Tensor[]) {
    this.name = name;
    this.#inputs = inputs.map((v) => (v.requiresGrad ? v : null));
    this.#next = this.#inputs.map((v) => v?.gradFn ?? null);
    this.inputShapes = inputs.map((v) => v.shape);
    this.backwardFn = backward;
    this.saved = saved;
    this.savedVersions = saved.map((t) => t.version);
  }

  /**
   * The nodes gradients flow to next, like PyTorch's `next_functions`
   * (`null` for inputs without a gradient and for leaves).
   *
   * @example
   * ```ts
   * y.gradFn?.nextFunctions.map((n) => n?.name);
   * ```
   */
  get nextFunctions(): (Node | null)[] {
    return [...this.#next];
  }

  /** Whether backward already ran without `retainGraph` and freed the saved tensors. */
  get released(): boolean {
    return this.backwardFn === null;
  }

  /**
   * Runs the gradient rule for `grad` and reduces each input gradient to its
   * input's shape (the one place where broadcasting is undone).
   * @internal
   */
  apply(grad: Tensor): (Tensor | null)[] {
    const backward = this.backwardFn;
    if (backward === null) {
      throw new AutogradError(
        `${this.name}: trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). ` +
          'Saved intermediate values of the graph are freed when you call backward(); pass { retainGraph: true } to the first backward() if you need to backward twice.',
      );
    }
    for (let i = 0; i < this.saved.length; i++) {
      const t = this.saved[i]!;
      if (t.version !== this.savedVersions[i]) {
        throw new AutogradError(
          `one of the variables needed for gradient computation has been modified by an inplace operation: ` +
            `[${TYPE_NAMES[t.dtype] ?? t.dtype} ${formatShape(t.shape)}], which is saved by ${this.name}, is at version ${t.version}; ` +
            `expected version ${this.savedVersions[i]} instead.`,
        );
      }
    }
    const grads = backward(grad);
    const out: (Tensor | null)[] = [];
    for (let i = 0; i < this.#inputs.length; i++) {
      const g = this.#inputs[i] === null ? null : (grads[i] ?? null);
      out.push(g === null ? null : sumToShape(g, this.inputShapes[i]!));
    }
    return out;
  }

  /**
   * Frees the saved tensors, the gradient rule and the non-leaf inputs (the
   * engine calls it after routing this node's gradients on).
   * @internal
   */
  release(): void {
    this.backwardFn = null;
    this.saved = [];
    for (let i = 0; i < this.#inputs.length; i++) {
      if (this.#next[i] !== null) this.#inputs[i] = null;
    }
  }
}
