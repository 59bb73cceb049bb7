import {
  manualSeed,
  maxPool2dBackward,
  maxPool2dWithIndices,
  randn,
  tensor,
  thresholdBackward,
} from '@opt/tensor';
import { describe, expect, it } from 'vitest';
import { maxPool2d, Variable } from './index';

// ReLU's backward overwrites the max-pooling gradient it receives when no one else can see it
// (fresh.ts); these check the values against the out-of-place rule and the cases that must not.
describe('ReLU reusing the pooling gradient', () => {
  const arr = (t: { toTypedArray(): ArrayLike<number> }) => Array.from(t.toTypedArray());

  it('relu → maxpool: same input gradient as the out-of-place rule', () => {
    manualSeed(1);
    const x = new Variable(randn([2, 3, 6, 6]), { requiresGrad: true });
    const r = randn([2, 3, 3, 3]);
    const y = x.relu();
    maxPool2d(y, 2, { stride: 2 }).mul(new Variable(r)).sum().backward();
    const { indices } = maxPool2dWithIndices(y.data, 2, { stride: 2 });
    const expected = thresholdBackward(maxPool2dBackward(r, indices, y.shape), y.data, 0);
    expect(arr(x.grad!)).toEqual(arr(expected));
  });

  it('a NaN activation passes its gradient through ReLU, in place and out of place, as in PyTorch', () => {
    // PyTorch 1.13: relu(x).backward([2, 3, 4, 5]) for x = [nan, 1, −1, 0] gives [2, 3, 0, 0]; and
    // max_pool2d(relu(x), 2).mul(5).sum().backward() for x = [[nan, −1], [−2, −3]] gives [5, 0, 0, 0]
    const x = new Variable(tensor([Number.NaN, 1, -1, 0]), { requiresGrad: true });
    x.relu().backward(tensor([2, 3, 4, 5]));
    expect(arr(x.grad!)).toEqual([2, 3, 0, 0]);
    const x2 = new Variable(tensor([Number.NaN, -1, -2, -3]).reshape([1, 1, 2, 2]), { requiresGrad: true });
    maxPool2d(x2.relu(), 2).mul(5).sum().backward();
    expect(arr(x2.grad!)).toEqual([5, 0, 0, 0]);
  });

  it('a retained gradient at the ReLU output is the pooling gradient, not the thresholded one', () => {
    manualSeed(2);
    const x = new Variable(randn([1, 2, 4, 4]), { requiresGrad: true });
    const y = x.relu();
    y.retainGrad();
    const r = randn([1, 2, 2, 2]);
    maxPool2d(y, 2).mul(new Variable(r)).sum().backward();
    const { indices } = maxPool2dWithIndices(y.data, 2);
    const pooled = maxPool2dBackward(r, indices, y.shape);
    expect(arr(y.grad!)).toEqual(arr(pooled));
    expect(arr(x.grad!)).toEqual(arr(thresholdBackward(pooled, y.data, 0)));
  });

  it('a pooling gradient passed on to two ReLUs (through an add) is not overwritten by the first', () => {
    manualSeed(3);
    const u = new Variable(randn([1, 2, 4, 4]), { requiresGrad: true });
    const v = new Variable(randn([1, 2, 4, 4]), { requiresGrad: true });
    const a = u.relu();
    const b = v.relu();
    const s = a.add(b);
    const r = randn([1, 2, 2, 2]);
    maxPool2d(s, 2).mul(new Variable(r)).sum().backward();
    const { indices } = maxPool2dWithIndices(s.data, 2);
    const pooled = maxPool2dBackward(r, indices, s.shape);
    expect(arr(u.grad!)).toEqual(arr(thresholdBackward(pooled, a.data, 0)));
    expect(arr(v.grad!)).toEqual(arr(thresholdBackward(pooled, b.data, 0)));
  });

  it('backward twice through a retained graph gives the same gradient', () => {
    manualSeed(4);
    const x = new Variable(randn([1, 1, 4, 4]), { requiresGrad: true });
    const out = maxPool2d(x.relu(), 2).sum();
    out.backward(undefined, { retainGraph: true });
    const first = arr(x.grad!);
    x.grad!.zero_();
    out.backward();
    expect(arr(x.grad!)).toEqual(first);
  });
});
