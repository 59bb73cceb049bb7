import { fromTypedArray, type Generator, type Tensor } from '@opt/tensor';
import { defaultGenerator, randomBelow } from '../random';
import { chw } from './image';

/** Options of `RandomCrop`. */
export interface RandomCropOptions {
  /** Pixels of `fill` added on every side before cropping (default 0). */
  padding?: number;
  /** Value of the padding (default 0). */
  fill?: number;
  /** Generator for the crop position (default: the global one). */
  generator?: Generator;
}

/**
 * Pads a `[C, H, W]` image and crops a `size × size` (or `[h, w]`) window
 * at a position drawn from the seeded generator, like
 * `torchvision.transforms.RandomCrop(size, padding=…)`.
 *
 * @example
 * ```ts
 * new RandomCrop(28, { padding: 4, generator }).apply(img); // [1, 28, 28]
 * ```
 */
export class RandomCrop {
  /** Output height and width. */
  readonly size: [number, number];
  /** Padding on every side. */
  readonly padding: number;
  /** Padding value. */
  readonly fill: number;
  /** The generator; `undefined` means the global one. */
  generator: Generator | undefined;
  /**
   * @param size `s` or `[h, w]`.
   * @param options `padding`, `fill`, `generator`.
   */
  constructor(size: number | readonly [number, number], options: RandomCropOptions = {}) {
    const s = typeof size === 'number' ? [size, size] : size;
    if (s.length !== 2 || !s.every((v) => Number.isInteger(v) && v > 0)) {
      throw new RangeError(
        `RandomCrop: size must be a positive integer or a pair of them, got ${JSON.stringify(size)}`,
      );
    }
    this.size = [s[0]!, s[1]!];
    this.padding = options.padding ?? 0;
    if (!Number.isInteger(this.padding) || this.padding < 0) {
      throw new RangeError(`RandomCrop: padding must be a non-negative integer, got ${options.padding}`);
    }
    this.fill = options.fill ?? 0;
    this.generator = options.generator;
  }
  /**
   * Crops one image.
   *
   * @example
   * ```ts
   * crop.apply(img);
   * ```
   */
  apply(image: Tensor): Tensor {
    const { data, c, h, w } = chw('RandomCrop', image);
    const p = this.padding;
    const [oh, ow] = this.size;
    const ph = h + 2 * p;
    const pw = w + 2 * p;
    if (oh > ph || ow > pw) {
      throw new RangeError(`RandomCrop: crop ${oh}×${ow} is larger than the padded image ${ph}×${pw}`);
    }
    const gen = this.generator ?? defaultGenerator();
    const top = randomBelow(gen, ph - oh + 1);
    const left = randomBelow(gen, pw - ow + 1);
    const out = new Float32Array(c * oh * ow);
    for (let ch = 0; ch < c; ch++) {
      for (let y = 0; y < oh; y++) {
        const sy = top + y - p;
        const row = ch * oh * ow + y * ow;
        for (let x = 0; x < ow; x++) {
          const sx = left + x - p;
          out[row + x] = sy >= 0 && sy < h && sx >= 0 && sx < w ? data[ch * h * w + sy * w + sx]! : this.fill;
        }
      }
    }
    return fromTypedArray(out, [c, oh, ow]);
  }
}
