import type { Variable } from '@opt/autograd';
import * as AG from '@opt/autograd';
import type { AvgPool2dOptions, MaxPool2dOptions } from '@opt/tensor';
import { Module } from '../module';
import { checkInput, pair, tuple } from './util';

function reprArg(v: number | readonly number[]): string {
  return typeof v === 'number' ? String(v) : tuple(v);
}

function checkPadding(layer: string, padding: [number, number], kernel: [number, number]): void {
  if (padding[0] > kernel[0] / 2 || padding[1] > kernel[1] / 2) {
    throw new RangeError(
      `${layer}: padding ${tuple(padding)} must be at most half the kernel size ${tuple(kernel)}`,
    );
  }
}

/**
 * 2-D max pooling over `[N, C, H, W]` (or `[C, H, W]`) inputs, like
 * `torch.nn.MaxPool2d`.
 *
 * @example
 * ```ts
 * new MaxPool2d(2, { stride: 2 }).forward(x); // [N, 6, 28, 28] → [N, 6, 14, 14]
 * ```
 */
export class MaxPool2d extends Module {
  /** Window height and width. */
  readonly kernelSize: [number, number];
  /** Step per spatial dimension. */
  readonly stride: [number, number];
  /** Padding per spatial dimension. */
  readonly padding: [number, number];
  /** Tap spacing per spatial dimension. */
  readonly dilation: [number, number];
  /** Whether the output size rounds up. */
  readonly ceilMode: boolean;
  readonly #given: {
    k: number | readonly number[];
    s: number | readonly number[];
    p: number | readonly number[];
    d: number | readonly number[];
  };

  /**
   * @param kernelSize `k` or `[kh, kw]`.
   * @param options `stride` (default `kernelSize`), `padding` (default 0), `dilation` (default 1), `ceilMode` (default false).
   */
  constructor(kernelSize: number | readonly number[], options: MaxPool2dOptions = {}) {
    super();
    this.kernelSize = pair('MaxPool2d', 'kernelSize', kernelSize, 1);
    this.stride = pair('MaxPool2d', 'stride', options.stride ?? kernelSize, 1);
    this.padding = pair('MaxPool2d', 'padding', options.padding ?? 0, 0);
    this.dilation = pair('MaxPool2d', 'dilation', options.dilation ?? 1, 1);
    this.ceilMode = options.ceilMode ?? false;
    checkPadding('MaxPool2d', this.padding, this.kernelSize);
    this.#given = {
      k: kernelSize,
      s: options.stride ?? kernelSize,
      p: options.padding ?? 0,
      d: options.dilation ?? 1,
    };
  }

  /**
   * Pools `input` of shape `[N, C, H, W]` or `[C, H, W]`.
   *
   * @example
   * ```ts
   * new MaxPool2d(2).forward(x);
   * ```
   */
  override forward(input: Variable): Variable {
    checkInput('MaxPool2d', input.shape, [3, 4], '[N, C, H, W] or [C, H, W]');
    return AG.maxPool2d(input, this.kernelSize, {
      stride: this.stride,
      padding: this.padding,
      dilation: this.dilation,
      ceilMode: this.ceilMode,
    });
  }

  override extraRepr(): string {
    const g = this.#given;
    return `kernel_size=${reprArg(g.k)}, stride=${reprArg(g.s)}, padding=${reprArg(g.p)}, dilation=${reprArg(g.d)}, ceil_mode=${this.ceilMode ? 'True' : 'False'}`;
  }
}

/**
 * 2-D average pooling, like `torch.nn.AvgPool2d`.
 *
 * @example
 * ```ts
 * new AvgPool2d(2).forward(x); // [N, C, 8, 8] → [N, C, 4, 4]
 * ```
 */
export class AvgPool2d extends Module {
  /** Window height and width. */
  readonly kernelSize: [number, number];
  /** Step per spatial dimension. */
  readonly stride: [number, number];
  /** Padding per spatial dimension. */
  readonly padding: [number, number];
  /** The options beyond the geometry. */
  readonly options: { ceilMode: boolean; countIncludePad: boolean; divisorOverride?: number };
  readonly #given: {
    k: number | readonly number[];
    s: number | readonly number[];
    p: number | readonly number[];
  };

  /**
   * @param kernelSize `k` or `[kh, kw]`.
   * @param options `stride` (default `kernelSize`), `padding` (default 0), `ceilMode` (false), `countIncludePad` (true), `divisorOverride`.
   */
  constructor(kernelSize: number | readonly number[], options: AvgPool2dOptions = {}) {
    super();
    this.options = {
      ceilMode: options.ceilMode ?? false,
      countIncludePad: options.countIncludePad ?? true,
      ...(options.divisorOverride !== undefined ? { divisorOverride: options.divisorOverride } : {}),
    };
    this.kernelSize = pair('AvgPool2d', 'kernelSize', kernelSize, 1);
    this.stride = pair('AvgPool2d', 'stride', options.stride ?? kernelSize, 1);
    this.padding = pair('AvgPool2d', 'padding', options.padding ?? 0, 0);
    checkPadding('AvgPool2d', this.padding, this.kernelSize);
    this.#given = { k: kernelSize, s: options.stride ?? kernelSize, p: options.padding ?? 0 };
  }

  /**
   * Pools `input` of shape `[N, C, H, W]` or `[C, H, W]`.
   *
   * @example
   * ```ts
   * new AvgPool2d(2).forward(x);
   * ```
   */
  override forward(input: Variable): Variable {
    checkInput('AvgPool2d', input.shape, [3, 4], '[N, C, H, W] or [C, H, W]');
    return AG.avgPool2d(input, this.kernelSize, {
      stride: this.stride,
      padding: this.padding,
      ...this.options,
    });
  }

  override extraRepr(): string {
    const g = this.#given;
    return `kernel_size=${reprArg(g.k)}, stride=${reprArg(g.s)}, padding=${reprArg(g.p)}`;
  }
}

/**
 * Average pooling to a fixed output size, like `torch.nn.AdaptiveAvgPool2d`:
 * output cell `(i, j)` averages rows `⌊i·H/oh⌋ … ⌈(i+1)·H/oh⌉ − 1` and the
 * same for columns.
 *
 * @example
 * ```ts
 * new AdaptiveAvgPool2d([1, 1]).forward(x); // [N, C, H, W] → [N, C, 1, 1]
 * ```
 */
export class AdaptiveAvgPool2d extends Module {
  /** Output height and width. */
  readonly outputSize: [number, number];
  readonly #given: number | readonly number[];

  /**
   * @param outputSize `s` or `[oh, ow]`.
   */
  constructor(outputSize: number | readonly number[]) {
    super();
    this.outputSize = pair('AdaptiveAvgPool2d', 'outputSize', outputSize, 1);
    this.#given = outputSize;
  }

  /**
   * Pools `input` of shape `[N, C, H, W]` or `[C, H, W]`.
   *
   * @example
   * ```ts
   * new AdaptiveAvgPool2d(1).forward(x);
   * ```
   */
  override forward(input: Variable): Variable {
    checkInput('AdaptiveAvgPool2d', input.shape, [3, 4], '[N, C, H, W] or [C, H, W]');
    return AG.adaptiveAvgPool2d(input, this.outputSize);
  }

  override extraRepr(): string {
    return `output_size=${reprArg(this.#given)}`;
  }
}
