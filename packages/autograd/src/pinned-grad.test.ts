import { randn, tensor, zeros } from '@opt/tensor';
import { describe, expect, it } from 'vitest';
import { Variable } from './variable';

const pinnable = (() => {
  try {
    return tensor([1]).pinMemory().isPinned();
  } catch {
    return false; // no shared WebAssembly memory in this runtime
  }
})();

describe.runIf(pinnable)('gradients of pinned leaves', () => {
  it('are allocated in ordinary memory, so a loop setting them to null each step pins nothing new', () => {
    const w = new Variable(randn([5]).pinMemory(), { requiresGrad: true });
    for (let step = 0; step < 3; step++) {
      w.grad = null;
      w.mul(2).sum().backward();
      expect(w.grad!.isPinned()).toBe(false);
      expect(w.grad!.toArray()).toEqual([2, 2, 2, 2, 2]);
    }
  });

  it('are accumulated in place into a pinned gradient set by hand', () => {
    const w = new Variable(randn([5]).pinMemory(), { requiresGrad: true });
    const x = w.data.toArray() as number[];
    const g = zeros([5], { pinMemory: true });
    w.grad = g;
    w.mul(2).sum().backward();
    // d(w·w)/dw = w + w, added to the 2 already there
    w.mul(w).sum().backward();
    expect(w.grad).toBe(g);
    expect(g.isPinned()).toBe(true);
    expect(g.toArray()).toEqual(x.map((v) => Math.fround(2 + Math.fround(2 * v))));
  });

  it('copy a pinned incoming gradient instead of adopting it', () => {
    const w = new Variable(tensor([1, 2]).pinMemory(), { requiresGrad: true });
    const seed = tensor([3, 4]).pinMemory();
    w.backward(seed);
    expect(w.grad).not.toBe(seed);
    seed.values[0] = 9;
    expect(w.grad!.toArray()).toEqual([3, 4]);
  });

  it('stay ordinary for leaves in ordinary memory', () => {
    const w = new Variable(tensor([1, 2]), { requiresGrad: true });
    w.mul(3).sum().backward();
    expect(w.grad!.isPinned()).toBe(false);
    expect(w.grad!.toArray()).toEqual([3, 3]);
  });
});
