import type { TensorFactory } from './raw-tensor';

/**
 * Options of `toBytes` and `save`.
 *
 * @example
 * ```ts
 * toBytes(sd, { floatKeys: ['lr', 'momentum'] });
 * ```
 */
export interface SaveOptions {
  /**
   * Dict keys whose integral number values are written as Python floats
   * (`lr: 1` → `1.0`). Defaults to {@link DEFAULT_FLOAT_KEYS}; pass `[]` to
   * write every integral number as an int.
   */
  floatKeys?: Iterable<string>;
  /** The name used in error messages (defaults to the path, or `<bytes>`). */
  name?: string;
}

/**
 * Options of `fromBytes` and `load`.
 *
 * @example
 * ```ts
 * fromBytes(bytes, { name: 'download.pt' });
 * ```
 */
export interface LoadOptions {
  /** The name used in error messages (defaults to the path, or `<bytes>`). */
  name?: string;
  /** Builds each tensor read (default: an `@opt/tensor` `Tensor`; `rawTensorFactory` gives plain data). */
  tensorFactory?: TensorFactory;
}

/**
 * Keys whose values PyTorch always keeps as floats in optimizer and scheduler
 * state dicts; an integral value under one of them (or inside a list or tuple
 * under one of them, like `betas` or `base_lrs`) is written as a float.
 *
 * @example
 * ```ts
 * DEFAULT_FLOAT_KEYS.includes('lr'); // true
 * ```
 */
export const DEFAULT_FLOAT_KEYS: readonly string[] = Object.freeze([
  'lr',
  'initial_lr',
  'max_lr',
  'base_lr',
  'min_lr',
  'eps',
  'betas',
  'base_lrs',
  '_last_lr',
]);

/** The name errors use when bytes come from memory. */
export const BYTES_SOURCE = '<bytes>';
