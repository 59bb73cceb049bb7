import { getBackend } from '../backend/registry';
import { denseValues } from '../dense';
import { allocate, isFloating } from '../dtype';
import { DTypeError, ShapeError } from '../errors';
import { formatShape } from '../shape';
import { Tensor } from '../tensor';

/**
 * Options of {@link maxPool2d}, as in `torch.nn.functional.max_pool2d`.
 *
 * @example
 * ```ts
 * const opts: MaxPool2dOptions = { stride: 2, padding: 1, dilation: 1, ceilMode: false };
 * ```
 */
export interface MaxPool2dOptions {
  /** Step of the window (default: the kernel size). */
  stride?: number | readonly number[];
  /** Implicit −∞ padding on each side, at most half the kernel (default 0). */
  padding?: number | readonly number[];
  /** Spacing of the window taps (default 1). */
  dilation?: number | readonly number[];
  /** Round the output size up instead of down (default false). */
  ceilMode?: boolean;
}

/**
 * Options of {@link avgPool2d}, as in `torch.nn.functional.avg_pool2d`.
 *
 * @example
 * ```ts
 * const opts: AvgPool2dOptions = { stride: 2, padding: 1, countIncludePad: false };
 * ```
 */
export interface AvgPool2dOptions {
  /** Step of the window (default: the kernel size). */
  stride?: number | readonly number[];
  /** Implicit zero padding on each side, at most half the kernel (default 0). */
  padding?: number | readonly number[];
  /** Round the output size up instead of down (default false). */
  ceilMode?: boolean;
  /** Count the padding zeros in the divisor (default true). */
  countIncludePad?: boolean;
  /** Divide by this instead of the window size. */
  divisorOverride?: number;
}

/**
 * The output of {@link maxPool2dWithIndices}: the maxima and, for each, its
 * flat index `h·W + w` in its input plane (int32), as PyTorch returns them.
 *
 * @example
 * ```ts
 * const { output, indices } = maxPool2dWithIndices(x, 2);
 * ```
 */
export interface PoolWithIndices {
  /** The pooled maxima. */
  output: Tensor;
  /** Where each maximum came from, per plane (int32). */
  indices: Tensor;
}

interface PoolGeometry {
  planes: number;
  h: number;
  w: number;
  kH: number;
  kW: number;
  sH: number;
  sW: number;
  pH: number;
  pW: number;
  dH: number;
  dW: number;
  outH: number;
  outW: number;
  outShape: number[];
}

function pair(
  op: string,
  name: string,
  v: number | readonly number[] | undefined,
  dflt: readonly number[],
  min: number,
): [number, number] {
  const p: readonly number[] =
    v === undefined ? dflt : typeof v === 'number' ? [v, v] : v.length === 1 ? [v[0]!, v[0]!] : v;
  if (p.length !== 2 || !p.every((x) => Number.isInteger(x) && x >= min)) {
    throw new ShapeError(
      `${op}: ${name} must be an integer ≥ ${min} or a pair of them; got ${JSON.stringify(v)}`,
    );
  }
  return [p[0]!, p[1]!];
}

function outSize(size: number, k: number, s: number, p: number, d: number, ceil: boolean): number {
  const span = size + 2 * p - d * (k - 1) - 1;
  let out = (ceil ? Math.ceil(span / s) : Math.floor(span / s)) + 1;
  // with ceil, the last window must start inside the input or the left padding
  if (ceil && (out - 1) * s >= size + p) out--;
  return out;
}

