import { denseValues } from '../dense';
import { allocate } from '../dtype';
import { DTypeError, IndexError, ShapeError } from '../errors';
import { checkNoInternalOverlap, formatShape, normalizeDim } from '../shape';
import { Tensor } from '../tensor';

function checkIndex(op: string, index: Tensor): Int32Array {
  if (index.dtype !== 'int32')
    throw new DTypeError(`${op}: index must be an int32 tensor; got ${index.dtype}`);
  return denseValues(index) as Int32Array;
}

/**
 * A 0-d tensor as a one-element 1-d view of itself (sharing storage), any other tensor as it is:
 * PyTorch's index ops take a 0-d input, index or source as one element along dimension 0.
 */
function atLeast1d(t: Tensor): Tensor {
  return t.ndim === 0 ? t.view(1) : t;
}

/**
 * For every position of `index` (row-major): the storage offset in `target`
 * that `index` addresses along `dim`, and the offset of the same position in
 * `other`. Shared by gather and scatter; 0-d tensors count as one element along dimension 0.
 */
function walk(
  op: string,
  target0: Tensor,
  dim: number,
  index0: Tensor,
  other0: Tensor | null,
): { targets: Int32Array; others: Int32Array } {
  const d = normalizeDim(op, dim, Math.max(target0.ndim, 1));
  const target = atLeast1d(target0);
  const index = atLeast1d(index0);
  const other = other0 && atLeast1d(other0);
  if (index.ndim !== target.ndim) {
    throw new ShapeError(
      `${op}: index ${formatShape(index0.shape)} must have as many dimensions as the input ${formatShape(target0.shape)}`,
    );
  }
  for (let i = 0; i < index.ndim; i++) {
    if (i !== d && index.shape[i]! > target.shape[i]!) {
      throw new ShapeError(
        `${op}: index ${formatShape(index0.shape)} is larger than the input ${formatShape(target0.shape)} in dimension ${i}`,
      );
    }
    if (other && other0 && index.shape[i]! > other.shape[i]!) {
      throw new ShapeError(
        `${op}: index ${formatShape(index0.shape)} is larger than src ${formatShape(other0.shape)} in dimension ${i}`,
      );
    }
  }
  const idx = checkIndex(op, index);
  const nd = index.ndim;
  const pos = new Array<number>(nd).fill(0);
  const size = target.shape[d]!;
  const targets = new Int32Array(idx.length);
  const others = new Int32Array(idx.length);
  for (let flat = 0; flat < idx.length; flat++) {
    const k = idx[flat]!;
    if (k < 0 || k >= size) {
      throw new IndexError(
        `${op}: index ${k} is out of bounds for dimension ${d} with size ${size}; expected an index in [0, ${size})`,
      );
    }
    let t = target.offset;
    let o = other ? other.offset : 0;
    for (let i = 0; i < nd; i++) {
      t += (i === d ? k : pos[i]!) * target.strides[i]!;
      if (other) o += pos[i]! * other.strides[i]!;
    }
    targets[flat] = t;
    others[flat] = o;
    for (let i = nd - 1; i >= 0; i--) {
      if (++pos[i]! < index.shape[i]!) break;
      pos[i] = 0;
    }
  }
  return { targets, others };
}

/**
 * `out[i][j] = input[index[i][j]][j]` (for `dim` 0; likewise for other dims),
 * like `torch.gather`; the result has the index's shape.
 *
 * @example
 * ```ts
 * gather(tensor([[1, 2], [3, 4]]), 1, tensor([[0, 0], [1, 0]], undefined, { dtype: 'int32' })).toArray(); // [[1, 1], [4, 3]]
 * ```
 */
export function gather(input: Tensor, dim: number, index: Tensor): Tensor {
  const out = allocate(input.dtype, index.numel);
  const src = input.values;
  const { targets } = walk('gather', input, dim, index, null);
  for (let i = 0; i < targets.length; i++) out[i] = src[targets[i]!]!;
  return new Tensor(out, [...index.shape]);
}

