/**
 * The differentiable computations behind the layers and losses, composed
 * from @opt/autograd's operations. Internal: the public API is the modules.
 */
import * as AG from '@opt/autograd';
import { Variable } from '@opt/autograd';
import { defaultGenerator, fromTypedArray, type Generator, Tensor } from '@opt/tensor';
import { formatShape, NnInputError } from './errors';
import type { Reduction } from './losses/loss';

/** A Variable (differentiable) or a plain Tensor (a constant). */
export type VarLike = Variable | Tensor;

/** Wraps a constant tensor as a Variable that needs no gradient. */
export function asVar(x: VarLike): Variable {
  return x instanceof Tensor ? new Variable(x) : x;
}

function dataOf(x: VarLike): Tensor {
  return x instanceof Tensor ? x : x.data;
}

// ----------------------------------------------------------------- layers

export function linear(x: Variable, weight: Variable, bias: Variable | null): Variable {
  const y = x.matmul(weight.t());
  return bias === null ? y : y.add(bias);
}

export interface Conv2dArgs {
  stride: [number, number];
  padding: [number, number, number, number];
  dilation: [number, number];
  groups: number;
}

export function conv2d(x: Variable, weight: Variable, bias: Variable | null, a: Conv2dArgs): Variable {
  const [top, bottom, left, right] = a.padding;
  // Asymmetric padding ('same' with an even effective kernel): pad by the larger
  // amount on both sides, then drop the extra leading rows/columns of the output.
  const ph = Math.max(top, bottom);
  const pw = Math.max(left, right);
  let y = AG.conv2d(x, weight, bias ?? undefined, {
    stride: a.stride,
    padding: [ph, pw],
    dilation: a.dilation,
    groups: a.groups,
  });
  if (top !== bottom) y = y.narrow(2, ph - top, y.shape[2]! - Math.abs(bottom - top));
  if (left !== right) y = y.narrow(3, pw - left, y.shape[3]! - Math.abs(right - left));
  return y;
}

export function leakyRelu(x: Variable, slope: number): Variable {
  // PyTorch's leaky_relu: x > 0 ? x : slope·x, with the gradient x > 0 ? g : slope·g, so at
  // x = 0 (and for NaN) the gradient is slope·g; a relu(x) − slope·relu(−x) form would give 0 there
  return AG.where(x.data.gt(0), x, x.mul(slope));
}

export function gelu(x: Variable, approximate: 'none' | 'tanh'): Variable {
  return AG.gelu(x, { approximate });
}

export function softmax(x: Variable, dim: number): Variable {
  return x.softmax(dim);
}

export function logSoftmax(x: Variable, dim: number): Variable {
  return x.logSoftmax(dim);
}

export function flatten(x: Variable, startDim: number, endDim: number): Variable {
  return x.flatten(startDim, endDim);
}

export function dropout(
  x: Variable,
  p: number,
  maskShape: readonly number[],
  generator?: Generator,
): Variable {
  const g = generator ?? defaultGenerator;
  const n = maskShape.reduce((a, b) => a * b, 1);
  const keep = 1 - p;
  const scale = keep === 0 ? 0 : 1 / keep;
  const mask = new Float32Array(n);
  for (let i = 0; i < n; i++) mask[i] = g.random() < keep ? scale : 0;
  return x.mul(new Variable(fromTypedArray(mask, [...maskShape]).to(x.data.dtype)));
}

export function embedding(indices: Tensor, weight: Variable, sparse: boolean): Variable {
  return AG.embedding(indices, weight, { sparse });
}

export interface BatchNormArgs {
  runningMean: Tensor | null;
  runningVar: Tensor | null;
  weight: Variable | null;
  bias: Variable | null;
  useBatchStats: boolean;
  momentum: number;
  eps: number;
}

