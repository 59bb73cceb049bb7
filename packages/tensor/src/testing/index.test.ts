import { describe, expect, it } from 'vitest';
import { tensor } from '../factories';
import { allClose, expectClose } from './index';

describe('allClose / expectClose', () => {
  it('accepts values within rtol/atol and rejects others', () => {
    expect(allClose(tensor([1, 2]), [1, 2.00001], { rtol: 1e-4 })).toBe(true);
    expect(allClose(tensor([1, 2]), [1, 2.1], { rtol: 1e-4 })).toBe(false);
    expect(allClose([Number.NaN], [Number.NaN])).toBe(true);
    expect(allClose([Number.NaN], [Number.NaN], { equalNan: false })).toBe(false);
    expect(() =>
      expectClose(
        tensor([
          [1, 2],
          [3, 4],
        ]),
        [
          [1, 2],
          [3, 4],
        ],
      ),
    ).not.toThrow();
  });

  it('throws a readable diff naming index, values and tolerances', () => {
    expect(() => expectClose(tensor([1, 2, 3]), [1, 2.5, 3])).toThrow(
      /1 of 3 elements differ .*\n {2}\[1\] actual 2 {2}expected 2.5 {2}diff -0.5/,
    );
    expect(() => expectClose(tensor([[1, 2]]), [[1], [2]])).toThrow(/shape \[1, 2\].*shape \[2, 1\]/);
  });
});
