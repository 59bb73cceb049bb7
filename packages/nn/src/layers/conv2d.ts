import type { Variable } from '@opt/autograd';
import type { Generator } from '@opt/tensor';
import { formatShape, NnInputError } from '../errors';
import * as F from '../functional';
import { defaultBiasInit_, kaimingUniform_ } from '../init';
import { Module } from '../module';
import type { Parameter } from '../parameter';
import { emptyParam, pair, positiveInt, tuple } from './util';

/** Options of `Conv2d`. */
export interface Conv2dOptions {
  /** Step of the sliding window: `s` or `[sh, sw]` (default 1). */
  stride?: number | readonly number[];
  /** Zero padding on each side: `p`, `[ph, pw]`, `'valid'` (none) or `'same'` (output as large as the input; stride 1 only). Default 0. */
  padding?: number | readonly number[] | 'same' | 'valid';
  /** Spacing between kernel taps: `d` or `[dh, dw]` (default 1). */
  dilation?: number | readonly number[];
  /** Number of blocked connections from input to output channels (default 1). */
  groups?: number;
  /** Learn an additive bias (default true). */
  bias?: boolean;
  /** Generator for the initial weights (default: the global one). */
  generator?: Generator;
}

/**
 * A 2-D convolution over `[N, C, H, W]` inputs, like `torch.nn.Conv2d`.
 * `weight` is `[outChannels, inChannels / groups, kh, kw]`, initialised
 * kaiming-uniform with a = √5 and the bias uniform in ±1/√fanIn.
 *
 * @example
 * ```ts
 * const conv = new Conv2d(3, 6, 5);
 * conv.forward(x); // [N, 3, 32, 32] → [N, 6, 28, 28]
 * ```
 */
export class Conv2d extends Module {
  /** Channels of the input. */
  readonly inChannels: number;
  /** Channels of the output. */
  readonly outChannels: number;
  /** Kernel height and width. */
  readonly kernelSize: [number, number];
  /** Stride per spatial dimension. */
  readonly stride: [number, number];
  /** Padding per spatial dimension, or `'same'` / `'valid'` as given. */
  readonly padding: [number, number] | 'same' | 'valid';
  /** Dilation per spatial dimension. */
  readonly dilation: [number, number];
  /** Channel groups. */
  readonly groups: number;
  /** The kernel, `[outChannels, inChannels / groups, kh, kw]`. */
  weight: Parameter;
  /** The bias, `[outChannels]`, or `null`. */
  bias: Parameter | null;

  /**
   * @param inChannels channels of the input.
   * @param outChannels channels of the output.
   * @param kernelSize `k` or `[kh, kw]`.
   * @param options `stride`, `padding`, `dilation`, `groups`, `bias`, `generator`.
   */
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: number | readonly number[],
    options: Conv2dOptions = {},
  ) {
    super();
    const name = `Conv2d(${inChannels}, ${outChannels})`;
    this.inChannels = positiveInt(name, 'inChannels', inChannels);
    this.outChannels = positiveInt(name, 'outChannels', outChannels);
    this.kernelSize = pair(name, 'kernelSize', kernelSize, 1);
    this.stride = pair(name, 'stride', options.stride ?? 1, 1);
    this.dilation = pair(name, 'dilation', options.dilation ?? 1, 1);
    this.groups = positiveInt(name, 'groups', options.groups ?? 1);
    const padding = options.padding ?? 0;
    if (padding === 'same' || padding === 'valid') {
      if (padding === 'same' && (this.stride[0] !== 1 || this.stride[1] !== 1)) {
        throw new RangeError(
          `${name}: padding='same' is not supported for strided convolutions, got stride ${tuple(this.stride)}`,
        );
      }
      this.padding = padding;
    } else if (typeof padding === 'string') {
      throw new RangeError(`${name}: padding must be a number, a pair, 'same' or 'valid', got '${padding}'`);
    } else {
      this.padding = pair(name, 'padding', padding, 0);
    }
    if (inChannels % this.groups !== 0 || outChannels % this.groups !== 0) {
      throw new RangeError(
        `${name}: inChannels and outChannels must be divisible by groups, got groups ${this.groups}`,
      );
    }
    this.weight = emptyParam([outChannels, inChannels / this.groups, this.kernelSize[0], this.kernelSize[1]]);
    this.bias = (options.bias ?? true) ? emptyParam([outChannels]) : null;
    this.resetParameters(options.generator);
  }

  /**
   * Re-draws the weights with PyTorch's default initialisation.
   *
   * @example
   * ```ts
   * conv.resetParameters(new Generator().manualSeed(0));
   * ```
   */
  resetParameters(generator?: Generator): void {
    kaimingUniform_(this.weight, { a: Math.sqrt(5), generator });
    if (this.bias !== null) {
      defaultBiasInit_(
        this.bias,
        (this.inChannels / this.groups) * this.kernelSize[0] * this.kernelSize[1],
        generator,
      );
    }
  }

  /** The explicit padding per side: `[top, bottom, left, right]`. */
  private paddingAmounts(): [number, number, number, number] {
    if (this.padding === 'valid') return [0, 0, 0, 0];
    if (this.padding === 'same') {
      const th = this.dilation[0] * (this.kernelSize[0] - 1);
      const tw = this.dilation[1] * (this.kernelSize[1] - 1);
      const top = Math.floor(th / 2);
      const left = Math.floor(tw / 2);
      return [top, th - top, left, tw - left];
    }
    return [this.padding[0], this.padding[0], this.padding[1], this.padding[1]];
  }

  /**
   * Convolves `input` of shape `[N, inChannels, H, W]`.
   *
   * @example
   * ```ts
   * new Conv2d(1, 8, 3, { padding: 'same' }).forward(x); // [N, 1, 28, 28] → [N, 8, 28, 28]
   * ```
   */
  override forward(input: Variable): Variable {
    const s = input.shape;
    if (s.length !== 4 || s[1] !== this.inChannels) {
      throw new NnInputError(
        `Conv2d(${this.inChannels}, ${this.outChannels}): expected input [N, ${this.inChannels}, H, W], got ${formatShape(s)}`,
      );
    }
    const [top, bottom, left, right] = this.paddingAmounts();
    const effH = this.dilation[0] * (this.kernelSize[0] - 1) + 1;
    const effW = this.dilation[1] * (this.kernelSize[1] - 1) + 1;
    if (s[2]! + top + bottom < effH || s[3]! + left + right < effW) {
      throw new NnInputError(
        `Conv2d(${this.inChannels}, ${this.outChannels}): input ${formatShape(s)} (padded to ${s[2]! + top + bottom}×${s[3]! + left + right}) is smaller than the kernel ${effH}×${effW}`,
      );
    }
    return F.conv2d(input, this.weight, this.bias, {
      stride: this.stride,
      padding: [top, bottom, left, right],
      dilation: this.dilation,
      groups: this.groups,
    });
  }

  override extraRepr(): string {
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=${tuple(this.kernelSize)}, stride=${tuple(this.stride)}`;
    if (typeof this.padding === 'string') s += `, padding=${this.padding}`;
    else if (this.padding[0] !== 0 || this.padding[1] !== 0) s += `, padding=${tuple(this.padding)}`;
    if (this.dilation[0] !== 1 || this.dilation[1] !== 1) s += `, dilation=${tuple(this.dilation)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (this.bias === null) s += ', bias=False';
    return s;
  }
}
