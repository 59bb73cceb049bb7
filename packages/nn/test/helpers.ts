import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Tensor, tensor } from '@opt/tensor';

/** A tensor as the fixture script writes it. */
export interface TJson {
  shape: number[];
  data: number[];
}

/** Reads a fixture JSON written by test/fixtures/make_fixtures.py. */
export function fixture<T = any>(name: string): T {
  return JSON.parse(readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), 'utf8')) as T;
}

/** A fixture tensor as a float32 (or int32) Tensor. */
export function toTensor(t: TJson, dtype: 'float32' | 'float64' | 'int32' = 'float32'): Tensor {
  return tensor(dtype === 'int32' ? Int32Array.from(t.data) : Float64Array.from(t.data), t.shape, { dtype });
}

/** The flat values of a tensor as numbers. */
export function values(t: Tensor): number[] {
  return Array.from(t.toTypedArray() as ArrayLike<number>);
}

/**
 * Asserts |a − b| ≤ atol + rtol·|b| elementwise and equal shapes; reports the worst element.
 */
export function expectClose(actual: Tensor, expected: TJson, rtol = 1e-4, atol = 1e-5, what = ''): void {
  const a = values(actual);
  if (JSON.stringify(actual.shape) !== JSON.stringify(expected.shape)) {
    throw new Error(
      `${what}: shape ${JSON.stringify(actual.shape)} ≠ expected ${JSON.stringify(expected.shape)}`,
    );
  }
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < a.length; i++) {
    const e = expected.data[i]!;
    const excess = Math.abs(a[i]! - e) - (atol + rtol * Math.abs(e));
    if (!(excess <= worstExcess)) {
      worstExcess = Number.isNaN(excess) ? Number.POSITIVE_INFINITY : excess;
      worst = i;
    }
  }
  if (worst >= 0) {
    throw new Error(
      `${what}: element ${worst} is ${a[worst]}, expected ${expected.data[worst]} (rtol ${rtol}, atol ${atol})`,
    );
  }
}
