import {
  type AlphaOptions,
  type ClampOptions,
  type DType,
  formatShape,
  isFloating,
  type NestedArray,
  type ReduceOptions,
  Tensor,
  type VarOptions,
} from '@opt/tensor';
import { type BackwardOptions, runBackward } from './engine';
import { AutogradError } from './errors';
import type { Node } from './node';
import * as L from './ops/linalg';
import * as N from './ops/nn';
import * as P from './ops/pointwise';
import type { VarLike } from './ops/record';
import * as R from './ops/reduce';
import * as S from './ops/shape';

/**
 * Options of the {@link Variable} constructor.
 *
 * @example
 * ```ts
 * new Variable(tensor([2]), { requiresGrad: true });
 * ```
 */
export interface VariableOptions {
  /** Record operations on this leaf so that backward computes its gradient (default false). */
  requiresGrad?: boolean;
}

/**
 * Sizes as varargs, PyTorch-style: numbers, or one array of numbers.
 *
 * @example
 * ```ts
 * x.view(2, -1); x.view([2, -1]);
 * ```
 */
export type Sizes = (number | readonly number[])[];

/**
 * A tensor in the autograd graph, like a PyTorch tensor with
 * `requires_grad`: operations on Variables record how they were computed,
 * and {@link Variable.backward} fills `.grad` of the leaves.
 *
 * @example
 * ```ts
 * const x = new Variable(tensor([2]), { requiresGrad: true });
 * const y = x.pow(2).mul(4); // y = 4x²
 * y.backward();
 * x.grad?.item(); // 16
 * x.data.sub_(x.grad!.mul(0.125)); x.grad!.zero_(); // one step of gradient descent: x = 0
 * ```
 */
export class Variable {
  /** The values: the very Tensor given, updated in place by optimizers. */
  data: Tensor;
  #grad: Tensor | null = null;
  #requiresGrad: boolean;
  #gradFn: Node | null = null;

  /**
   * @param data the values (not copied).
   * @param options `requiresGrad`.
   */
  constructor(data: Tensor, options: VariableOptions = {}) {
    if (!(data instanceof Tensor)) {
      throw new AutogradError(`Variable: data must be a Tensor; got ${data === null ? 'null' : typeof data}`);
    }
    this.data = data;
    this.#requiresGrad = false;
    if (options.requiresGrad) this.requiresGrad_(true);
  }

  /** A non-leaf Variable produced by a recorded op. @internal */
  static fromNode(data: Tensor, node: Node): Variable {
    const v = new Variable(data);
    v.#requiresGrad = true;
    v.#gradFn = node;
    return v;
  }