function geometry(
  op: string,
  shape: readonly number[],
  dtype: string,
  kernelSize: number | readonly number[],
  stride: number | readonly number[] | undefined,
  padding: number | readonly number[] | undefined,
  dilation: number | readonly number[] | undefined,
  ceil: boolean,
): PoolGeometry {
  if (!isFloating(dtype as 'float32'))
    throw new DTypeError(`${op}: input must be float32 or float64; got ${dtype}`);
  if (shape.length !== 3 && shape.length !== 4) {
    throw new ShapeError(
      `${op}: expected a 3-D [C, H, W] or 4-D [N, C, H, W] input; got shape ${formatShape(shape)}`,
    );
  }
  const [kH, kW] = pair(op, 'kernel_size', kernelSize, [], 1);
  const [sH, sW] = pair(op, 'stride', stride, [kH, kW], 1);
  const [pH, pW] = pair(op, 'padding', padding, [0, 0], 0);
  const [dH, dW] = pair(op, 'dilation', dilation, [1, 1], 1);
  if (pH > Math.floor(kH / 2) || pW > Math.floor(kW / 2)) {
    throw new ShapeError(
      `${op}: pad should be at most half of effective kernel size; got padding (${pH}, ${pW}) for kernel (${kH}, ${kW})`,
    );
  }
  const h = shape[shape.length - 2]!;
  const w = shape[shape.length - 1]!;
  const outH = outSize(h, kH, sH, pH, dH, ceil);
  const outW = outSize(w, kW, sW, pW, dW, ceil);
  if (outH < 1 || outW < 1) {
    throw new ShapeError(
      `${op}: input ${formatShape(shape)} is too small for kernel (${kH}, ${kW}) with padding (${pH}, ${pW}); output would be ${outH}x${outW}`,
    );
  }
  const planes = shape.reduce((a, b) => a * b, 1) / (h * w);
  return {
    planes,
    h,
    w,
    kH,
    kW,
    sH,
    sW,
    pH,
    pW,
    dH,
    dW,
    outH,
    outW,
    outShape: [...shape.slice(0, -2), outH, outW],
  };
}

/**
 * Max pooling over the last two dimensions, returning the maxima and where
 * they came from (the flat index in each `H × W` plane, int32).
 *
 * @example
 * ```ts
 * const { output, indices } = maxPool2dWithIndices(tensor([[[1, 2], [4, 3]]]), 2);
 * output.toArray(); // [[[4]]]
 * indices.toArray(); // [[[2]]]
 * ```
 */
export function maxPool2dWithIndices(
  input: Tensor,
  kernelSize: number | readonly number[],
  options: MaxPool2dOptions = {},
): PoolWithIndices {
  const g = geometry(
    'maxPool2d',
    input.shape,
    input.dtype,
    kernelSize,
    options.stride,
    options.padding,
    options.dilation,
    options.ceilMode ?? false,
  );
  const x = denseValues(input);
  const out = allocate(input.dtype, g.planes * g.outH * g.outW);
  const idx = new Int32Array(out.length);
  const { h, w, kH, kW, sH, sW, pH, pW, dH, dW, outH, outW } = g;
  const inside =
    pH === 0 && pW === 0 && (outH - 1) * sH + (kH - 1) * dH < h && (outW - 1) * sW + (kW - 1) * dW < w;
  // the unrolled 2×2 path reads adjacent taps: only without dilation (it used to ignore dH, dW)
  const plain2x2 = kH === 2 && kW === 2 && sH === 2 && sW === 2 && dH === 1 && dW === 1;
  if (inside && plain2x2 && x instanceof Float32Array) {
    getBackend().maxPool2x2(x, 0, out as Float32Array, idx, g.planes, h, w, outH, outW);
    return { output: new Tensor(out, g.outShape), indices: new Tensor(idx, g.outShape) };
  }
  if (inside) {
    // every window lies inside the plane: no bounds checks
    let o = 0;
    for (let pl = 0; pl < g.planes; pl++) {
      const base = pl * h * w;
      for (let oh = 0; oh < outH; oh++) {
        for (let ow = 0; ow < outW; ow++, o++) {
          let at = oh * sH * w + ow * sW;
          for (let i = 0; i < kH; i++) {
            const row = (oh * sH + i * dH) * w + ow * sW;
            for (let j = 0; j < kW; j++) {
              const k = row + j * dW;
              const v = x[base + k]!;
              const best = x[base + at]!;
              // branch-free (the comparison is data-dependent and mispredicts): move to k when v is
              // larger, or is the first NaN (NaN wins, as in PyTorch's max pooling)
              const take = +(v > best) | (+Number.isNaN(v) & +!Number.isNaN(best));
              at ^= (at ^ k) & -take;
            }
          }
          out[o] = x[base + at]!;
          idx[o] = at;
        }
      }
    }
    return { output: new Tensor(out, g.outShape), indices: new Tensor(idx, g.outShape) };
  }
  let o = 0;
  for (let pl = 0; pl < g.planes; pl++) {
    const base = pl * h * w;
    for (let oh = 0; oh < outH; oh++) {
      const h0 = oh * sH - pH;
      for (let ow = 0; ow < outW; ow++, o++) {
        const w0 = ow * sW - pW;
        let best = Number.NEGATIVE_INFINITY;
        let at = -1;
        for (let i = 0; i < kH; i++) {
          const ih = h0 + i * dH;
          if (ih < 0 || ih >= h) continue;
          for (let j = 0; j < kW; j++) {
            const iw = w0 + j * dW;
            if (iw < 0 || iw >= w) continue;
            const v = x[base + ih * w + iw]!;
            if (v > best || Number.isNaN(v) || at < 0) {
              best = v;
              at = ih * w + iw;
              if (Number.isNaN(v)) break;
            }
          }
          if (Number.isNaN(best)) break;
        }
        out[o] = best;
        idx[o] = at;
      }
    }
  }
  return { output: new Tensor(out, g.outShape), indices: new Tensor(idx, g.outShape) };
}

