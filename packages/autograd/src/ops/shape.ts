/**
 * Views and joins and their derivatives: a view's gradient is the output
 * gradient put back through the inverse view; a slice's gradient is zero
 * outside the slice.
 */
import { cat as catT, normalizeDim, stack as stackT, type Tensor, zeros } from '@opt/tensor';
import type { Variable } from '../variable';
import { asVariable, record, type VarLike } from './record';

type Sizes = (number | readonly number[])[];

/** `view`: same elements, new shape (the storage is shared, so the input must be viewable). */
export function view(a: Variable, ...shape: Sizes): Variable {
  return record('ViewBackward0', [a], a.data.view(...shape), (g) => [g.reshape([...a.shape])]);
}

/** `reshape`: a view when possible, else a copy. */
export function reshape(a: Variable, ...shape: Sizes): Variable {
  return record('ReshapeAliasBackward0', [a], a.data.reshape(...shape), (g) => [g.reshape([...a.shape])]);
}

/** Swaps two dimensions. */
export function transpose(a: Variable, dim0: number, dim1: number): Variable {
  return record('TransposeBackward0', [a], a.data.transpose(dim0, dim1), (g) => [g.transpose(dim0, dim1)]);
}

/** Reorders the dimensions; the gradient goes through the inverse permutation. */
export function permute(a: Variable, ...dims: (number | readonly number[])[]): Variable {
  const flat = dims.flat() as number[];
  const order = flat.map((d) => normalizeDim('permute', d, a.ndim));
  const inverse = order.map((_, i) => order.indexOf(i));
  return record('PermuteBackward0', [a], a.data.permute(order), (g) => [g.permute(inverse)]);
}

/** Broadcasts to a larger shape; the gradient is summed back (by the graph node). */
export function expand(a: Variable, ...sizes: Sizes): Variable {
  return record('ExpandBackward0', [a], a.data.expand(...sizes), (g) => [g]);
}

/** Removes size-1 dimensions. */
export function squeeze(a: Variable, dim?: number | number[]): Variable {
  return record('SqueezeBackward0', [a], a.data.squeeze(dim), (g) => [g.reshape([...a.shape])]);
}

/** Inserts a size-1 dimension. */
export function unsqueeze(a: Variable, dim: number): Variable {
  return record('UnsqueezeBackward0', [a], a.data.unsqueeze(dim), (g) => [g.reshape([...a.shape])]);
}

/** Merges dimensions `startDim..endDim`. */
export function flatten(a: Variable, startDim = 0, endDim = -1): Variable {
  return record('FlattenBackward0', [a], a.data.flatten(startDim, endDim), (g) => [g.reshape([...a.shape])]);
}

/** A contiguous copy (or the input itself). */
export function contiguous(a: Variable): Variable {
  if (a.data.isContiguous()) return a;
  return record('CloneBackward0', [a], a.data.contiguous(), (g) => [g]);
}

/** The gradient of a sub-view: zeros, with `g` written into the same sub-view. */
function intoSlice(g: Tensor, a: Variable, take: (t: Tensor) => Tensor): Tensor {
  const full = zeros([...a.shape], { dtype: g.dtype });
  take(full).copy_(g);
  return full;
}

/** `length` elements of `dim` from `start` (a view). */
export function narrow(a: Variable, dim: number, start: number, length: number): Variable {
  const take = (t: Tensor) => t.narrow(dim, start, length);
  return record('NarrowBackward0', [a], take(a.data), (g) => [intoSlice(g, a, take)]);
}

/** One index of `dim`, removing the dimension (a view). */
export function select(a: Variable, dim: number, index: number): Variable {
  const take = (t: Tensor) => t.select(dim, index);
  return record('SelectBackward0', [a], take(a.data), (g) => [intoSlice(g, a, take)]);
}

/** `start:end:step` along `dim` (a view). */
export function slice(a: Variable, dim: number, start?: number, end?: number, step?: number): Variable {
  const take = (t: Tensor) => t.slice(dim, start, end, step);
  return record('SliceBackward0', [a], take(a.data), (g) => [intoSlice(g, a, take)]);
}

/** Concatenation along `dim`; each input's gradient is its part of the output gradient. */
export function cat(inputs: readonly VarLike[], dim = 0): Variable {
  const vars = inputs.map(asVariable);
  const out = catT(
    vars.map((v) => v.data),
    dim,
  );
  const d = normalizeDim('cat', dim, out.ndim);
  return record('CatBackward0', vars, out, (g) => {
    let at = 0;
    return vars.map((v) => {
      // a 1-d empty input beside inputs of another rank took no part (PyTorch's legacy rule)
      if (v.shape.length === 1 && v.shape[0] === 0 && out.ndim !== 1) return zeros([0], { dtype: g.dtype });
      const n = v.shape[d]!;
      const part = g.narrow(d, at, n);
      at += n;
      return part;
    });
  });
}

/** Stacking along a new `dim`; each input's gradient is its slice of the output gradient. */
export function stack(inputs: readonly VarLike[], dim = 0): Variable {
  const vars = inputs.map(asVariable);
  const out = stackT(
    vars.map((v) => v.data),
    dim,
  );
  const d = normalizeDim('stack', dim, out.ndim);
  return record('StackBackward0', vars, out, (g) => vars.map((_, i) => g.select(d, i)));
}
