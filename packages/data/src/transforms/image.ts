import { fromTypedArray, ShapeError, type Tensor } from '@opt/tensor';

/**
 * A raw image in height × width × channels order (like a PIL image or an
 * `ImageData` without alpha handling): 8-bit values (`Uint8Array`,
 * `Uint8ClampedArray`) in 0…255, or floats in 0…1.
 *
 * @example
 * ```ts
 * const img: ImageLike = { data: new Uint8Array(28 * 28), height: 28, width: 28, channels: 1 };
 * ```
 */
export interface ImageLike {
  /** Pixel values, row-major HWC. */
  data: ArrayLike<number>;
  /** Rows. */
  height: number;
  /** Columns. */
  width: number;
  /** Channels (default 1). */
  channels?: number;
}

/**
 * Turns an `ImageLike` (HWC) into a float32 Tensor `[C, H, W]`, scaling
 * 8-bit values to [0, 1], like `torchvision.transforms.ToTensor`. A Tensor
 * input is returned as it is.
 *
 * @example
 * ```ts
 * new ToTensor().apply({ data: bytes, height: 28, width: 28 }); // [1, 28, 28] in [0, 1]
 * ```
 */
export class ToTensor {
  /**
   * Converts one image.
   *
   * @example
   * ```ts
   * const t = new ToTensor().apply(img);
   * ```
   */
  apply(image: ImageLike | Tensor): Tensor {
    if (!('data' in image) || !('height' in image)) return image as Tensor;
    const { data, height, width } = image;
    const c = image.channels ?? 1;
    if (data.length !== height * width * c) {
      throw new ShapeError(
        `ToTensor: image data has ${data.length} values, expected height·width·channels = ${height}·${width}·${c} = ${height * width * c}`,
      );
    }
    const scale = data instanceof Uint8Array || data instanceof Uint8ClampedArray ? 1 / 255 : 1;
    const out = new Float32Array(c * height * width);
    const plane = height * width;
    for (let p = 0; p < plane; p++) {
      for (let ch = 0; ch < c; ch++) out[ch * plane + p] = data[p * c + ch]! * scale;
    }
    return fromTypedArray(out, [c, height, width]);
  }
}

/** Reads a `[C, H, W]` float tensor as a dense Float32Array; checks the rank. */
export function chw(where: string, t: Tensor): { data: Float32Array; c: number; h: number; w: number } {
  if (t.shape.length !== 3) {
    throw new ShapeError(`${where}: expected a [C, H, W] tensor, got shape [${t.shape.join(', ')}]`);
  }
  const src = t.toTypedArray();
  const data = src instanceof Float32Array ? src : Float32Array.from(src as ArrayLike<number>);
  return { data, c: t.shape[0]!, h: t.shape[1]!, w: t.shape[2]! };
}
