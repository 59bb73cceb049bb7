import { Generator } from '@opt/tensor';
import { describe, expect, it } from 'vitest';
import { Dataset } from './dataset';
import { randomSplit, Subset } from './subset';

class Range extends Dataset<number> {
  constructor(readonly length: number) {
    super();
  }
  get(i: number): number {
    return i * 10;
  }
}

describe('Subset', () => {
  it('reads the dataset at its indices, in order', () => {
    const s = new Subset(new Range(5), [4, 0, 4]);
    expect([s.length, s.get(0), s.get(1), s.get(2)]).toEqual([3, 40, 0, 40]);
    expect(() => s.get(3)).toThrow(/Subset: index 3 is out of range for a dataset of length 3/);
    expect(() => new Subset(new Range(5), [5])).toThrow(/Subset: index 5 is out of range/);
  });
});

describe('randomSplit', () => {
  // PyTorch 1.13's torch.utils.data.random_split(range(n), fractions): the split lengths
  it.each([
    [10, [0.3, 0.3, 0.4], [3, 3, 4]],
    [11, [0.5, 0.5], [6, 5]],
    [10, [0.1, 0.2, 0.3, 0.4], [1, 2, 3, 4]],
    [7, [1 / 3, 1 / 3, 1 / 3], [3, 2, 2]],
    [5, [0.9, 0.1], [5, 0]],
    [10, [3, 7], [3, 7]],
  ])('splits %i samples by %j into %j, disjoint and covering', (n, lengths, sizes) => {
    const parts = randomSplit(new Range(n), lengths, new Generator().manualSeed(1));
    expect(parts.map((p) => p.length)).toEqual(sizes);
    const all = parts.flatMap((p) => [...p.indices]).sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: n }, (_, i) => i));
  });

  it('draws the same split from the same seed, and another from another', () => {
    const a = randomSplit(new Range(50), [25, 25], new Generator().manualSeed(3));
    const b = randomSplit(new Range(50), [25, 25], new Generator().manualSeed(3));
    const c = randomSplit(new Range(50), [25, 25], new Generator().manualSeed(4));
    expect(a[0]!.indices).toEqual(b[0]!.indices);
    expect(a[0]!.indices).not.toEqual(c[0]!.indices);
  });

  it('names the lengths and the dataset size when they disagree', () => {
    expect(() => randomSplit(new Range(10), [3, 3])).toThrow(
      /lengths \[3, 3\] sum to 6, but the dataset has 10/,
    );
    expect(() => randomSplit(new Range(10), [-0.5, 1.5])).toThrow(
      /fraction at index 0 is not between 0 and 1, got -0.5/,
    );
    expect(() => randomSplit(new Range(10), [0.5, 0.6])).toThrow(
      /lengths\[0\] must be a non-negative integer/,
    );
  });
});
