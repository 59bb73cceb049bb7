/**
 * A float as Python's `repr` writes it: exponent notation below 1e-4 (`1e-05`,
 * `1.0000000000000002e-06`), plain digits otherwise.
 *
 * @example
 * pyFloat(1e-5 * 0.1); // '1.0000000000000002e-06'
 */
export function pyFloat(v: number): string {
  if (v !== 0 && Number.isFinite(v) && (Math.abs(v) < 1e-4 || Math.abs(v) >= 1e16))
    return v.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
  return String(v);
}

/**
 * A table cell of at most 9 characters: 4 significant digits, or 3 in exponent form for tiny values.
 *
 * @example
 * cell(0.95 ** 199 * 0.1); // '3.69e-6'
 */
export function cell(v: number): string {
  if (v === 0) return '0';
  return Math.abs(v) < 1e-3 || Math.abs(v) >= 1e5 ? v.toExponential(2) : v.toPrecision(4);
}
