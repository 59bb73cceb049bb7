import { getBackend } from '../backend/registry';
import { denseValues } from '../dense';
import { allocate, isFloating } from '../dtype';
import { DTypeError, ShapeError } from '../errors';
import { formatShape } from '../shape';
import { Tensor } from '../tensor';
import type { ConvGeometry } from '../wasm/wasm-kernels';

/**
 * Options of {@link conv2d}, as in `torch.nn.functional.conv2d`. A number
 * applies to both spatial dimensions; `'same'` pads so the output keeps the
 * input size (stride 1 only; an odd total goes to the bottom/right like
 * PyTorch), `'valid'` means no padding.
 *
 * @example
 * ```ts
 * const opts: Conv2dOptions = { stride: 2, padding: 1, dilation: 1, groups: 1 };
 * ```
 */
export interface Conv2dOptions {
  /** Step of the kernel (default 1). */
  stride?: number | readonly number[];
  /** Zero padding on each side, or `'same'` / `'valid'` (default 0). */
  padding?: number | readonly number[] | 'same' | 'valid';
  /** Spacing of the kernel taps (default 1). */
  dilation?: number | readonly number[];
  /** Blocked connections: input and output channels split into this many groups (default 1). */
  groups?: number;
}

function pair(
  op: string,
  name: string,
  v: number | readonly number[] | undefined,
  dflt: number,
  min: number,
): [number, number] {
  const p: readonly number[] = v === undefined ? [dflt, dflt] : typeof v === 'number' ? [v, v] : v;
  if (p.length !== 2 || !p.every((x) => Number.isInteger(x) && x >= min)) {
    throw new ShapeError(
      `${op}: ${name} must be an integer ≥ ${min} or a pair of them; got ${JSON.stringify(v)}`,
    );
  }
  return [p[0]!, p[1]!];
}

/**
 * The resolved geometry of a convolution with `'same'` split into explicit
 * top/left padding plus any extra bottom/right padding. Exposed for the
 * backward kernels and autograd.
 *
 * @example
 * ```ts
 * const g = convGeometry([1, 3, 8, 8], [6, 3, 3, 3], { padding: 1 }); // g.outH === 8
 * ```
 */
export function convGeometry(
  inputShape: readonly number[],
  weightShape: readonly number[],
  options: Conv2dOptions = {},
  op = 'conv2d',
): ConvGeometry & { extraH: number; extraW: number } {
  if (inputShape.length !== 4) {
    throw new ShapeError(
      `${op}: expected a 4-D input [N, C, H, W] (or 3-D [C, H, W]); got shape ${formatShape(inputShape)}`,
    );
  }
  if (weightShape.length !== 4) {
    throw new ShapeError(
      `${op}: expected a 4-D weight [out, in/groups, kH, kW]; got shape ${formatShape(weightShape)}`,
    );
  }
  const [n, c, h, w] = inputShape as [number, number, number, number];
  const [o, cg, kH, kW] = weightShape as [number, number, number, number];
  const groups = options.groups ?? 1;
  if (!Number.isInteger(groups) || groups < 1)
    throw new ShapeError(`${op}: groups must be a positive integer; got ${groups}`);
  const [strideH, strideW] = pair(op, 'stride', options.stride, 1, 1);
  const [dilH, dilW] = pair(op, 'dilation', options.dilation, 1, 1);
  if (cg * groups !== c) {
    throw new ShapeError(
      `${op}: input has ${c} channels but weight ${formatShape(weightShape)} with groups=${groups} expects ${cg * groups} (weight.shape[1] × groups)`,
    );
  }
  if (o % groups !== 0)
    throw new ShapeError(`${op}: out channels ${o} are not divisible by groups=${groups}`);
  let padH: number;
  let padW: number;
  let extraH = 0;
  let extraW = 0;
  const pad = options.padding;
  if (pad === 'valid') [padH, padW] = [0, 0];
  else if (pad === 'same') {
    if (strideH !== 1 || strideW !== 1)
      throw new ShapeError(`${op}: padding='same' is not supported for strided convolutions`);
    const totH = dilH * (kH - 1);
    const totW = dilW * (kW - 1);
    padH = Math.floor(totH / 2);
    padW = Math.floor(totW / 2);
    extraH = totH - 2 * padH;
    extraW = totW - 2 * padW;
  } else [padH, padW] = pair(op, 'padding', pad, 0, 0);
  const outH = Math.floor((h + 2 * padH + extraH - dilH * (kH - 1) - 1) / strideH) + 1;
  const outW = Math.floor((w + 2 * padW + extraW - dilW * (kW - 1) - 1) / strideW) + 1;
  if (outH < 1 || outW < 1) {
    throw new ShapeError(
      `${op}: input ${formatShape(inputShape)} padded by (${padH}, ${padW}) is smaller than the dilated kernel (${dilH * (kH - 1) + 1}, ${dilW * (kW - 1) + 1})`,
    );
  }
  return {
    n,
    c,
    h,
    w,
    o,
    kH,
    kW,
    padH,
    padW,
    strideH,
    strideW,
    dilH,
    dilW,
    groups,
    outH,
    outW,
    extraH,
    extraW,
  };
}

function floatData(op: string, name: string, t: Tensor, dtype: string): Float32Array | Float64Array {
  if (t.dtype !== dtype) throw new DTypeError(`${op}: ${name} has dtype ${t.dtype}, expected ${dtype}`);
  return denseValues(t) as Float32Array | Float64Array;
}