/** Batch norm over dim 1 of `[N, C, …]`. */
export function batchNorm(x: Variable, a: BatchNormArgs): Variable {
  const s = x.shape;
  const c = s[1]!;
  const bshape = s.map((_, i) => (i === 1 ? c : 1));
  const dims = s.map((_, i) => i).filter((i) => i !== 1);
  let mean: Variable;
  let varB: Variable;
  if (a.useBatchStats) {
    mean = x.mean(dims, { keepdim: true });
    const centered = x.sub(mean);
    varB = centered.mul(centered).mean(dims, { keepdim: true });
    if (a.runningMean !== null && a.runningVar !== null && a.momentum > 0) {
      const n = x.numel / c;
      const m = a.momentum;
      const mu = mean.data.reshape([c]);
      const unbiased = varB.data.reshape([c]).mul(n / Math.max(n - 1, 1));
      a.runningMean.mul_(1 - m).add_(mu.mul(m));
      a.runningVar.mul_(1 - m).add_(unbiased.mul(m));
    }
    const y = centered.div(varB.add(a.eps).sqrt());
    return affine(y, a.weight, a.bias, bshape);
  }
  mean = new Variable(a.runningMean!.reshape(bshape));
  varB = new Variable(a.runningVar!.reshape(bshape));
  const y = x.sub(mean).div(varB.add(a.eps).sqrt());
  return affine(y, a.weight, a.bias, bshape);
}

function affine(y: Variable, weight: Variable | null, bias: Variable | null, bshape: number[]): Variable {
  let out = y;
  if (weight !== null) out = out.mul(weight.view(...bshape));
  if (bias !== null) out = out.add(bias.view(...bshape));
  return out;
}

/** Layer norm over the last `k` dimensions. */
export function layerNorm(
  x: Variable,
  k: number,
  weight: Variable | null,
  bias: Variable | null,
  eps: number,
): Variable {
  const s = x.shape;
  const dims = Array.from({ length: k }, (_, i) => s.length - k + i);
  const mean = x.mean(dims, { keepdim: true });
  const centered = x.sub(mean);
  const v = centered.mul(centered).mean(dims, { keepdim: true });
  let y = centered.div(v.add(eps).sqrt());
  if (weight !== null) y = y.mul(weight);
  if (bias !== null) y = y.add(bias);
  return y;
}

// ----------------------------------------------------------------- losses

function reduce<T extends Variable | Tensor>(loss: T, reduction: Reduction): T {
  if (reduction === 'none') return loss;
  return (reduction === 'sum' ? loss.sum() : loss.mean()) as T;
}

function checkSameShape(where: string, input: Variable, target: VarLike): void {
  const a = input.shape;
  const b = dataOf(target).shape;
  if (a.length !== b.length || a.some((d, i) => d !== b[i])) {
    throw new NnInputError(
      `${where}: target shape ${formatShape(b)} does not match input shape ${formatShape(a)}`,
    );
  }
}

export interface ClassLossArgs {
  weight: Tensor | null;
  ignoreIndex: number;
  labelSmoothing: number;
  reduction: Reduction;
  where: string;
}

/** What {@link classTargets} gathers from a class-index target. */
interface ClassTargets {
  index: Tensor;
  ignored: Tensor;
  wy: Tensor;
  w: Tensor | null;
  denom: number;
  n: number;
  c: number;
}

/**
 * Checks a class-index target and gathers what PyTorch's nll_loss uses: each sample's class (0 where
 * ignored, only to gather something), a mask of the ignored samples, each sample's class weight (0
 * where ignored) and the 'mean' denominator (the sum of those weights).
 */