/**
 * Max pooling over the last two dimensions of `[N, C, H, W]` or `[C, H, W]`.
 *
 * @example
 * ```ts
 * maxPool2d(randn([8, 6, 28, 28]), 2).shape; // [8, 6, 14, 14]
 * ```
 */
export function maxPool2d(
  input: Tensor,
  kernelSize: number | readonly number[],
  options: MaxPool2dOptions = {},
): Tensor {
  return maxPool2dWithIndices(input, kernelSize, options).output;
}

/**
 * Gradient of max pooling: each output gradient is added at the input
 * position its `indices` entry names.
 *
 * @example
 * ```ts
 * const { output, indices } = maxPool2dWithIndices(x, 2);
 * const gx = maxPool2dBackward(onesLike(output), indices, x.shape);
 * ```
 */
export function maxPool2dBackward(
  gradOutput: Tensor,
  indices: Tensor,
  inputShape: readonly number[],
): Tensor {
  if (gradOutput.numel !== indices.numel) {
    throw new ShapeError(
      `maxPool2dBackward: gradOutput ${formatShape(gradOutput.shape)} and indices ${formatShape(indices.shape)} differ`,
    );
  }
  const h = inputShape[inputShape.length - 2]!;
  const w = inputShape[inputShape.length - 1]!;
  const plane = h * w;
  const outPlane = indices.shape[indices.ndim - 2]! * indices.shape[indices.ndim - 1]!;
  const gy = denseValues(gradOutput);
  const ix = denseValues(indices);
  const gx = allocate(
    gradOutput.dtype,
    inputShape.reduce((a, b) => a * b, 1),
  );
  for (let o = 0; o < gradOutput.numel; o++) {
    const pl = (o / outPlane) | 0;
    gx[pl * plane + ix[o]!]! += gy[o]!;
  }
  return new Tensor(gx, [...inputShape]);
}

/** The clipped window of every output row (or column) and its size counting padding. */
interface AvgWindows {
  lo: Int32Array;
  hi: Int32Array;
  span: Int32Array;
}

function avgWindows(size: number, out: number, k: number, s: number, p: number): AvgWindows {
  const lo = new Int32Array(out);
  const hi = new Int32Array(out);
  const span = new Int32Array(out);
  for (let i = 0; i < out; i++) {
    const start = i * s - p;
    const end = Math.min(start + k, size + p);
    span[i] = end - start;
    lo[i] = Math.max(start, 0);
    hi[i] = Math.min(end, size);
  }
  return { lo, hi, span };
}

