// imported by the package's own name, so that the published `@opt/tensor/testing` uses the same
// Tensor class as `@opt/tensor` (a bundled copy would fail `instanceof` on the user's tensors)
import { formatShape, type NestedArray, ShapeError, Tensor } from '@opt/tensor';

export * from './audit';
export * from './float32-bits';

/**
 * Tolerances of {@link allClose}/{@link expectClose}: `|actual - expected| <= atol + rtol * |expected|`
 * (defaults rtol 1e-5, atol 1e-8, PyTorch's `allclose`). NaN matches NaN only with `equalNan` (default true).
 *
 * @example
 * ```ts
 * expectClose(y, [1, 2], { rtol: 1e-4 });
 * ```
 */
export interface CloseOptions {
  rtol?: number;
  atol?: number;
  equalNan?: boolean;
}

const DEFAULTS = { rtol: 1e-5, atol: 1e-8, equalNan: true };

/**
 * Something with values to compare: a Tensor, a number, nested arrays, or a typed array.
 *
 * @example
 * ```ts
 * const v: Comparable = [[1, 2], [3, 4]];
 * ```
 */
export type Comparable = Tensor | NestedArray | ArrayLike<number>;

function flatten(x: Comparable): { shape: number[]; data: number[] } {
  if (x instanceof Tensor) return { shape: x.shape.slice(), data: Array.from(x.toTypedArray()) };
  if (typeof x === 'number') return { shape: [], data: [x] };
  if (ArrayBuffer.isView(x))
    return { shape: [(x as ArrayLike<number>).length], data: Array.from(x as ArrayLike<number>) };
  const shape: number[] = [];
  let cur: unknown = x;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    cur = cur[0];
  }
  const data = (x as unknown[]).flat(Number.POSITIVE_INFINITY) as number[];
  return { shape, data: data.map((v) => (typeof v === 'boolean' ? (v ? 1 : 0) : v)) };
}

function mismatches(
  actual: Comparable,
  expected: Comparable,
  options: CloseOptions,
): { shapeA: number[]; shapeE: number[]; bad: number[]; a: number[]; e: number[] } {
  const { rtol, atol, equalNan } = { ...DEFAULTS, ...options };
  const A = flatten(actual);
  const E = flatten(expected);
  const bad: number[] = [];
  if (A.data.length === E.data.length) {
    for (let i = 0; i < A.data.length; i++) {
      const a = A.data[i];
      const e = E.data[i];
      if (Number.isNaN(a) || Number.isNaN(e)) {
        if (!(equalNan && Number.isNaN(a) && Number.isNaN(e))) bad.push(i);
      } else if (a !== e && !(Math.abs(a - e) <= atol + rtol * Math.abs(e))) bad.push(i);
    }
  }
  return { shapeA: A.shape, shapeE: E.shape, bad, a: A.data, e: E.data };
}

/**
 * Whether `actual` and `expected` have the same number of elements and agree within tolerances
 * (shapes are compared by element count, so a Tensor can be compared with nested arrays).
 *
 * @example
 * ```ts
 * allClose(tensor([1, 2]), [1, 2.000001]); // true
 * ```
 */
export function allClose(actual: Comparable, expected: Comparable, options: CloseOptions = {}): boolean {
  const m = mismatches(actual, expected, options);
  return m.a.length === m.e.length && m.bad.length === 0;
}

/**
 * Throws an error with a readable diff (shape, count and the first mismatching elements with their
 * flat index, values and difference) when `actual` and `expected` differ. Shapes must match when
 * `expected` is a Tensor or nested arrays; a flat array or a number is compared by element count.
 *
 * @example
 * ```ts
 * expectClose(x.add(1), [[2, 3], [4, 5]]);
 * ```
 */
export function expectClose(actual: Comparable, expected: Comparable, options: CloseOptions = {}): void {
  const { rtol, atol } = { ...DEFAULTS, ...options };
  const m = mismatches(actual, expected, options);
  // A flat array or a number as `expected` is compared by element count; nested arrays and tensors by shape.
  const shapeKnown = expected instanceof Tensor || (Array.isArray(expected) && m.shapeE.length > 1);
  const shapeDiffers = m.shapeA.length !== m.shapeE.length || m.shapeA.some((s, i) => s !== m.shapeE[i]);
  if (m.a.length !== m.e.length || (shapeKnown && shapeDiffers)) {
    throw new ShapeError(
      `expectClose: actual has shape ${formatShape(m.shapeA)} (${m.a.length} elements) but expected has shape ${formatShape(m.shapeE)} (${m.e.length} elements)`,
    );
  }
  if (m.bad.length === 0) return;
  const lines = m.bad
    .slice(0, 10)
    .map((i) => `  [${i}] actual ${m.a[i]}  expected ${m.e[i]}  diff ${m.a[i] - m.e[i]}`);
  let worst = 0;
  for (const i of m.bad) worst = Math.max(worst, Math.abs(m.a[i] - m.e[i]));
  throw new Error(
    `expectClose: ${m.bad.length} of ${m.a.length} elements differ (rtol ${rtol}, atol ${atol}, shape ${formatShape(m.shapeA)}; largest difference ${worst}):\n${lines.join('\n')}${m.bad.length > 10 ? `\n  … ${m.bad.length - 10} more` : ''}`,
  );
}
