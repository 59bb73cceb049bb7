import { fromTypedArray, type Generator, type Tensor } from '@opt/tensor';
import { defaultGenerator, uniform } from '../random';
import { chw } from './image';

/**
 * Mirrors a `[C, H, W]` image left–right with probability `p` (drawn from
 * the seeded generator), like `torchvision.transforms.RandomHorizontalFlip`.
 *
 * @example
 * ```ts
 * new RandomHorizontalFlip(0.5, { generator }).apply(img);
 * ```
 */
export class RandomHorizontalFlip {
  /** Probability of flipping. */
  readonly p: number;
  /** The generator; `undefined` means the global one. */
  generator: Generator | undefined;
  /**
   * @param p probability of flipping (default 0.5).
   * @param options `generator`.
   */
  constructor(p = 0.5, options: { generator?: Generator } = {}) {
    if (!(p >= 0 && p <= 1)) throw new RangeError(`RandomHorizontalFlip: p must be in [0, 1], got ${p}`);
    this.p = p;
    this.generator = options.generator;
  }
  /**
   * Flips one image, or returns it unchanged.
   *
   * @example
   * ```ts
   * flip.apply(img);
   * ```
   */
  apply(image: Tensor): Tensor {
    const u = uniform(this.generator ?? defaultGenerator());
    if (!(u < this.p)) return image;
    const { data, c, h, w } = chw('RandomHorizontalFlip', image);
    const out = new Float32Array(data.length);
    for (let r = 0; r < c * h; r++) {
      const base = r * w;
      for (let x = 0; x < w; x++) out[base + x] = data[base + w - 1 - x]!;
    }
    return fromTypedArray(out, [c, h, w]);
  }
}