function scatterInto(
  op: string,
  input: Tensor,
  dim: number,
  index: Tensor,
  src: Tensor | number,
  add: boolean,
): Tensor {
  const out = input.clone();
  const dst = out.values;
  if (typeof src === 'number') {
    const { targets } = walk(op, out, dim, index, null);
    for (let i = 0; i < targets.length; i++) {
      const t = targets[i]!;
      dst[t] = add ? dst[t]! + src : src;
    }
    return out;
  }
  if (src.dtype !== input.dtype)
    throw new DTypeError(`${op}: src has dtype ${src.dtype}, expected ${input.dtype} like the input`);
  const s = src.values;
  const { targets, others } = walk(op, out, dim, index, src);
  for (let i = 0; i < targets.length; i++) {
    const t = targets[i]!;
    dst[t] = add ? dst[t]! + s[others[i]!]! : s[others[i]!]!;
  }
  return out;
}

/**
 * A copy of `input` with `src` values written at the positions `index`
 * names along `dim`, like `torch.Tensor.scatter`.
 *
 * @example
 * ```ts
 * scatter(zeros([2, 3]), 1, tensor([[2], [0]], undefined, { dtype: 'int32' }), 1).toArray(); // [[0, 0, 1], [1, 0, 0]]
 * ```
 */
export function scatter(input: Tensor, dim: number, index: Tensor, src: Tensor | number): Tensor {
  return scatterInto('scatter', input, dim, index, src, false);
}

/**
 * Like {@link scatter} but adding, so repeated indices accumulate
 * (`torch.Tensor.scatter_add`).
 *
 * @example
 * ```ts
 * scatterAdd(zeros([3]), 0, tensor([0, 0, 2], undefined, { dtype: 'int32' }), ones([3])).toArray(); // [2, 0, 1]
 * ```
 */
export function scatterAdd(input: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  return scatterInto('scatterAdd', input, dim, index, src, true);
}

function vectorIndex(op: string, index: Tensor, size: number, d: number): Int32Array {
  if (index.ndim > 1)
    throw new ShapeError(`${op}: index must be 0-D or 1-D; got shape ${formatShape(index.shape)}`);
  const idx = checkIndex(op, index);
  for (const k of idx) {
    if (k < 0 || k >= size)
      throw new IndexError(
        `${op}: index ${k} is out of range for dimension ${d} with size ${size}; expected an index in [0, ${size})`,
      );
  }
  return idx;
}

/**
 * The slices of `input` along `dim` at the positions in `index` (1-D int32),
 * like `torch.index_select` (a 0-d input takes one index, 0, and gives a 0-d result).
 *
 * @example
 * ```ts
 * indexSelect(tensor([[1, 2], [3, 4], [5, 6]]), 0, tensor([2, 0], undefined, { dtype: 'int32' })).toArray(); // [[5, 6], [1, 2]]
 * ```
 */
export function indexSelect(input: Tensor, dim: number, index: Tensor): Tensor {
  const d = normalizeDim('indexSelect', dim, Math.max(input.ndim, 1));
  const src = atLeast1d(input);
  const size = src.shape[d]!;
  const idx = vectorIndex('indexSelect', index, size, d);
  if (input.ndim === 0 && idx.length !== 1)
    throw new ShapeError(`indexSelect: a 0-d input takes exactly one index; got ${idx.length}`);
  const shape = src.shape.slice();
  shape[d] = idx.length;
  const out = new Tensor(
    allocate(
      input.dtype,
      shape.reduce((a, b) => a * b, 1),
    ),
    shape,
  );
  for (let k = 0; k < idx.length; k++) out.select(d, k).copy_(src.select(d, idx[k]!));
  return input.ndim === 0 ? out.view([]) : out;
}

