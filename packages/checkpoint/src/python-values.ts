/**
 * How Python values that JavaScript cannot tell apart are kept on a round trip.
 *
 * - **Tuples** are read as frozen arrays registered as tuples ({@link isTuple});
 *   make one with {@link tuple}. A plain array writes a Python list.
 * - **Floats**: a JS number that is an integer writes a Python `int`, anything
 *   else (`0.5`, `-0`, `NaN`, `Infinity`) a `float`. Wrap a value in
 *   {@link Float} to force a float. A Python float with an integral value
 *   (`lr=1.0`) is read as the number `1` and remembered by its container, so
 *   saving the same object again writes `1.0`. Keys named in the `floatKeys`
 *   option of `toBytes` (by default `lr`, `initial_lr`, `max_lr`, `base_lr`,
 *   `min_lr`, `eps`, `betas`, `base_lrs`, `_last_lr`) always write floats, so an optimizer's
 *   learning rate stays a float even after it went through an optimizer object.
 * - **Dict keys**: a key that is a canonical integer (`'0'`, `'-3'`) writes a
 *   Python `int` key (an optimizer's `state` is keyed by integers); a string
 *   key that looks like an integer and was a string in the file is
 *   remembered as such. Use a `Map` with string keys to force string keys.
 */
const tuples = new WeakSet<object>();
const floatSlots = new WeakMap<object, Set<string | number>>();
const stringKeys = new WeakMap<object, Set<string>>();

/**
 * A Python tuple: a frozen array that {@link isTuple} recognises. `load`
 * returns tuples this way and `save` writes them back as tuples.
 *
 * @example
 * ```ts
 * const betas = tuple(0.9, 0.999);
 * Array.isArray(betas); // true
 * isTuple(betas); // true
 * ```
 */
export function tuple<T>(...items: T[]): readonly T[] {
  const t = Object.freeze(items.slice());
  tuples.add(t);
  return t;
}

/**
 * Whether `value` is an array marked as a Python tuple (made by
 * {@link tuple} or read from a file).
 *
 * @example
 * ```ts
 * isTuple(tuple(1, 2)); // true
 * isTuple([1, 2]); // false
 * ```
 */
export function isTuple(value: unknown): value is readonly unknown[] {
  return Array.isArray(value) && tuples.has(value);
}

/**
 * Forces a number to be written as a Python `float` even when it is an
 * integer (`new Float(1)` writes `1.0`). Arithmetic works through `valueOf`,
 * and `JSON.stringify` writes the plain number.
 *
 * @example
 * ```ts
 * toBytes({ lr: new Float(1) }); // torch.load sees {'lr': 1.0}
 * ```
 */
export class Float {
  constructor(readonly value: number) {}
  /** The wrapped number. */
  valueOf(): number {
    return this.value;
  }
  /** The wrapped number, so JSON holds a plain number. */
  toJSON(): number {
    return this.value;
  }
}

/** Remembers that `container[key]` held a Python float (internal). */
export function markFloatSlot(container: object, key: string | number): void {
  const s = floatSlots.get(container) ?? new Set<string | number>();
  floatSlots.set(container, s);
  s.add(key);
}

/** Whether `container[key]` was read as a Python float (internal). */
export function isFloatSlot(container: object, key: string | number): boolean {
  return floatSlots.get(container)?.has(key) ?? false;
}

/** Remembers that integer-looking key `key` of `container` was a Python str (internal). */
export function markStringKey(container: object, key: string): void {
  const s = stringKeys.get(container) ?? new Set<string>();
  stringKeys.set(container, s);
  s.add(key);
}

/** Whether integer-looking `key` of `container` was a Python str (internal). */
export function isStringKey(container: object, key: string): boolean {
  return stringKeys.get(container)?.has(key) ?? false;
}

const INT_KEY = /^-?(0|[1-9][0-9]*)$/;

/** Whether `key` is the canonical decimal form of a safe integer (internal). */
export function isIntegerKey(key: string): boolean {
  return INT_KEY.test(key) && Number.isSafeInteger(Number(key));
}