function avgSetup(
  op: string,
  shape: readonly number[],
  dtype: string,
  kernelSize: number | readonly number[],
  o: AvgPool2dOptions,
) {
  const g = geometry(op, shape, dtype, kernelSize, o.stride, o.padding, 1, o.ceilMode ?? false);
  if (o.divisorOverride !== undefined && (!Number.isInteger(o.divisorOverride) || o.divisorOverride === 0)) {
    throw new ShapeError(`${op}: divisorOverride must be a non-zero integer; got ${o.divisorOverride}`);
  }
  const rows = avgWindows(g.h, g.outH, g.kH, g.sH, g.pH);
  const cols = avgWindows(g.w, g.outW, g.kW, g.sW, g.pW);
  // divisor of every output cell of a plane
  const divisor = new Float64Array(g.outH * g.outW);
  const countPad = o.countIncludePad ?? true;
  for (let i = 0; i < g.outH; i++) {
    for (let j = 0; j < g.outW; j++) {
      divisor[i * g.outW + j] =
        o.divisorOverride ??
        (countPad
          ? rows.span[i]! * cols.span[j]!
          : (rows.hi[i]! - rows.lo[i]!) * (cols.hi[j]! - cols.lo[j]!));
    }
  }
  return { g, rows, cols, divisor };
}

/**
 * Average pooling over the last two dimensions of `[N, C, H, W]` or `[C, H, W]`.
 *
 * @example
 * ```ts
 * avgPool2d(tensor([[[1, 2], [3, 4]]]), 2).toArray(); // [[[2.5]]]
 * ```
 */
export function avgPool2d(
  input: Tensor,
  kernelSize: number | readonly number[],
  options: AvgPool2dOptions = {},
): Tensor {
  const { g, rows, cols, divisor } = avgSetup('avgPool2d', input.shape, input.dtype, kernelSize, options);
  const x = denseValues(input);
  const out = allocate(input.dtype, g.planes * g.outH * g.outW);
  let o = 0;
  for (let pl = 0; pl < g.planes; pl++) {
    const base = pl * g.h * g.w;
    for (let oh = 0; oh < g.outH; oh++) {
      for (let ow = 0; ow < g.outW; ow++, o++) {
        let s = 0;
        for (let i = rows.lo[oh]!; i < rows.hi[oh]!; i++) {
          for (let j = cols.lo[ow]!; j < cols.hi[ow]!; j++) s += x[base + i * g.w + j]!;
        }
        out[o] = s / divisor[oh * g.outW + ow]!;
      }
    }
  }
  return new Tensor(out, g.outShape);
}

/**
 * Gradient of {@link avgPool2d}: each output gradient is spread evenly over
 * its window (divided by the same divisor as the forward pass).
 *
 * @example
 * ```ts
 * const gx = avgPool2dBackward(gy, x.shape, 2, { stride: 2 });
 * ```
 */
export function avgPool2dBackward(
  gradOutput: Tensor,
  inputShape: readonly number[],
  kernelSize: number | readonly number[],
  options: AvgPool2dOptions = {},
): Tensor {
  const { g, rows, cols, divisor } = avgSetup(
    'avgPool2dBackward',
    inputShape,
    gradOutput.dtype,
    kernelSize,
    options,
  );
  const gy = denseValues(gradOutput);
  const gx = allocate(
    gradOutput.dtype,
    inputShape.reduce((a, b) => a * b, 1),
  );
  let o = 0;
  for (let pl = 0; pl < g.planes; pl++) {
    const base = pl * g.h * g.w;
    for (let oh = 0; oh < g.outH; oh++) {
      for (let ow = 0; ow < g.outW; ow++, o++) {
        const v = gy[o]! / divisor[oh * g.outW + ow]!;
        for (let i = rows.lo[oh]!; i < rows.hi[oh]!; i++) {
          for (let j = cols.lo[ow]!; j < cols.hi[ow]!; j++) gx[base + i * g.w + j]! += v;
        }
      }
    }
  }
  return new Tensor(gx, [...inputShape]);
}

/** The adaptive windows of every output row (or column): ⌊i·n/m⌋ … ⌈(i+1)·n/m⌉ − 1, and their sizes. */
function adaptiveWindows(size: number, out: number): AvgWindows {
  const lo = new Int32Array(out);
  const hi = new Int32Array(out);
  const span = new Int32Array(out);
  for (let i = 0; i < out; i++) {
    lo[i] = Math.floor((i * size) / out);
    hi[i] = Math.ceil(((i + 1) * size) / out);
    span[i] = hi[i]! - lo[i]!;
  }
  return { lo, hi, span };
}

