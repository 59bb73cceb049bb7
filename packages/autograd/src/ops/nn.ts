/**
 * The neural-network primitives with their derivatives: convolution,
 * pooling, softmax, GELU, embedding lookup and dropout.
 */
import {
  type AvgPool2dOptions,
  adaptiveAvgPool2dBackward,
  adaptiveAvgPool2d as adaptiveAvgPool2dT,
  avgPool2dBackward,
  avgPool2d as avgPool2dT,
  type Conv2dOptions,
  conv2dBackwardInput,
  conv2dBackwardWeight,
  conv2d as conv2dT,
  defaultGenerator,
  fromTypedArray,
  type Generator,
  type MaxPool2dOptions,
  maxPool2dBackward,
  maxPool2dWithIndices,
  rand,
  ShapeError,
  SparseCooTensor,
  type Tensor,
  zeros,
} from '@opt/tensor';
import { markFresh } from '../fresh';
import type { Variable } from '../variable';
import { asVariable, record, type VarLike } from './record';

/**
 * 2-D convolution of `x` `[N, C, H, W]` (or `[C, H, W]`) with `weight`
 * `[O, C/groups, kH, kW]` and an optional `bias` `[O]`; gradients for all three.
 *
 * @example
 * ```ts
 * const y = conv2d(x, weight, bias, { stride: 1, padding: 2 });
 * ```
 */
export function conv2d(
  x: VarLike,
  weight: VarLike,
  bias?: VarLike | null,
  options: Conv2dOptions = {},
): Variable {
  const xv = asVariable(x);
  const wv = asVariable(weight);
  const bv = bias === undefined || bias === null ? null : asVariable(bias);
  const out = conv2dT(xv.data, wv.data, bv?.data ?? null, options);
  const inputs = bv ? [xv, wv, bv] : [xv, wv];
  return record(
    'ConvolutionBackward0',
    inputs,
    out,
    (g) => {
      const grads: (Tensor | null)[] = [
        xv.requiresGrad ? conv2dBackwardInput(g, wv.data, xv.shape, options) : null,
        wv.requiresGrad ? conv2dBackwardWeight(g, xv.data, wv.shape, options) : null,
      ];
      if (bv) grads.push(bv.requiresGrad ? g.sum(g.ndim === 4 ? [0, 2, 3] : [1, 2]) : null);
      return grads;
    },
    [xv.data, wv.data],
  );
}

/**
 * Max pooling; the gradient goes to the position of each maximum.
 *
 * @example
 * ```ts
 * const y = maxPool2d(x, 2, { stride: 2 });
 * ```
 */
export function maxPool2d(
  x: VarLike,
  kernelSize: number | readonly number[],
  options: MaxPool2dOptions = {},
): Variable {
  const xv = asVariable(x);
  const { output, indices } = maxPool2dWithIndices(xv.data, kernelSize, options);
  return record(
    'MaxPool2DWithIndicesBackward0',
    [xv],
    output,
    // a fresh tensor handed to one consumer: the ReLU before the pooling may reuse it
    (g) => [markFresh(maxPool2dBackward(g, indices, xv.shape))],
    [indices],
  );
}

/**
 * Average pooling; each output gradient is spread evenly over its window.
 *
 * @example
 * ```ts
 * const y = avgPool2d(x, 2);
 * ```
 */
export function avgPool2d(
  x: VarLike,
  kernelSize: number | readonly number[],
  options: AvgPool2dOptions = {},
): Variable {
  const xv = asVariable(x);
  return record('AvgPool2DBackward0', [xv], avgPool2dT(xv.data, kernelSize, options), (g) => [
    avgPool2dBackward(g, xv.shape, kernelSize, options),
  ]);
}

/**
 * Adaptive average pooling to `outputSize`.
 *
 * @example
 * ```ts
 * const y = adaptiveAvgPool2d(x, 1); // global average pool
 * ```
 */
export function adaptiveAvgPool2d(x: VarLike, outputSize: number | readonly (number | null)[]): Variable {
  const xv = asVariable(x);
  return record('AdaptiveAvgPool2DBackward0', [xv], adaptiveAvgPool2dT(xv.data, outputSize), (g) => [
    adaptiveAvgPool2dBackward(g, xv.shape),
  ]);
}

/** Softmax along `dim`: dx = s ⊙ (g − Σ g ⊙ s). */
export function softmax(a: Variable, dim: number): Variable {
  const out = a.data.softmax(dim);
  return record(
    'SoftmaxBackward0',
    [a],
    out,
    (g) => [out.mul(g.sub(g.mul(out).sum(dim, { keepdim: true })))],
    [out],
  );
}

/** Log-softmax along `dim`: dx = g − exp(out) ⊙ Σ g. */
export function logSoftmax(a: Variable, dim: number): Variable {
  const out = a.data.logSoftmax(dim);
  return record(
    'LogSoftmaxBackward0',
    [a],
    out,
    (g) => [g.sub(out.exp().mul(g.sum(dim, { keepdim: true })))],
    [out],
  );
}

/** Values along `dim` at `index`; the gradient is scattered back (repeats add). */
export function gather(a: Variable, dim: number, index: Tensor): Variable {
  return record('GatherBackward0', [a], a.data.gather(dim, index), (g) => [
    zeros([...a.shape], { dtype: g.dtype }).scatterAdd(dim, index, g.contiguous()),
  ]);
}

