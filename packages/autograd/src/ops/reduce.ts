/**
 * Reductions and their derivatives: the output gradient is put back into
 * the input's shape (reduced dims re-inserted, then expanded) and scaled.
 */
import {
  arange,
  fromTypedArray,
  normalizeDim,
  type ReduceOptions,
  ShapeError,
  type Tensor,
  type VarOptions,
  where as whereT,
  zerosLike,
} from '@opt/tensor';
import type { Variable } from '../variable';
import { record } from './record';

/** `{ values, indices }` of `max`/`min` over one dimension, with differentiable values. */
export interface VariableValuesIndices {
  /** The extreme values, differentiable. */
  values: Variable;
  /** Their positions along the dimension (int32). */
  indices: Tensor;
}

interface Parsed {
  dims: number[];
  keepdim: boolean;
}

function parse(
  op: string,
  ndim: number,
  dim: number | number[] | ReduceOptions | undefined,
  options: ReduceOptions | undefined,
): Parsed {
  let d: number | number[] | undefined;
  let keepdim = false;
  if (typeof dim === 'object' && !Array.isArray(dim)) {
    d = dim.dim;
    keepdim = dim.keepdim ?? false;
  } else {
    d = dim;
    keepdim = options?.keepdim ?? false;
  }
  if (d === undefined) return { dims: [...Array(ndim).keys()], keepdim };
  const list = typeof d === 'number' ? [d] : d;
  const dims = list.map((x) => normalizeDim(op, x, Math.max(ndim, 1))).filter((x) => x < ndim);
  if (new Set(dims).size !== dims.length)
    throw new ShapeError(`${op}: dim ${JSON.stringify(d)} repeats a dimension`);
  return { dims: dims.sort((x, y) => x - y), keepdim };
}

/** The output gradient back in the input's shape (broadcast over the reduced dims). */
function expandBack(g: Tensor, shape: readonly number[], p: Parsed): Tensor {
  const kept = shape.map((s, i) => (p.dims.includes(i) ? 1 : s));
  return g.reshape(kept).expand([...shape]);
}

function count(shape: readonly number[], p: Parsed): number {
  return p.dims.reduce((n, d) => n * shape[d]!, 1);
}

/** Sum: every input element gets the gradient of its sum. */
export function sum(a: Variable, dim?: number | number[] | ReduceOptions, options?: ReduceOptions): Variable {
  const p = parse('sum', a.ndim, dim, options);
  return record('SumBackward1', [a], a.data.sum(dim, options), (g) => [expandBack(g, a.shape, p)]);
}

/** Mean: the gradient of the mean, divided by the number of elements reduced. */
export function mean(
  a: Variable,
  dim?: number | number[] | ReduceOptions,
  options?: ReduceOptions,
): Variable {
  const p = parse('mean', a.ndim, dim, options);
  const n = count(a.shape, p);
  return record('MeanBackward1', [a], a.data.mean(dim, options), (g) => [expandBack(g, a.shape, p).div(n)]);
}

/** Product: d/dxᵢ = ∏_{j≠i} xⱼ, computed exactly (also with zeros) from prefix and suffix products. */
export function prod(
  a: Variable,
  dim?: number | number[] | ReduceOptions,
  options?: ReduceOptions,
): Variable {
  const p = parse('prod', a.ndim, dim, options);
  const noDim =
    dim === undefined || (typeof dim === 'object' && !Array.isArray(dim) && dim.dim === undefined);
  return record(
    'ProdBackward1',
    [a],
    a.data.prod(dim, options),
    (g) => {
      // PyTorch's prod_backward without a dim returns zeros_like(x) (+0) for two or more zeros;
      // along a dim it keeps the products of the others (signed zeros), as othersProduct does
      if (noDim && a.data.eq(0).to('int32').sum().item() >= 2) return [zerosLike(a.data)];
      return [expandBack(g, a.shape, p).mul(othersProduct(a.data, p.dims))];
    },
    [a.data],
  );
}

/** For each element, the product of the other elements of its reduction group. */
function othersProduct(x: Tensor, dims: number[]): Tensor {
  const keep = [...x.shape.keys()].filter((d) => !dims.includes(d));
  const order = [...keep, ...dims];
  const moved = x.permute(order).contiguous();
  const k = dims.reduce((n, d) => n * x.shape[d]!, 1);
  const rows = k === 0 ? 0 : moved.numel / k;
  const src = moved.toTypedArray();
  const out = new Float64Array(src.length);
  for (let r = 0; r < rows; r++) {
    const base = r * k;
    let acc = 1;
    for (let j = 0; j < k; j++) {
      out[base + j] = acc;
      acc *= src[base + j]!;
    }
    acc = 1;
    for (let j = k - 1; j >= 0; j--) {
      out[base + j]! *= acc;
      acc *= src[base + j]!;
    }
  }
  const inverse = order.map((_, i) => order.indexOf(i));
  return fromTypedArray(out, moved.shape).to(x.dtype).permute(inverse);
}

/** Variance: d/dxᵢ = 2(xᵢ − x̄)/(N − correction). */
export function variance(a: Variable, dim?: number | number[] | VarOptions, options?: VarOptions): Variable {
  const p = parse('var', a.ndim, dim, options);
  const correction =
    (typeof dim === 'object' && !Array.isArray(dim) ? dim.correction : options?.correction) ?? 1;
  const n = count(a.shape, p);
  return record(
    'VarBackward0',
    [a],
    a.data.var(dim, options),
    (g) => {
      const centered = a.data.sub(a.data.mean(p.dims, { keepdim: true }));
      // PyTorch's var_backward order, (2/(N − correction))·g·(x − x̄), so the roundings match
      return [
        expandBack(g, a.shape, p)
          .mul(2 / (n - correction))
          .mul(centered),
      ];
    },
    [a.data],
  );
}

