import { tensor } from '@opt/tensor';
import { describe, expect, it } from 'vitest';
import { customOp } from './custom-op';
import { noGrad } from './grad-mode';
import { Variable } from './variable';

describe('customOp', () => {
  it('takes its hand-written gradient, composed with recorded ops on both sides', () => {
    const x = new Variable(tensor([1, -2, 3]), { requiresGrad: true });
    const h = x.mul(2);
    // h³ with the derivative 3h², then summed: d/dx = 3(2x)²·2 = 24x²
    const y = customOp('CubeBackward0', [h], h.data.pow(3), (g) => [g.mul(h.data.pow(2)).mul(3)], [h.data]);
    expect(y.gradFn?.name).toBe('CubeBackward0');
    expect(y.data.toArray()).toEqual([8, -64, 216]);
    y.sum().backward();
    expect(x.grad!.toArray()).toEqual([24, 96, 216]);
  });

  it('gives constants and null gradients no gradient, and reduces broadcast ones', () => {
    const a = new Variable(tensor([[1, 2]]), { requiresGrad: true });
    const c = tensor([[10], [20]]);
    const y = customOp('AddBackward0', [a, c], a.data.add(c), (g) => [g, null]);
    y.sum().backward();
    expect(a.grad!.toArray()).toEqual([[2, 2]]);
  });

  it('refuses a backward through a saved tensor modified in place', () => {
    const x = new Variable(tensor([1, 2]), { requiresGrad: true });
    const saved = x.data.clone();
    const y = customOp('MulBackward0', [x], x.data.mul(saved), (g) => [g.mul(saved)], [saved]);
    saved.add_(1);
    expect(() => y.sum().backward()).toThrow(/modified by an inplace operation/);
  });

  it('records nothing with grad mode off', () => {
    const x = new Variable(tensor([1]), { requiresGrad: true });
    const y = noGrad(() => customOp('IdBackward', [x], x.data, (g) => [g]));
    expect([y.requiresGrad, y.gradFn]).toEqual([false, null]);
  });
});