function classTargets(input: Variable, target: VarLike, a: ClassLossArgs): ClassTargets {
  const shape = input.shape;
  if (shape.length !== 2 && shape.length !== 1) {
    throw new NnInputError(`${a.where}: expected input [N, C] or [C], got ${formatShape(shape)}`);
  }
  const t = dataOf(target);
  if (t.dtype !== 'int32') {
    throw new NnInputError(`${a.where}: expected int32 class indices as target, got dtype ${t.dtype}`);
  }
  const n = shape.length === 2 ? shape[0]! : 1;
  const c = shape[shape.length - 1]!;
  const expected = shape.length === 2 ? [n] : [];
  if (t.shape.length !== expected.length || (expected.length === 1 && t.shape[0] !== n)) {
    throw new NnInputError(
      `${a.where}: expected target of shape ${formatShape(expected)} for input ${formatShape(shape)}, got ${formatShape(t.shape)}`,
    );
  }
  let w: ArrayLike<number> | null = null;
  if (a.weight !== null) {
    if (a.weight.shape.length !== 1 || a.weight.shape[0] !== c) {
      throw new NnInputError(`${a.where}: weight must have shape [${c}], got ${formatShape(a.weight.shape)}`);
    }
    w = a.weight.toTypedArray() as ArrayLike<number>;
  }
  const labels = t.toTypedArray() as Int32Array;
  const index = new Int32Array(n);
  const ignored = new Int32Array(n);
  const wy = new Float32Array(n);
  let denom = 0;
  for (let i = 0; i < n; i++) {
    const y = labels[i]!;
    if (y === a.ignoreIndex) {
      ignored[i] = 1;
      continue;
    }
    if (!(y >= 0 && y < c)) {
      throw new NnInputError(
        `${a.where}: target[${i}] = ${y} is out of range for ${c} classes (expected 0 ≤ target < ${c} or ignoreIndex ${a.ignoreIndex})`,
      );
    }
    index[i] = y;
    wy[i] = w === null ? 1 : w[y]!;
    denom += wy[i]!;
  }
  return {
    index: fromTypedArray(index, [n, 1]),
    ignored: fromTypedArray(ignored, [n]),
    wy: fromTypedArray(wy, [n]),
    w: a.weight,
    denom,
    n,
    c,
  };
}

/**
 * PyTorch's nll_loss (plus cross_entropy's label-smoothing term): the loss of sample i is
 * −w[y]·logp[i, y], exactly 0 where ignored; with ε > 0, (1 − ε)·that + (ε/C)·(−Σ_c w[c]·logp[i, c]).
 * The target's log-probability is gathered (and ignored samples masked) rather than multiplied by a
 * one-hot coefficient, so −∞ elsewhere in a row (or in an ignored row) stays out of the loss and its
 * gradient, as in ATen (0·(−∞) gave NaN).
 */
function classLoss(logp: Variable, targets: ClassTargets, a: ClassLossArgs, input: Variable): Variable {
  const { index, ignored, wy, w, denom, n, c } = targets;
  const lp = logp.reshape([n, c]);
  const dtype = logp.data.dtype;
  const nll = AG.where(
    ignored,
    0,
    lp
      .gather(1, index)
      .reshape([n])
      .neg()
      .mul(new Variable(wy.to(dtype))),
  );
  const reduceClass = (v: Variable) => {
    if (a.reduction === 'none') return input.shape.length === 2 ? v : v.reshape([]);
    return a.reduction === 'sum' ? v.sum() : v.sum().div(denom);
  };
  const loss = reduceClass(nll);
  const eps = a.labelSmoothing;
  if (!(eps > 0)) return loss;
  const smooth = (w === null ? lp : lp.mul(new Variable(w.to(dtype)))).sum(1).neg();
  return loss.mul(1 - eps).add(reduceClass(AG.where(ignored, 0, smooth)).mul(eps / c));
}

export function crossEntropy(input: Variable, target: VarLike, a: ClassLossArgs): Variable {
  const targets = classTargets(input, target, a); // validated before computing
  return classLoss(input.logSoftmax(-1), targets, a, input);
}

export function nllLoss(input: Variable, target: VarLike, a: ClassLossArgs): Variable {
  return classLoss(input, classTargets(input, target, a), a, input);
}

export function mseLoss(input: Variable, target: VarLike, reduction: Reduction): Variable {
  checkSameShape('MSELoss', input, target);
  const d = input.sub(asVar(target));
  return reduce(d.mul(d), reduction);
}

export function l1Loss(input: Variable, target: VarLike, reduction: Reduction): Variable {
  checkSameShape('L1Loss', input, target);
  return reduce(input.sub(asVar(target)).abs(), reduction);
}