function batched(op: string, input: Tensor): [Tensor, boolean] {
  if (input.ndim === 3) return [input.unsqueeze(0), true];
  if (input.ndim !== 4)
    throw new ShapeError(
      `${op}: expected a 3-D [C, H, W] or 4-D [N, C, H, W] input; got shape ${formatShape(input.shape)}`,
    );
  return [input, false];
}

/** Runs a kernel on the input grown by `extra` rows/cols of zeros at the bottom/right ('same' with an even kernel). */
function padExtra(x: Tensor, extraH: number, extraW: number): Tensor {
  if (extraH === 0 && extraW === 0) return x;
  const [n, c, h, w] = x.shape as [number, number, number, number];
  const out = new Tensor(allocate(x.dtype, n * c * (h + extraH) * (w + extraW)), [
    n,
    c,
    h + extraH,
    w + extraW,
  ]);
  out.narrow(2, 0, h).narrow(3, 0, w).copy_(x);
  return out;
}

/**
 * 2-D convolution (cross-correlation, as in PyTorch) of `input`
 * `[N, C, H, W]` (or `[C, H, W]`) with `weight` `[O, C/groups, kH, kW]` plus
 * an optional `bias` `[O]`; runs on the current backend (im2col + GEMM).
 *
 * @example
 * ```ts
 * conv2d(randn([8, 3, 32, 32]), randn([6, 3, 5, 5])).shape; // [8, 6, 28, 28]
 * conv2d(x, w, b, { stride: 2, padding: 1, groups: 3 });
 * ```
 */
export function conv2d(
  input: Tensor,
  weight: Tensor,
  bias?: Tensor | null,
  options: Conv2dOptions = {},
): Tensor {
  if (!isFloating(input.dtype))
    throw new DTypeError(`conv2d: input must be float32 or float64; got ${input.dtype}`);
  const [x, unbatched] = batched('conv2d', input);
  const g = convGeometry(x.shape, weight.shape, options);
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== g.o)) {
    throw new ShapeError(`conv2d: bias must have shape [${g.o}]; got ${formatShape(bias.shape)}`);
  }
  const xp = padExtra(x, g.extraH, g.extraW);
  const geo = { ...g, h: g.h + g.extraH, w: g.w + g.extraW };
  const out = allocate(input.dtype, g.n * g.o * g.outH * g.outW) as Float32Array | Float64Array;
  getBackend().conv2d(
    geo,
    floatData('conv2d', 'input', xp, input.dtype),
    floatData('conv2d', 'weight', weight, input.dtype),
    bias ? floatData('conv2d', 'bias', bias, input.dtype) : null,
    out,
  );
  const y = new Tensor(out, [g.n, g.o, g.outH, g.outW]);
  return unbatched ? y.squeeze(0) : y;
}

/**
 * Gradient of {@link conv2d} with respect to its input, given the output
 * gradient, the weight and the input's shape.
 *
 * @example
 * ```ts
 * const gx = conv2dBackwardInput(gy, w, x.shape, { padding: 1 });
 * ```
 */
export function conv2dBackwardInput(
  gradOutput: Tensor,
  weight: Tensor,
  inputShape: readonly number[],
  options: Conv2dOptions = {},
): Tensor {
  const unbatched = inputShape.length === 3;
  const shape = unbatched ? [1, ...inputShape] : inputShape;
  const g = convGeometry(shape, weight.shape, options, 'conv2dBackwardInput');
  const geo = { ...g, h: g.h + g.extraH, w: g.w + g.extraW };
  const gy = unbatched ? gradOutput.unsqueeze(0) : gradOutput;
  const gx = allocate(gradOutput.dtype, g.n * g.c * geo.h * geo.w) as Float32Array | Float64Array;
  getBackend().conv2dBackwardInput(
    geo,
    floatData('conv2dBackwardInput', 'gradOutput', gy, gradOutput.dtype),
    floatData('conv2dBackwardInput', 'weight', weight, gradOutput.dtype),
    gx,
  );
  let result = new Tensor(gx, [g.n, g.c, geo.h, geo.w]);
  if (g.extraH || g.extraW) result = result.narrow(2, 0, g.h).narrow(3, 0, g.w).contiguous();
  return unbatched ? result.squeeze(0) : result;
}

/**
 * Gradient of {@link conv2d} with respect to its weight, given the output
 * gradient, the input and the weight's shape.
 *
 * @example
 * ```ts
 * const gw = conv2dBackwardWeight(gy, x, w.shape, { padding: 1 });
 * ```
 */
export function conv2dBackwardWeight(
  gradOutput: Tensor,
  input: Tensor,
  weightShape: readonly number[],
  options: Conv2dOptions = {},
): Tensor {
  const [x, unbatched] = batched('conv2dBackwardWeight', input);
  const g = convGeometry(x.shape, weightShape, options, 'conv2dBackwardWeight');
  const xp = padExtra(x, g.extraH, g.extraW);
  const geo = { ...g, h: g.h + g.extraH, w: g.w + g.extraW };
  const gy = unbatched ? gradOutput.unsqueeze(0) : gradOutput;
  const gw = allocate(
    gradOutput.dtype,
    weightShape.reduce((a, b) => a * b, 1),
  ) as Float32Array | Float64Array;
  getBackend().conv2dBackwardWeight(
    geo,
    floatData('conv2dBackwardWeight', 'gradOutput', gy, gradOutput.dtype),
    floatData('conv2dBackwardWeight', 'input', xp, gradOutput.dtype),
    gw,
  );
  return new Tensor(gw, [...weightShape]);
}