/** Standard deviation: d/dxᵢ = (xᵢ − x̄)/((N − correction)·σ), 0 where σ = 0 (as PyTorch). */
export function std(a: Variable, dim?: number | number[] | VarOptions, options?: VarOptions): Variable {
  const p = parse('std', a.ndim, dim, options);
  const correction =
    (typeof dim === 'object' && !Array.isArray(dim) ? dim.correction : options?.correction) ?? 1;
  const n = count(a.shape, p);
  const out = a.data.std(dim, options);
  return record(
    'StdBackward0',
    [a],
    out,
    (g) => {
      // PyTorch's std_backward: var's gradient of g/(2σ), set to 0 where σ = 0 (g/σ·0 gave NaN there)
      const gVar = whereT(out.eq(0), 0, g.div(out.mul(2)));
      const centered = a.data.sub(a.data.mean(p.dims, { keepdim: true }));
      return [
        expandBack(gVar, a.shape, p)
          .mul(2 / (n - correction))
          .mul(centered),
      ];
    },
    [a.data, out],
  );
}

/**
 * p-norm: d/dxᵢ = xᵢ|xᵢ|^(p−2)/‖x‖^(p−1) (p = 2: x/‖x‖; p = 1: sign x;
 * p = ∞: sign x shared evenly among the largest |xᵢ|), with PyTorch's norm_backward formulas so
 * that zero norms and NaNs give PyTorch's values: where the norm is 0 the factor that divides by it
 * is +0 (so the gradient is ±0 by the signs of x and g), and sign(NaN) counts as 0.
 */
export function norm(
  a: Variable,
  pNorm: number | 'fro' = 2,
  dim?: number | number[] | ReduceOptions,
  keepdim?: boolean,
): Variable {
  const pp = pNorm === 'fro' ? 2 : pNorm;
  const opts = typeof dim === 'number' || Array.isArray(dim) ? { keepdim: keepdim ?? false } : undefined;
  const p = parse('norm', a.ndim, dim, opts);
  const out = a.data.norm(pNorm, dim, keepdim);
  return record(
    'NormBackward1',
    [a],
    out,
    (g) => {
      const x = a.data;
      const nrm = expandBack(out, a.shape, p);
      const ge = expandBack(g, a.shape, p);
      const zero = nrm.eq(0);
      // PyTorch's sgn: its CPU sign kernel (0 < x) − (x < 0) gives 0 at NaN
      const sgn = whereT(x.ne(x), 0, x.sign());
      if (pp === 1) return [sgn.mul(ge)];
      if (pp === 2) return [ge.mul(whereT(zero, 0, x.div(nrm)))];
      if (pp === Number.POSITIVE_INFINITY) {
        // the largest |xᵢ|, or NaN, share the gradient
        const abs = x.abs();
        const isMax = abs.eq(nrm).logicalOr(abs.ne(abs)).to(x.dtype);
        const ties = expandBack(isMax.sum(p.dims, { keepdim: true }), a.shape, {
          dims: p.dims,
          keepdim: true,
        });
        return [sgn.mul(ge.div(ties).mul(isMax))];
      }
      if (pp > 1) {
        const scaled = pp < 2 ? sgn.mul(x.abs().pow(pp - 1)) : x.mul(x.abs().pow(pp - 2));
        return [scaled.mul(whereT(zero, 0, ge.div(nrm.pow(pp - 1))))];
      }
      const local = x.mul(x.abs().pow(pp - 2)).div(nrm.pow(pp - 1));
      return [whereT(zero, 0, ge.mul(local))];
    },
    [a.data, out],
  );
}

/**
 * `max`/`min` over all elements: the gradient is shared evenly among the elements equal to the
 * result (among the NaNs when the result is NaN), +0 elsewhere, as PyTorch's evenly_distribute_backward.
 */
export function extremeAll(a: Variable, isMax: boolean): Variable {
  const out = isMax ? (a.data.max() as Tensor) : (a.data.min() as Tensor);
  return record(
    isMax ? 'MaxBackward1' : 'MinBackward1',
    [a],
    out,
    (g) => {
      // NaN ≠ NaN, so a NaN result selects the NaNs; masked_fill, not mask·g (−0 for a negative g)
      const mask = Number.isNaN(out.item()) ? a.data.ne(a.data) : a.data.eq(out);
      return [whereT(mask, g.div(mask.to(g.dtype).sum()), 0)];
    },
    [a.data, out],
  );
}

/** `max`/`min` over one dim: the gradient goes to the position recorded in `indices`, +0 elsewhere. */
export function extremeDim(
  a: Variable,
  isMax: boolean,
  dim: number | ReduceOptions,
  options?: ReduceOptions,
): VariableValuesIndices {
  const r = isMax ? a.data.max(dim as number, options) : a.data.min(dim as number, options);
  const p = parse(isMax ? 'max' : 'min', a.ndim, dim, options);
  const d = p.dims[0]!;
  const values = record(
    isMax ? 'MaxBackward0' : 'MinBackward0',
    [a],
    r.values,
    (g) => {
      const kept = a.shape.map((s, i) => (i === d ? 1 : s));
      const idx = r.indices.reshape(kept);
      const positions = arange(a.shape[d]!, undefined, 1, { dtype: 'int32' }).reshape(
        a.shape.map((s, i) => (i === d ? s : 1)),
      );
      // scattered into zeros as PyTorch's value_selecting_reduction_backward: +0 off the index (hit·g gave −0 for a negative g)
      return [whereT(positions.eq(idx), g.reshape(kept), 0)];
    },
    [r.indices],
  );
  return { values, indices: r.indices };
}