/** `scale · smoothL1_β(d)`; HuberLoss(δ) is scale = β = δ. */
export function smoothL1Loss(
  input: Variable,
  target: VarLike,
  beta: number,
  scale: number,
  reduction: Reduction,
): Variable {
  checkSameShape(scale === 1 ? 'SmoothL1Loss' : 'HuberLoss', input, target);
  const a = input.sub(asVar(target)).abs();
  let loss: Variable;
  if (beta === 0) loss = a;
  else {
    // m = min(|d|, β): 0.5·m²/β + (|d| − m). A clamp rather than |d| − relu(|d| − β), which is
    // ∞ − ∞ = NaN for an infinite difference (PyTorch: loss ∞, gradient ±g).
    const m = a.clamp({ max: beta });
    loss = m
      .mul(m)
      .mul(0.5 / beta)
      .add(a.sub(m));
  }
  return reduce(scale === 1 ? loss : loss.mul(scale), reduction);
}

export function binaryCrossEntropy(
  input: Variable,
  target: VarLike,
  weight: Tensor | null,
  reduction: Reduction,
): Variable {
  checkSameShape('BCELoss', input, target);
  const t = asVar(target);
  const x = input.data;
  const y = t.data;
  // PyTorch clamps each log at −100 (a clamp, not relu(l + 100) − 100, which rounded l to
  // float32's spacing near 100); ATen's (y − 1)·max(log(1 − x), −100) − y·max(log x, −100), so a
  // zero loss is +0
  const clampLog = (v: Tensor) => v.log().clamp({ min: -100 });
  let elementwise = y
    .sub(1)
    .mul(clampLog(x.neg().add(1)))
    .sub(y.mul(clampLog(x)));
  if (weight !== null) elementwise = elementwise.mul(weight);
  const value = reduce(elementwise, reduction);
  // PyTorch's own gradients, not those of the clamped logs (NaN at x = 0 or 1, where a saturated
  // sigmoid puts x): for the input g·(x − y)/max((1 − x)·x, 1e-12), for the target (2.x) −logit(x)·g,
  // each times the weight, and divided by the element count for 'mean'
  const finish = (grad: Tensor) => {
    const weighted = weight === null ? grad : grad.mul(weight);
    return reduction === 'mean' ? weighted.div(x.numel) : weighted;
  };
  return AG.customOp(
    'BinaryCrossEntropyBackward0',
    [input, t],
    value,
    (g) => [
      input.requiresGrad
        ? finish(g.mul(x.sub(y)).div(x.neg().add(1).mul(x).clamp({ min: BCE_EPSILON })))
        : null,
      t.requiresGrad ? finish(x.div(x.neg().add(1)).log().neg().mul(g)) : null,
    ],
    weight === null ? [x, y] : [x, y, weight],
  );
}

/** ATen's floor under x(1 − x) in BCELoss's gradient, as a float32. */
const BCE_EPSILON = Math.fround(1e-12);

export function binaryCrossEntropyWithLogits(
  input: Variable,
  target: VarLike,
  weight: Tensor | null,
  posWeight: Tensor | null,
  reduction: Reduction,
): Variable {
  checkSameShape('BCEWithLogitsLoss', input, target);
  const t = asVar(target);
  // softplus(−x) = log(1 + e^(−|x|)) + max(−x, 0), stable for any x. max(−x, 0) is written
  // (|x| − x)/2 so that at x = 0 its gradient is −1/2 (sign(0) = 0): with relu(−x) both kinks gave 0
  // there, and the gradient was 1 − y instead of PyTorch's sigmoid(0) − y = 1/2 − y.
  const softplusNeg = input
    .abs()
    .neg()
    .exp()
    .add(1)
    .log()
    .add(input.abs().mul(0.5).sub(input.mul(0.5)));
  const lw = posWeight === null ? null : t.mul(new Variable(posWeight).sub(1)).add(1);
  let loss = t
    .neg()
    .add(1)
    .mul(input)
    .add(lw === null ? softplusNeg : lw.mul(softplusNeg));
  if (weight !== null) loss = loss.mul(new Variable(weight));
  return reduce(loss, reduction);
}