/**
 * A copy of `input` with `alpha · source` slices added at the positions in
 * `index` along `dim` (repeats accumulate), like `torch.index_add`.
 *
 * @example
 * ```ts
 * indexAdd(zeros([3, 2]), 0, tensor([0, 0], undefined, { dtype: 'int32' }), ones([2, 2])).toArray(); // [[2, 2], [0, 0], [0, 0]]
 * ```
 */
export function indexAdd(
  input: Tensor,
  dim: number,
  index: Tensor,
  source: Tensor,
  options: { alpha?: number } = {},
): Tensor {
  return addSlices('indexAdd', input.clone(), dim, index, source, options.alpha ?? 1);
}

/**
 * In-place {@link indexAdd}: adds `alpha · source` slices into `input` at the
 * positions in `index` along `dim` and returns `input`, like `Tensor.index_add_`.
 *
 * @example
 * ```ts
 * const t = zeros([3]);
 * indexAdd_(t, 0, tensor([1, 1], undefined, { dtype: 'int32' }), ones([2])); // t is [0, 2, 0]
 * ```
 */
export function indexAdd_(
  input: Tensor,
  dim: number,
  index: Tensor,
  source: Tensor,
  options: { alpha?: number } = {},
): Tensor {
  checkNoInternalOverlap('indexAdd_', input.shape, input.strides);
  return addSlices('indexAdd_', input, dim, index, source, options.alpha ?? 1);
}

function addSlices(
  op: string,
  out: Tensor,
  dim: number,
  index: Tensor,
  source: Tensor,
  alpha: number,
): Tensor {
  const d = normalizeDim(op, dim, Math.max(out.ndim, 1));
  if (source.dtype !== out.dtype)
    throw new DTypeError(`${op}: source has dtype ${source.dtype}, expected ${out.dtype} like the input`);
  // 0-d input and source count as one element along dimension 0
  const dst = atLeast1d(out);
  const src = atLeast1d(source);
  const size = dst.shape[d]!;
  const idx = vectorIndex(op, index, size, d);
  if (
    src.ndim !== dst.ndim ||
    src.shape[d] !== idx.length ||
    src.shape.some((s, i) => i !== d && s !== dst.shape[i])
  ) {
    throw new ShapeError(
      `${op}: source ${formatShape(source.shape)} must match the input ${formatShape(out.shape)} except in dimension ${d}, which must equal the index length ${idx.length}`,
    );
  }
  for (let k = 0; k < idx.length; k++) dst.select(d, idx[k]!).add_(src.select(d, k), { alpha });
  return out;
}

/**
 * One-hot encoding of int32 class indices: shape `[...indices.shape, numClasses]`,
 * int32 (`numClasses` −1 means max index + 1, which an empty tensor cannot give), like
 * `torch.nn.functional.one_hot`.
 *
 * @example
 * ```ts
 * oneHot(tensor([0, 2], undefined, { dtype: 'int32' }), 3).toArray(); // [[1, 0, 0], [0, 0, 1]]
 * ```
 */
export function oneHot(indices: Tensor, numClasses = -1): Tensor {
  const idx = checkIndex('oneHot', indices);
  let c = numClasses;
  if (c === -1) {
    if (idx.length === 0)
      throw new ShapeError(
        `oneHot: cannot infer numClasses from an empty tensor (shape ${formatShape(indices.shape)}); pass numClasses`,
      );
    let top = idx[0]!;
    for (let i = 1; i < idx.length; i++) if (idx[i]! > top) top = idx[i]!;
    c = top + 1;
  }
  if (!Number.isInteger(c) || c < 0)
    throw new ShapeError(`oneHot: numClasses must be -1 or a non-negative integer; got ${numClasses}`);
  const out = new Int32Array(idx.length * c);
  for (let i = 0; i < idx.length; i++) {
    const k = idx[i]!;
    if (k < 0 || k >= c) throw new IndexError(`oneHot: class values must be in [0, ${c}); got ${k}`);
    out[i * c + k] = 1;
  }
  return new Tensor(out, [...indices.shape, c]);
}
