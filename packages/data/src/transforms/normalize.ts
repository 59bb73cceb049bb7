import { fromTypedArray, type Tensor } from '@opt/tensor';
import { chw } from './image';

/**
 * Standardises each channel of a `[C, H, W]` tensor: `(x − mean[c]) / std[c]`,
 * like `torchvision.transforms.Normalize`. A single mean/std applies to all
 * channels.
 *
 * @example
 * ```ts
 * new Normalize([0.1307], [0.3081]).apply(img);
 * ```
 */
export class Normalize {
  /** Per-channel means. */
  readonly mean: readonly number[];
  /** Per-channel standard deviations. */
  readonly std: readonly number[];
  /**
   * @param mean per-channel means (or one for all).
   * @param std per-channel standard deviations, non-zero (or one for all).
   */
  constructor(mean: readonly number[], std: readonly number[]) {
    if (mean.length === 0 || mean.length !== std.length) {
      throw new RangeError(
        `Normalize: mean and std must be non-empty and of equal length, got ${mean.length} and ${std.length}`,
      );
    }
    std.forEach((s, i) => {
      if (!(Math.abs(s) > 0)) throw new RangeError(`Normalize: std[${i}] must be non-zero, got ${s}`);
    });
    this.mean = [...mean];
    this.std = [...std];
  }
  /**
   * Normalises one image.
   *
   * @example
   * ```ts
   * normalize.apply(img);
   * ```
   */
  apply(image: Tensor): Tensor {
    const { data, c, h, w } = chw('Normalize', image);
    if (this.mean.length !== 1 && this.mean.length !== c) {
      throw new RangeError(`Normalize: image has ${c} channels but mean/std have ${this.mean.length}`);
    }
    const plane = h * w;
    const out = new Float32Array(data.length);
    for (let ch = 0; ch < c; ch++) {
      const m = this.mean.length === 1 ? this.mean[0]! : this.mean[ch]!;
      const inv = 1 / (this.std.length === 1 ? this.std[0]! : this.std[ch]!);
      const base = ch * plane;
      for (let i = 0; i < plane; i++) out[base + i] = (data[base + i]! - m) * inv;
    }
    return fromTypedArray(out, [c, h, w]);
  }
}
