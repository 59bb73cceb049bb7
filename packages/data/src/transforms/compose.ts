/**
 * A transform: any function from one sample to another.
 *
 * @example
 * ```ts
 * const double: Transform<number, number> = (x) => 2 * x;
 * ```
 */
export type Transform<I = any, O = any> =
  | ((input: I) => O)
  | {
      /** Transforms one sample. */
      apply(input: I): O;
    };

/** Applies a transform given as a function or as an object with `apply`. */
export function runTransform<I, O>(t: Transform<I, O>, input: I): O {
  return typeof t === 'function' ? t(input) : t.apply(input);
}

/**
 * Chains transforms, like `torchvision.transforms.Compose`.
 *
 * @example
 * ```ts
 * const t = new Compose([new RandomCrop(28, { padding: 4, generator }), new Normalize([0.5], [0.5])]);
 * const out = t.apply(image);
 * ```
 */
export class Compose<I = any, O = any> {
  /** The transforms, applied first to last. */
  readonly transforms: Transform[];
  /**
   * @param transforms applied first to last.
   */
  constructor(transforms: Transform[]) {
    transforms.forEach((t, i) => {
      if (typeof t !== 'function' && (typeof t !== 'object' || t === null || typeof t.apply !== 'function')) {
        throw new TypeError(
          `Compose: transforms[${i}] must be a function or have an apply method, got ${String(t)}`,
        );
      }
    });
    this.transforms = [...transforms];
  }
  /**
   * Runs every transform in turn.
   *
   * @example
   * ```ts
   * compose.apply(sample);
   * ```
   */
  apply(input: I): O {
    let x: any = input;
    for (const t of this.transforms) x = runTransform(t, x);
    return x as O;
  }
}
