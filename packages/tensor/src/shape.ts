import { IndexError, ShapeError } from './errors';

/**
 * Formats a shape the way error messages print it: `[2, 3]`.
 *
 * @example
 * ```ts
 * formatShape([2, 3]); // '[2, 3]'
 * ```
 */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/**
 * Row-major (C-contiguous) strides of a shape.
 *
 * @example
 * ```ts
 * contiguousStrides([2, 3, 4]); // [12, 4, 1]
 * ```
 */
export function contiguousStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

/**
 * Number of elements of a shape (1 for a scalar shape `[]`).
 *
 * @example
 * ```ts
 * shapeNumel([2, 3]); // 6
 * ```
 */
export function shapeNumel(shape: readonly number[]): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i];
  return n;
}

/**
 * Checks that every size is a non-negative integer; `op` names the caller in the error.
 *
 * @example
 * ```ts
 * checkShape('zeros', [2, 3]); // ok
 * ```
 */
export function checkShape(op: string, shape: readonly number[]): void {
  for (let i = 0; i < shape.length; i++) {
    const s = shape[i];
    if (!Number.isInteger(s) || s < 0) {
      throw new ShapeError(
        `${op}: size ${s} at dimension ${i} of shape ${formatShape(shape)} is invalid; expected a non-negative integer`,
      );
    }
  }
}

/**
 * Wraps a possibly negative dimension into `[0, ndim)`, throwing `IndexError` when out of range.
 *
 * @example
 * ```ts
 * normalizeDim('sum', -1, 3); // 2
 * ```
 */
export function normalizeDim(op: string, dim: number, ndim: number): number {
  const n = ndim === 0 ? 1 : ndim;
  if (!Number.isInteger(dim) || dim < -n || dim >= n) {
    throw new IndexError(
      `${op}: dimension ${dim} is out of range; expected an integer in [${-n}, ${n - 1}] for a tensor of ${ndim} dimensions`,
    );
  }
  return dim < 0 ? dim + n : dim;
}

/**
 * The broadcast shape of two shapes, by NumPy/PyTorch rules; `op` names the caller in the error.
 *
 * @example
 * ```ts
 * broadcastShapes('add', [2, 1], [3]); // [2, 3]
 * ```
 */
export function broadcastShapes(op: string, a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = i < n - a.length ? 1 : a[i - (n - a.length)];
    const db = i < n - b.length ? 1 : b[i - (n - b.length)];
    if (da === db || db === 1) out[i] = da;
    else if (da === 1) out[i] = db;
    else {
      throw new ShapeError(
        `${op}: shapes ${formatShape(a)} and ${formatShape(b)} cannot be broadcast (dimension ${i - n}: ${da} vs ${db})`,
      );
    }
  }
  return out;
}

/**
 * Strides that read a tensor of `shape`/`strides` as if it had the (broadcast) shape `target`: broadcast
 * dimensions get stride 0. Returns `null` when `shape` does not broadcast to `target`.
 *
 * @example
 * ```ts
 * broadcastStridesTo([3], [1], [2, 3]); // [0, 1]
 * ```
 */
export function broadcastStridesTo(
  shape: readonly number[],
  strides: readonly number[],
  target: readonly number[],
): number[] | null {
  const n = target.length;
  const lead = n - shape.length;
  if (lead < 0) return null;
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    if (i < lead) out[i] = 0;
    else {
      const s = shape[i - lead];
      if (s === target[i]) out[i] = s === 1 ? 0 : strides[i - lead];
      else if (s === 1) out[i] = 0;
      else return null;
    }
  }
  return out;
}

/**
 * Strides of a view of `shape`/`strides` with the new shape `newShape` that shares storage, or `null`
 * when no such strides exist (a dimension of the view spans two non-contiguous chunks). Same rule as
 * PyTorch's `computeStride`.
 *
 * @example
 * ```ts
 * viewStrides([2, 3], [3, 1], [6]); // [1]
 * viewStrides([2, 3], [1, 2], [6]); // null (a transpose)
 * ```
 */
export function viewStrides(
  shape: readonly number[],
  strides: readonly number[],
  newShape: readonly number[],
): number[] | null {
  if (shape.length === 0 || shapeNumel(shape) === 0) return contiguousStrides(newShape);
  const out = new Array<number>(newShape.length);
  let viewD = newShape.length - 1;
  let chunkBase = strides[strides.length - 1];
  let tensorNumel = 1;
  let viewNumel = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    tensorNumel *= shape[d];
    if (d === 0 || (shape[d - 1] !== 1 && strides[d - 1] !== tensorNumel * chunkBase)) {
      while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] === 1)) {
        out[viewD] = viewNumel * chunkBase;
        viewNumel *= newShape[viewD];
        viewD--;
      }
      if (viewNumel !== tensorNumel) return null;
      if (d > 0) {
        chunkBase = strides[d - 1];
        tensorNumel = 1;
        viewNumel = 1;
      }
    }
  }
  if (viewD !== -1) return null;
  return out;
}

/**
 * Throws a `ShapeError` when `shape`/`strides` make several elements share one storage location (a
 * dimension of size > 1 with stride 0, as `expand` makes): an in-place write there would land on the
 * same element several times, so PyTorch refuses it ("more than one element of the written-to tensor
 * refers to a single memory location"), and so do we. `op` names the caller in the error.
 *
 * @example
 * ```ts
 * checkNoInternalOverlap('add_', [2, 3], [3, 1]); // ok
 * checkNoInternalOverlap('add_', [2, 3], [0, 1]); // ShapeError
 * ```
 */
export function checkNoInternalOverlap(
  op: string,
  shape: readonly number[],
  strides: readonly number[],
): void {
  for (let i = 0; i < shape.length; i++) {
    if (strides[i] === 0 && shape[i]! > 1) {
      throw new ShapeError(
        `${op}: more than one element of the written-to tensor (shape ${formatShape(shape)}, strides ${formatShape(strides)}) refers to a single memory location, as after expand; clone() it before writing in place`,
      );
    }
  }
}