  /**
   * The accumulated gradient: set by backward on leaves (and on non-leaves
   * that called {@link retainGrad}); `null` until then, or after
   * `zeroGrad()` with `setToNone`. Assignable (same shape and dtype).
   */
  get grad(): Tensor | null {
    if (!this.isLeaf && this.#gradFn?.retained !== this) return null;
    return this.#grad;
  }

  set grad(value: Tensor | null) {
    if (value !== null) {
      if (!(value instanceof Tensor)) throw new AutogradError('grad: assigned grad must be a Tensor or null');
      if (
        value.shape.length !== this.data.shape.length ||
        value.shape.some((d, i) => d !== this.data.shape[i])
      ) {
        throw new AutogradError(
          `grad: assigned grad has data of a different size (${formatShape(value.shape)}, expected ${formatShape(this.data.shape)})`,
        );
      }
      if (value.dtype !== this.data.dtype) {
        throw new AutogradError(`grad: assigned grad has dtype ${value.dtype}, expected ${this.data.dtype}`);
      }
    }
    this.#grad = value;
  }

  /** Adds to the gradient slot (the engine computed the sum). @internal */
  accumulateGrad(value: Tensor): void {
    this.#grad = value;
  }

  /** Whether backward computes a gradient for this Variable. */
  get requiresGrad(): boolean {
    return this.#requiresGrad;
  }

  /** Whether this Variable was created by the user rather than by a recorded op (`gradFn` is null). */
  get isLeaf(): boolean {
    return this.#gradFn === null;
  }

  /** The op that produced this Variable (`null` for leaves), e.g. `gradFn.name === 'MulBackward0'`. */
  get gradFn(): Node | null {
    return this.#gradFn;
  }

  /**
   * Sets whether a leaf requires grad (in place, returns `this`), e.g. to freeze a layer.
   *
   * @example
   * ```ts
   * for (const p of net.features.parameters()) p.requiresGrad_(false);
   * ```
   */
  requiresGrad_(flag = true): this {
    if (!this.isLeaf) {
      if (!flag) {
        throw new AutogradError(
          "requiresGrad_: you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a subgraph that doesn't require differentiation use detach()",
        );
      }
      return this;
    }
    if (flag && !isFloating(this.data.dtype)) {
      throw new AutogradError(
        `requiresGrad_: only Tensors of floating point dtype can require gradients; got ${this.data.dtype}`,
      );
    }
    this.#requiresGrad = flag;
    return this;
  }

  /**
   * Keeps the gradient of this non-leaf Variable after backward (leaves keep theirs anyway).
   *
   * @example
   * ```ts
   * const h = x.mul(2); h.retainGrad(); h.sum().backward(); h.grad; // ones
   * ```
   */
  retainGrad(): void {
    if (!this.#requiresGrad)
      throw new AutogradError("retainGrad: can't retain_grad on Tensor that has requires_grad=False");
    if (this.#gradFn) this.#gradFn.retained = this;
  }

  /**
   * A new leaf sharing this Variable's data, cut from the graph.
   *
   * @example
   * ```ts
   * const target = prediction.detach(); // a constant from here on
   * ```
   */
  detach(): Variable {
    return new Variable(this.data);
  }

  /**
   * Computes the gradient of this Variable with respect to the leaves and
   * adds it to their `.grad`. Without `gradient` the Variable must hold a
   * single element (a loss). The graph is freed unless `retainGraph`.
   *
   * @example
   * ```ts
   * loss.backward();
   * y.backward(onesLike(y.data)); // a non-scalar output needs its gradient
   * ```
   */
  backward(gradient?: Tensor, options: BackwardOptions = {}): void {
    runBackward(this, gradient, options);
  }

  // ---------------------------------------------------------------- tensor facts

  /** The shape of `data`. */
  get shape(): readonly number[] {
    return this.data.shape;
  }

  /** The dtype of `data`. */
  get dtype(): DType {
    return this.data.dtype;
  }

  /** Number of elements. */
  get numel(): number {
    return this.data.numel;
  }

  /** Number of dimensions. */
  get ndim(): number {
    return this.data.ndim;
  }

  /**
   * Number of dimensions (PyTorch's `dim()`).
   *
   * @example
   * ```ts
   * new Variable(zeros([2, 3])).dim(); // 2
   * ```
   */
  dim(): number {
    return this.data.ndim;
  }

  /**
   * The shape, or the size of one dimension.
   *
   * @example
   * ```ts
   * new Variable(zeros([2, 3])).size(1); // 3
   * ```
   */
  size(): number[];
  size(dim: number): number;
  size(dim?: number): number | number[] {
    return dim === undefined ? (this.data.size() as number[]) : (this.data.size(dim) as number);
  }

  /**
   * The single value of a one-element Variable.
   *
   * @example
   * ```ts
   * loss.item(); // 2.3026
   * ```
   */
  item(): number {
    return this.data.item();
  }

  /**
   * Nested JS arrays of the values (PyTorch's `tolist()`).
   *
   * @example
   * ```ts
   * logits.toArray();
   * ```
   */
  toArray(): NestedArray {
    return this.data.toArray();
  }

  /**
   * PyTorch's print-out, with `requires_grad=True` or `grad_fn=<…>`.
   *
   * @example
   * ```ts
   * String(x.mul(2)); // 'tensor([4.], grad_fn=<MulBackward0>)'
   * ```
   */
  toString(): string {
    const text = this.data.toString();
    const suffix = this.#gradFn
      ? `grad_fn=<${this.#gradFn.name}>`
      : this.#requiresGrad
        ? 'requires_grad=True'
        : '';
    if (!suffix || !text.endsWith(')')) return text;
    return `${text.slice(0, -1)}, ${suffix})`;
  }

  // ---------------------------------------------------------------- pointwise

  /**
   * `this + alpha·other`, broadcasting.
   *
   * @example
   * ```ts
   * x.add(1); x.add(y, { alpha: -1 });
   * ```
   */
  add(other: VarLike | number, options: AlphaOptions = {}): Variable {
    return P.add(this, other, options.alpha);
  }

  /**
   * `this − alpha·other`, broadcasting.
   *
   * @example
   * ```ts
   * prediction.sub(target);
   * ```
   */
  sub(other: VarLike | number, options: AlphaOptions = {}): Variable {
    return P.sub(this, other, options.alpha);
  }

  /**
   * Elementwise product, broadcasting.
   *
   * @example
   * ```ts
   * x.mul(4); x.mul(y);
   * ```
   */
  mul(other: VarLike | number): Variable {
    return P.mul(this, other);
  }

  /**
   * Elementwise quotient, broadcasting.
   *
   * @example
   * ```ts
   * x.div(2);
   * ```
   */
  div(other: VarLike | number): Variable {
    return P.div(this, other);
  }

  /**
   * Elementwise power.
   *
   * @example
   * ```ts
   * x.pow(2);
   * ```
   */
  pow(exponent: VarLike | number): Variable {
    return P.pow(this, exponent);
  }

  /**
   * Elementwise maximum (gradient split evenly on ties).
   *
   * @example
   * ```ts
   * x.maximum(y);
   * ```
   */
  maximum(other: VarLike): Variable {
    return P.maximum(this, other);
  }

  /**
   * Elementwise minimum (gradient split evenly on ties).
   *
   * @example
   * ```ts
   * x.minimum(y);
   * ```
   */
  minimum(other: VarLike): Variable {
    return P.minimum(this, other);
  }

  /**
   * `−this`.
   *
   * @example
   * ```ts
   * x.neg();
   * ```
   */
  neg(): Variable {
    return P.neg(this);
  }

  /**
   * `|this|`.
   *
   * @example
   * ```ts
   * x.abs();
   * ```
   */
  abs(): Variable {
    return P.abs(this);
  }

  /**
   * Sign (−1, 0, 1); its gradient is zero.
   *
   * @example
   * ```ts
   * x.sign();
   * ```
   */
  sign(): Variable {
    return P.sign(this);
  }

  /**
   * `eˣ`.
   *
   * @example
   * ```ts
   * x.exp();
   * ```
   */
  exp(): Variable {
    return P.exp(this);
  }

  /**
   * Natural logarithm.
   *
   * @example
   * ```ts
   * p.log();
   * ```
   */
  log(): Variable {
    return P.log(this);
  }

  /**
   * Square root.
   *
   * @example
   * ```ts
   * x.sqrt();
   * ```
   */
  sqrt(): Variable {
    return P.sqrt(this);
  }

  /**
   * `1/√x`.
   *
   * @example
   * ```ts
   * v.rsqrt();
   * ```
   */
  rsqrt(): Variable {
    return P.rsqrt(this);
  }

  /**
   * Sine.
   *
   * @example
   * ```ts
   * x.sin();
   * ```
   */
  sin(): Variable {
    return P.sin(this);
  }

  /**
   * Cosine.
   *
   * @example
   * ```ts
   * x.cos();
   * ```
   */
  cos(): Variable {
    return P.cos(this);
  }

  /**
   * Hyperbolic tangent.
   *
   * @example
   * ```ts
   * h.tanh();
   * ```
   */
  tanh(): Variable {
    return P.tanh(this);
  }

  /**
   * Logistic sigmoid.
   *
   * @example
   * ```ts
   * logits.sigmoid();
   * ```
   */
  sigmoid(): Variable {
    return P.sigmoid(this);
  }

  /**
   * `max(x, 0)`.
   *
   * @example
   * ```ts
   * h.relu();
   * ```
   */
  relu(): Variable {
    return P.relu(this);
  }

  /**
   * Clamps into `[min, max]`; the gradient passes inside the range.
   *
   * @example
   * ```ts
   * x.clamp(0, 1); x.clamp({ min: 0 });
   * ```
   */
  clamp(min?: ClampOptions | number, max?: number): Variable {
    return P.clamp(this, min, max);
  }

  /**
   * Cast to `dtype` (differentiable).
   *
   * @example
   * ```ts
   * x.to('float64');
   * ```
   */
  to(dtype: DType): Variable {
    return P.to(this, dtype);
  }

  /**
   * Cast to float32.
   *
   * @example
   * ```ts
   * x.float();
   * ```
   */
  float(): Variable {
    return P.to(this, 'float32');
  }

  /**
   * Cast to float64.
   *
   * @example
   * ```ts
   * x.double();
   * ```
   */
  double(): Variable {
    return P.to(this, 'float64');
  }

  // ---------------------------------------------------------------- reductions

  /**
   * Sum over all elements or over `dim` (`keepdim` optional).
   *
   * @example
   * ```ts
   * x.sum(); x.sum(1, { keepdim: true });
   * ```
   */
  sum(dim?: number | number[] | ReduceOptions, options?: ReduceOptions): Variable {
    return R.sum(this, dim, options);
  }

  /**
   * Mean over all elements or over `dim`.
   *
   * @example
   * ```ts
   * losses.mean();
   * ```
   */
  mean(dim?: number | number[] | ReduceOptions, options?: ReduceOptions): Variable {
    return R.mean(this, dim, options);
  }

  /**
   * Product over all elements or over `dim`.
   *
   * @example
   * ```ts
   * x.prod(0);
   * ```
   */
  prod(dim?: number | number[] | ReduceOptions, options?: ReduceOptions): Variable {
    return R.prod(this, dim, options);
  }

  /**
   * Variance (`correction` 1 by default, like PyTorch).
   *
   * @example
   * ```ts
   * x.var(0, { correction: 0 });
   * ```
   */
  var(dim?: number | number[] | VarOptions, options?: VarOptions): Variable {
    return R.variance(this, dim, options);
  }

  /**
   * Standard deviation (`correction` 1 by default).
   *
   * @example
   * ```ts
   * x.std();
   * ```
   */
  std(dim?: number | number[] | VarOptions, options?: VarOptions): Variable {
    return R.std(this, dim, options);
  }

  /**
   * p-norm over all elements or over `dim`.
   *
   * @example
   * ```ts
   * w.norm(); w.norm(1, 0);
   * ```
   */
  norm(p: number | 'fro' = 2, dim?: number | number[] | ReduceOptions, keepdim?: boolean): Variable {
    return R.norm(this, p, dim, keepdim);
  }

  /**
   * Maximum over all elements, or `{ values, indices }` over one `dim`.
   *
   * @example
   * ```ts
   * x.max(); x.max(1).indices;
   * ```
   */
  max(): Variable;
  max(dim: number | ReduceOptions, options?: ReduceOptions): R.VariableValuesIndices;
  max(dim?: number | ReduceOptions, options?: ReduceOptions): Variable | R.VariableValuesIndices {
    return hasDim(dim) ? R.extremeDim(this, true, dim!, options) : R.extremeAll(this, true);
  }

  /**
   * Minimum over all elements, or `{ values, indices }` over one `dim`.
   *
   * @example
   * ```ts
   * x.min(); x.min(0).values;
   * ```
   */
  min(): Variable;
  min(dim: number | ReduceOptions, options?: ReduceOptions): R.VariableValuesIndices;
  min(dim?: number | ReduceOptions, options?: ReduceOptions): Variable | R.VariableValuesIndices {
    return hasDim(dim) ? R.extremeDim(this, false, dim!, options) : R.extremeAll(this, false);
  }

  /**
   * Index of the maximum (not differentiable; an int32 Tensor).
   *
   * @example
   * ```ts
   * logits.argmax(1); // predicted classes
   * ```
   */
  argmax(dim?: number | ReduceOptions, options?: ReduceOptions): Tensor {
    return this.data.argmax(dim, options);
  }

  /**
   * Index of the minimum (not differentiable; an int32 Tensor).
   *
   * @example
   * ```ts
   * distances.argmin(1);
   * ```
   */
  argmin(dim?: number | ReduceOptions, options?: ReduceOptions): Tensor {
    return this.data.argmin(dim, options);
  }

  // ---------------------------------------------------------------- linear algebra, nn

  /**
   * Matrix product with `torch.matmul`'s rules (batched, broadcasting).
   *
   * @example
   * ```ts
   * x.matmul(w.t());
   * ```
   */
  matmul(other: VarLike): Variable {
    return L.matmul(this, other);
  }

  /**
   * Softmax along `dim`.
   *
   * @example
   * ```ts
   * logits.softmax(-1);
   * ```
   */
  softmax(dim: number): Variable {
    return N.softmax(this, dim);
  }

  /**
   * Log-softmax along `dim`.
   *
   * @example
   * ```ts
   * logits.logSoftmax(1);
   * ```
   */
  logSoftmax(dim: number): Variable {
    return N.logSoftmax(this, dim);
  }

  /**
   * Values along `dim` at the positions of `index` (int32), like `torch.gather`.
   *
   * @example
   * ```ts
   * logProbs.gather(1, targets.unsqueeze(1));
   * ```
   */
  gather(dim: number, index: Tensor): Variable {
    return N.gather(this, dim, index);
  }

  /**
   * Slices along `dim` at the positions of a 1-D int32 `index`.
   *
   * @example
   * ```ts
   * table.indexSelect(0, ids);
   * ```
   */
  indexSelect(dim: number, index: Tensor): Variable {
    return N.indexSelect(this, dim, index);
  }

  // ---------------------------------------------------------------- views

  /**
   * Same elements, new shape (varargs like PyTorch, `-1` inferred); needs a viewable layout.
   *
   * @example
   * ```ts
   * x.view(-1, 400);
   * ```
   */
  view(...shape: Sizes): Variable {
    return S.view(this, ...shape);
  }

  /**
   * Same elements, new shape: a view when possible, else a copy.
   *
   * @example
   * ```ts
   * x.reshape(2, -1);
   * ```
   */
  reshape(...shape: Sizes): Variable {
    return S.reshape(this, ...shape);
  }

  /**
   * Swaps two dimensions.
   *
   * @example
   * ```ts
   * x.transpose(0, 1);
   * ```
   */
  transpose(dim0: number, dim1: number): Variable {
    return S.transpose(this, dim0, dim1);
  }

  /**
   * Transpose of a matrix (≤ 2-D).
   *
   * @example
   * ```ts
   * w.t();
   * ```
   */
  t(): Variable {
    return this.ndim < 2 ? this : S.transpose(this, 0, 1);
  }

  /**
   * Reorders the dimensions.
   *
   * @example
   * ```ts
   * x.permute(0, 2, 3, 1);
   * ```
   */
  permute(...dims: (number | readonly number[])[]): Variable {
    return S.permute(this, ...dims);
  }

  /**
   * Broadcasts size-1 dimensions to `sizes` (a view).
   *
   * @example
   * ```ts
   * bias.expand(4, 3);
   * ```
   */
  expand(...sizes: Sizes): Variable {
    return S.expand(this, ...sizes);
  }

  /**
   * Broadcasts to another Variable's or Tensor's shape.
   *
   * @example
   * ```ts
   * bias.expandAs(x);
   * ```
   */
  expandAs(other: VarLike): Variable {
    return S.expand(this, [...other.shape]);
  }

  /**
   * Removes size-1 dimensions (all, or the given ones).
   *
   * @example
   * ```ts
   * x.squeeze(0);
   * ```
   */
  squeeze(dim?: number | number[]): Variable {
    return S.squeeze(this, dim);
  }

  /**
   * Inserts a size-1 dimension at `dim`.
   *
   * @example
   * ```ts
   * x.unsqueeze(0);
   * ```
   */
  unsqueeze(dim: number): Variable {
    return S.unsqueeze(this, dim);
  }

  /**
   * Merges dimensions `startDim..endDim` into one.
   *
   * @example
   * ```ts
   * features.flatten(1);
   * ```
   */
  flatten(startDim = 0, endDim = -1): Variable {
    return S.flatten(this, startDim, endDim);
  }

  /**
   * `length` elements of `dim` from `start` (a view).
   *
   * @example
   * ```ts
   * x.narrow(1, 0, 2);
   * ```
   */
  narrow(dim: number, start: number, length: number): Variable {
    return S.narrow(this, dim, start, length);
  }

  /**
   * One index of `dim`, removing that dimension.
   *
   * @example
   * ```ts
   * batch.select(0, 3);
   * ```
   */
  select(dim: number, index: number): Variable {
    return S.select(this, dim, index);
  }

  /**
   * `start:end:step` along `dim`.
   *
   * @example
   * ```ts
   * x.slice(1, 0, 10, 2);
   * ```
   */
  slice(dim: number, start?: number, end?: number, step?: number): Variable {
    return S.slice(this, dim, start, end, step);
  }

  /**
   * A contiguous copy (or this Variable when already contiguous).
   *
   * @example
   * ```ts
   * x.t().contiguous().view(-1);
   * ```
   */
  contiguous(): Variable {
    return S.contiguous(this);
  }
}

function hasDim(dim: number | ReduceOptions | undefined): boolean {
  return typeof dim === 'number' || (dim !== undefined && dim.dim !== undefined);
}