/** Slices along `dim` at `index`; the gradient is index-added back (repeats add). */
export function indexSelect(a: Variable, dim: number, index: Tensor): Variable {
  return record('IndexSelectBackward0', [a], a.data.indexSelect(dim, index), (g) => [
    zeros([...a.shape], { dtype: g.dtype }).indexAdd(dim, index, g),
  ]);
}

/**
 * Options of {@link gelu}.
 *
 * @example
 * ```ts
 * gelu(x, { approximate: 'tanh' });
 * ```
 */
export interface GeluOptions {
  /** `'none'` (exact, with erf; default) or `'tanh'` (the tanh approximation). */
  approximate?: 'none' | 'tanh';
}

/** erf(x) to about 1e-7 absolute (W. J. Cody's rational approximations via erfc). */
function erf(x: number): number {
  // Abramowitz–Stegun 7.1.28 is too coarse; use the Numerical Recipes erfc Chebyshev fit (|ε| < 1.2e-7).
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - r : r - 1;
}

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const INV_SQRT_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/**
 * GELU: `x·Φ(x)` (exact) or `½x(1 + tanh(√(2/π)(x + 0.044715x³)))` (tanh).
 *
 * @example
 * ```ts
 * gelu(x).shape; // x.shape
 * ```
 */
export function gelu(x: VarLike, options: GeluOptions = {}): Variable {
  const xv = asVariable(x);
  const tanh = (options.approximate ?? 'none') === 'tanh';
  const src = xv.data.contiguous().toTypedArray();
  const out = new Float64Array(src.length);
  const deriv = new Float64Array(src.length);
  for (let i = 0; i < src.length; i++) {
    const v = src[i]!;
    if (tanh) {
      const u = SQRT_2_OVER_PI * (v + 0.044715 * v * v * v);
      const th = Math.tanh(u);
      out[i] = 0.5 * v * (1 + th);
      deriv[i] = 0.5 * (1 + th) + 0.5 * v * (1 - th * th) * SQRT_2_OVER_PI * (1 + 3 * 0.044715 * v * v);
    } else {
      const cdf = 0.5 * (1 + erf(v * INV_SQRT_2));
      out[i] = v * cdf;
      deriv[i] = cdf + v * INV_SQRT_2PI * Math.exp(-0.5 * v * v);
    }
  }
  const dtype = xv.dtype;
  const d = fromTypedArray(deriv, [...xv.shape]).to(dtype);
  return record('GeluBackward0', [xv], fromTypedArray(out, [...xv.shape]).to(dtype), (g) => [g.mul(d)]);
}

/**
 * Options of {@link embedding}.
 *
 * @example
 * ```ts
 * embedding(ids, table, { sparse: true });
 * ```
 */
export interface EmbeddingOptions {
  /** Produce the weight gradient as a `SparseCooTensor` (rows touched only), for `SparseAdam` (default false). */
  sparse?: boolean;
}

/**
 * Row lookup: `weight[indices]`, shape `[...indices.shape, D]`. The weight's
 * gradient adds each output row's gradient into its row (dense), or lists
 * them uncoalesced as a `SparseCooTensor` with `sparse: true`, like PyTorch.
 *
 * @example
 * ```ts
 * const vectors = embedding(tensor([[1, 3]], undefined, { dtype: 'int32' }), table); // [1, 2, D]
 * ```
 */
export function embedding(indices: Tensor, weight: Variable, options: EmbeddingOptions = {}): Variable {
  if (weight.ndim !== 2)
    throw new ShapeError(`embedding: weight must be 2-D [num, dim]; got ${weight.ndim}-D`);
  const flat = indices.reshape([-1]);
  const dim = weight.shape[1]!;
  const rows = weight.data.indexSelect(0, flat);
  return record('EmbeddingBackward0', [weight], rows.reshape([...indices.shape, dim]), (g) => {
    const g2 = g.reshape([-1, dim]);
    if (options.sparse)
      return [new SparseCooTensor(flat.reshape([1, -1]), g2.contiguous(), [...weight.shape])];
    return [zeros([...weight.shape], { dtype: g.dtype }).indexAdd(0, flat, g2)];
  });
}

/**
 * Options of {@link dropout}.
 *
 * @example
 * ```ts
 * dropout(x, 0.5, { training: true, generator: new Generator(1) });
 * ```
 */
export interface DropoutOptions {
  /** Apply the mask (default true); false is the identity. */
  training?: boolean;
  /** The generator masks are drawn from (default: the global one). */
  generator?: Generator;
}

/**
 * Zeroes each element with probability `p` and scales the rest by `1/(1−p)`.
 *
 * @example
 * ```ts
 * const y = dropout(x, 0.25, { generator });
 * ```
 */
export function dropout(x: VarLike, p: number, options: DropoutOptions = {}): Variable {
  const xv = asVariable(x);
  if (!(p >= 0 && p <= 1))
    throw new ShapeError(`dropout: probability has to be between 0 and 1, but got ${p}`);
  if (!(options.training ?? true) || p === 0) return xv;
  const u = rand([...xv.shape], { dtype: xv.dtype, generator: options.generator ?? defaultGenerator });
  const mask =
    p === 1
      ? u.mul(0)
      : u
          .ge(p)
          .to(xv.dtype)
          .mul(1 / (1 - p));
  return record('MulBackward0', [xv], xv.data.mul(mask), (g) => [g.mul(mask)]);
}
