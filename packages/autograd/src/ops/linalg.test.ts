import { manualSeed, randn } from '@opt/tensor';
import { describe, expect, it } from 'vitest';
import { Variable } from '../index';

describe('matmul gradient of a transposed second operand (a linear layer’s w.t())', () => {
  it.each([
    [5, 7, 3],
    [64, 400, 120],
    [1, 9, 2],
    [33, 2, 17],
  ])('x [%i, %i] · wᵀ, w [%i, ·]: same values as Aᵀ·G, and a contiguous weight gradient', (n, k, m) => {
    manualSeed(n * 1000 + k + m);
    const w = new Variable(randn([m, k]), { requiresGrad: true });
    const x = new Variable(randn([n, k]), { requiresGrad: true });
    const r = randn([n, m]);
    x.matmul(w.t()).mul(new Variable(r)).sum().backward();
    const grad = w.grad!;
    expect(grad.isContiguous()).toBe(true);
    // the direct rule, dW = (xᵀ·r)ᵀ, summed in the same order: equal to the last bit
    const direct = x.data.transpose(0, 1).matmul(r).transpose(0, 1).contiguous();
    expect(Array.from(grad.toTypedArray())).toEqual(Array.from(direct.toTypedArray()));
    // x's gradient is untouched by the layout choice
    expect(Array.from(x.grad!.toTypedArray())).toEqual(Array.from(r.matmul(w.data).toTypedArray()));
  });

  it('a plain (non-transposed) second operand keeps Aᵀ·G', () => {
    manualSeed(3);
    const b = new Variable(randn([6, 4]), { requiresGrad: true });
    const a = new Variable(randn([5, 6]));
    const r = randn([5, 4]);
    a.matmul(b).mul(new Variable(r)).sum().backward();
    expect(Array.from(b.grad!.toTypedArray())).toEqual(
      Array.from(a.data.transpose(0, 1).matmul(r).toTypedArray()),
    );
  });
});
