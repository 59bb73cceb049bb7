/**
 * Base class of every error thrown by the `@opt` packages.
 *
 * @example
 * ```ts
 * try { zeros([2]).view(3); } catch (e) { if (e instanceof OptError) console.log(e.message); }
 * ```
 */
export class OptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * Thrown when shapes do not fit: broadcasting failures, bad view sizes, wrong ranks.
 *
 * @example
 * ```ts
 * // ShapeError: add: shapes [2, 3] and [4] cannot be broadcast (dimension -1: 3 vs 4)
 * zeros([2, 3]).add(zeros([4]));
 * ```
 */
export class ShapeError extends OptError {}

/**
 * Thrown when dtypes do not fit: a binary op between tensors of different dtypes, an op the dtype does not support.
 *
 * @example
 * ```ts
 * // DTypeError: add: dtypes float32 and float64 differ; cast one with .to(dtype)
 * zeros([2]).add(zeros([2], { dtype: 'float64' }));
 * ```
 */
export class DTypeError extends OptError {}

/**
 * Thrown when an index or a dimension is out of range.
 *
 * @example
 * ```ts
 * // IndexError: select: index 5 is out of range for dimension 0 of size 2
 * zeros([2]).select(0, 5);
 * ```
 */
export class IndexError extends OptError {}
