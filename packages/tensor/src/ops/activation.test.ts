import { describe, expect, it } from 'vitest';
import { randn, tensor, thresholdBackward, zeros } from '../index';

describe('thresholdBackward', () => {
  it('passes the gradient where output > threshold, on contiguous and strided inputs', () => {
    expect(thresholdBackward(tensor([1, 2, 3, 4]), tensor([0, 5, -1, 0.5]), 0).toArray()).toEqual([
      0, 2, 0, 4,
    ]);
    expect(thresholdBackward(tensor([1, 2, 3]), tensor([0.5, 1, 2]), 1).toArray()).toEqual([0, 0, 3]);
    const g = randn([3, 4]);
    const y = randn([4, 3]).t(); // strided
    const expected = g.toArray() as number[][];
    const out = thresholdBackward(g, y).toArray() as number[][];
    const ys = y.toArray() as number[][];
    out.forEach((row, i) => {
      row.forEach((v, j) => {
        expect(v).toBe(ys[i]![j]! > 0 ? expected[i]![j]! : 0);
      });
    });
  });

  it('names the mismatch', () => {
    expect(() => thresholdBackward(zeros([2]), zeros([3]))).toThrow(
      /thresholdBackward: gradOutput \[2\] and output \[3\] differ/,
    );
  });
});