function adaptiveSizes(
  op: string,
  shape: readonly number[],
  outputSize: number | readonly (number | null)[],
): [number, number] {
  const h = shape[shape.length - 2]!;
  const w = shape[shape.length - 1]!;
  const o: readonly (number | null)[] =
    typeof outputSize === 'number' ? [outputSize, outputSize] : outputSize;
  const oh = o[0] ?? h;
  const ow = o[1] ?? w;
  if (o.length !== 2 || !Number.isInteger(oh) || !Number.isInteger(ow) || oh < 1 || ow < 1) {
    throw new ShapeError(
      `${op}: outputSize must be a positive integer or a pair; got ${JSON.stringify(outputSize)}`,
    );
  }
  return [oh, ow];
}

/**
 * Adaptive average pooling: output cell `(i, j)` averages input rows
 * `⌊i·H/oh⌋ … ⌈(i+1)·H/oh⌉ − 1` (and likewise columns), like PyTorch.
 *
 * @example
 * ```ts
 * adaptiveAvgPool2d(randn([2, 16, 5, 5]), 1).shape; // [2, 16, 1, 1]
 * ```
 */
export function adaptiveAvgPool2d(input: Tensor, outputSize: number | readonly (number | null)[]): Tensor {
  if (!isFloating(input.dtype))
    throw new DTypeError(`adaptiveAvgPool2d: input must be float32 or float64; got ${input.dtype}`);
  if (input.ndim !== 3 && input.ndim !== 4) {
    throw new ShapeError(
      `adaptiveAvgPool2d: expected a 3-D or 4-D input; got shape ${formatShape(input.shape)}`,
    );
  }
  const [oh, ow] = adaptiveSizes('adaptiveAvgPool2d', input.shape, outputSize);
  const h = input.shape[input.ndim - 2]!;
  const w = input.shape[input.ndim - 1]!;
  const planes = input.numel / (h * w);
  const x = denseValues(input);
  const out = allocate(input.dtype, planes * oh * ow);
  const rows = adaptiveWindows(h, oh);
  const cols = adaptiveWindows(w, ow);
  let o = 0;
  for (let pl = 0; pl < planes; pl++) {
    const base = pl * h * w;
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++, o++) {
        let s = 0;
        for (let a = rows.lo[i]!; a < rows.hi[i]!; a++)
          for (let b = cols.lo[j]!; b < cols.hi[j]!; b++) s += x[base + a * w + b]!;
        out[o] = s / (rows.span[i]! * cols.span[j]!);
      }
    }
  }
  return new Tensor(out, [...input.shape.slice(0, -2), oh, ow]);
}

/**
 * Gradient of {@link adaptiveAvgPool2d}.
 *
 * @example
 * ```ts
 * const gx = adaptiveAvgPool2dBackward(gy, x.shape);
 * ```
 */
export function adaptiveAvgPool2dBackward(gradOutput: Tensor, inputShape: readonly number[]): Tensor {
  const oh = gradOutput.shape[gradOutput.ndim - 2]!;
  const ow = gradOutput.shape[gradOutput.ndim - 1]!;
  const h = inputShape[inputShape.length - 2]!;
  const w = inputShape[inputShape.length - 1]!;
  const gy = denseValues(gradOutput);
  const gx = allocate(
    gradOutput.dtype,
    inputShape.reduce((a, b) => a * b, 1),
  );
  const planes = gx.length / (h * w);
  const rows = adaptiveWindows(h, oh);
  const cols = adaptiveWindows(w, ow);
  let o = 0;
  for (let pl = 0; pl < planes; pl++) {
    const base = pl * h * w;
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++, o++) {
        const v = gy[o]! / (rows.span[i]! * cols.span[j]!);
        for (let a = rows.lo[i]!; a < rows.hi[i]!; a++)
          for (let b = cols.lo[j]!; b < cols.hi[j]!; b++) gx[base + a * w + b]! += v;
      }
    }
  }
  return new Tensor(gx, [...inputShape]);
}
