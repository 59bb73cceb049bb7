import { expect } from 'vitest';
import { isTuple } from '../src/python-values';
import { isTensorLike } from '../src/tensor-like';

/** Asserts that a loaded value matches the JSON image make_fixtures.py wrote for it. */
export function expectMatches(actual: unknown, want: unknown, path = 'root'): void {
  if (want === null || typeof want === 'string' || typeof want === 'boolean') {
    expect(actual, path).toBe(want);
    return;
  }
  if (Array.isArray(want)) {
    expect(Array.isArray(actual) && !isTuple(actual), `${path} is a list`).toBe(true);
    const a = actual as unknown[];
    expect(a.length, path).toBe(want.length);
    for (const [i, w] of want.entries()) expectMatches(a[i], w, `${path}[${i}]`);
    return;
  }
  const w = want as Record<string, any>;
  if ('__int__' in w) {
    expect(Number.isInteger(actual), `${path} is an integer`).toBe(true);
    expect(actual, path).toBe(w['__int__']);
  } else if ('__float__' in w) {
    expect(typeof actual, path).toBe('number');
    expect(Object.is(actual, w['__float__']), `${path}: ${String(actual)} is ${w['__float__']}`).toBe(true);
  } else if ('__tuple__' in w) {
    expect(isTuple(actual), `${path} is a tuple`).toBe(true);
    const items = w['__tuple__'] as unknown[];
    expect((actual as unknown[]).length, path).toBe(items.length);
    for (const [i, x] of items.entries()) expectMatches((actual as unknown[])[i], x, `${path}[${i}]`);
  } else if ('__dict__' in w) {
    const obj = actual as Record<string, unknown>;
    expect(typeof obj === 'object' && obj !== null && !Array.isArray(obj), `${path} is a dict`).toBe(true);
    const pairs = w['__dict__'] as [unknown, unknown][];
    const keys = pairs.map(([k]) => (typeof k === 'string' ? k : String((k as { __int__: number }).__int__)));
    expect(Object.keys(obj).sort(), `${path} keys`).toEqual(keys.sort());
    for (const [k, v] of pairs) {
      const key = typeof k === 'string' ? k : String((k as { __int__: number }).__int__);
      expectMatches(obj[key], v, `${path}.${key}`);
    }
  } else if ('__tensor__' in w) {
    expect(isTensorLike(actual), `${path} is a tensor`).toBe(true);
    const t = actual as { dtype: string; shape: readonly number[]; toTypedArray(): ArrayLike<number> };
    expect(t.dtype, `${path} dtype`).toBe(w['__tensor__']);
    expect([...t.shape], `${path} shape`).toEqual(w['shape']);
    const values = Array.from(t.toTypedArray());
    expect(values, `${path} values`).toEqual(
      w['__tensor__'] === 'bool' ? w['values'].map(Number) : w['values'],
    );
  } else {
    throw new Error(`unknown expectation at ${path}: ${JSON.stringify(want)}`);
  }
}
