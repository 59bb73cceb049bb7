import { onesLike, tensor, zeros } from '@opt/tensor';
import { describe, expect, it } from 'vitest';
import { enableGrad, isGradEnabled, noGrad, Variable } from './index';

const leaf = (values: number[] | number, requiresGrad = true) =>
  new Variable(tensor(values), { requiresGrad });

describe('the tutorial loop on y = 4x² (x₀ = 2)', () => {
  /** x_{k+1} = x_k − lr·8x_k = x_k(1 − 8·lr): the closed form the loop must follow. */
  function run(lr: number, steps: number): number[] {
    const x = new Variable(tensor([2]), { requiresGrad: true });
    const xs = [x.item()];
    for (let i = 0; i < steps; i++) {
      const y = x.pow(2).mul(4);
      y.backward();
      x.data.sub_(x.grad!.mul(lr));
      x.grad!.zero_();
      xs.push(x.item());
    }
    return xs;
  }

  it.each([0.5, 0.2, 0.125, 0.1, 0.3, 0.01])('lr %f follows x_k = 2(1 − 8lr)^k', (lr) => {
    const xs = run(lr, 6);
    for (const [k, x] of xs.entries()) expect(x).toBeCloseTo(2 * (1 - 8 * lr) ** k, 4);
  });

  it('lr 0.125 reaches 0 in one step; lr 0.3 diverges', () => {
    expect(run(0.125, 1)[1]).toBe(0);
    const xs = run(0.3, 5);
    for (let k = 1; k < xs.length; k++) expect(Math.abs(xs[k]!)).toBeGreaterThan(Math.abs(xs[k - 1]!));
  });
});

describe('Variable and the engine', () => {
  it('accumulates gradients across backward calls until zeroed', () => {
    const x = leaf([1, 2]);
    x.mul(3).sum().backward();
    x.mul(3).sum().backward();
    expect(x.grad!.toArray()).toEqual([6, 6]);
    x.grad = null;
    x.mul(x).sum().backward();
    expect(x.grad!.toArray()).toEqual([2, 4]);
  });

  it('implicit gradient only for scalars; an explicit one of the right shape otherwise', () => {
    const x = leaf([1, 2]);
    const y = x.mul(2);
    expect(() => y.backward()).toThrow(/grad can be implicitly created only for scalar outputs/);
    expect(() => y.backward(zeros([3]))).toThrow(/Mismatch in shape/);
    y.backward(tensor([1, 10]));
    expect(x.grad!.toArray()).toEqual([2, 20]);
  });

  it('frees the graph after backward unless retainGraph', () => {
    const x = leaf([3]);
    const y = x.mul(x).sum();
    y.backward(undefined, { retainGraph: true });
    y.backward();
    expect(x.grad!.item()).toBe(12);
    expect(() => y.backward()).toThrow(/backward through the graph a second time/);
  });

  it('a loss kept after backward holds its nodes but no intermediate Variable (as PyTorch frees saved activations)', () => {
    // every Variable a node of the graph still holds, walking the nodes by their edges
    const reachable = (root: Variable) => {
      const held = new Set<Variable>();
      const seen = new Set<unknown>();
      const walk = (node: NonNullable<Variable['gradFn']>) => {
        if (seen.has(node)) return;
        seen.add(node);
        for (const input of node.inputs) if (input) held.add(input);
        for (const next of node.nextFunctions) if (next) walk(next);
      };
      if (root.gradFn) walk(root.gradFn);
      return [...held];
    };
    const w = leaf([1, -0.25]);
    const x = leaf([1, 2, 3, 4], false);
    const h = x
      .reshape([2, 2])
      .matmul(w.reshape([2, 1]))
      .relu();
    const loss = h.mul(h).sum();
    const names = loss.gradFn!.nextFunctions.map((n) => n?.name);
    // before backward the intermediates are reachable from the loss
    expect(reachable(loss)).toContain(h);
    loss.backward(undefined, { retainGraph: true });
    expect(reachable(loss)).toContain(h);
    loss.backward();
    // after the last backward the graph holds only the leaf; the edges survive
    expect(reachable(loss)).toEqual([w]);
    expect(loss.gradFn!.nextFunctions.map((n) => n?.name)).toEqual(names);
    expect(loss.gradFn!.nextFunctions[0]!.nextFunctions[0]!.name).toBe('ReluBackward0');
    // h = relu([1,2]·w, [3,4]·w) = [0.5, 2]; dloss/dw = 2·0.5·[1,2] + 2·2·[3,4] = [13, 18], twice
    expect(w.grad!.toArray()).toEqual([26, 36]);
    expect(() => loss.backward()).toThrow(/backward through the graph a second time/);
  });

  it('keeps .grad on leaves only, unless retainGrad', () => {
    const x = leaf([1, 2]);
    const h = x.mul(2);
    const k = x.mul(3);
    k.retainGrad();
    h.add(k).sum().backward();
    expect(h.grad).toBeNull();
    expect(k.grad!.toArray()).toEqual([1, 1]);
    expect(x.isLeaf).toBe(true);
    expect(h.isLeaf).toBe(false);
    expect(h.gradFn!.name).toBe('MulBackward0');
    expect(h.add(1).gradFn!.nextFunctions[0]!.name).toBe('MulBackward0');
  });

  it('raises PyTorch’s error when a saved tensor was modified in place', () => {
    const x = leaf([1, 2]);
    const y = x.mul(3); // saves nothing of its output
    y.data.mul_(2);
    expect(() => y.sum().backward()).not.toThrow(); // MulBackward0 saved x and 3, not y
    const w = x.exp(); // saves its output
    const loss = w.sum();
    w.data.add_(1);
    expect(() => loss.backward()).toThrow(
      /one of the variables needed for gradient computation has been modified by an inplace operation: \[torch\.FloatTensor \[2\]\].*is at version 1; expected version 0 instead/,
    );
  });

  it('lets optimizers update param.data in place between iterations', () => {
    const w = leaf([1, 2]);
    for (let i = 0; i < 3; i++) {
      const loss = w.mul(w).sum();
      loss.backward();
      w.data.sub_(w.grad!.mul(0.1));
      w.grad!.zero_();
    }
    expect((w.data.toArray() as number[])[0]).toBeCloseTo(0.8 ** 3, 6);
  });

  it('noGrad records nothing; enableGrad inside it does', () => {
    const x = leaf([1]);
    const y = noGrad(() => x.mul(2));
    expect(y.requiresGrad).toBe(false);
    expect(y.gradFn).toBeNull();
    expect(noGrad(() => isGradEnabled())).toBe(false);
    expect(noGrad(() => enableGrad(() => x.mul(2))).requiresGrad).toBe(true);
    expect(isGradEnabled()).toBe(true);
  });

  it('detach cuts the graph; requiresGrad_ freezes a leaf; int data cannot require grad', () => {
    const x = leaf([1, 2]);
    const d = x.mul(2).detach();
    expect(d.requiresGrad).toBe(false);
    expect(d.isLeaf).toBe(true);
    x.requiresGrad_(false);
    expect(x.mul(2).requiresGrad).toBe(false);
    expect(() => new Variable(tensor([1], undefined, { dtype: 'int32' }), { requiresGrad: true })).toThrow(
      /only Tensors of floating point dtype can require gradients/,
    );
    expect(() => x.mul(1).requiresGrad_(false)).not.toThrow();
  });

  it('walks deep graphs without overflowing the stack', () => {
    const x = leaf([1]);
    let y = x;
    for (let i = 0; i < 20000; i++) y = y.add(1);
    y.backward();
    expect(x.grad!.item()).toBe(1);
  });

  it('sums a gradient reaching a leaf along several paths (diamond)', () => {
    const x = leaf([2]);
    const a = x.mul(3);
    const y = a.mul(a).add(a); // y = 9x² + 3x, dy/dx = 18x + 3
    y.backward();
    expect(x.grad!.item()).toBe(39);
  });

  it('prints like PyTorch', () => {
    const x = leaf([1, 2]);
    expect(String(x)).toBe('tensor([1., 2.], requires_grad=True)');
    expect(String(x.mul(2))).toBe('tensor([2., 4.], grad_fn=<MulBackward0>)');
  });

  it('checks assigned gradients', () => {
    const x = leaf([1, 2]);
    expect(() => {
      x.grad = zeros([3]);
    }).toThrow(/different size/);
    x.grad = onesLike(x.data);
    expect(x.grad.toArray()).toEqual([1, 1]);
  });
});

describe('accumulation into an existing .grad', () => {
  it("sums one backward's contributions first, then adds them once, as PyTorch's AccumulateGrad", () => {
    // PyTorch 1.13: w = torch.tensor([1.2345678, -0.3333333, 3.1415927, 0.1, 7.77777],
    // requires_grad=True); (w*2).sum().backward(); (w*w).sum().backward(); w.grad as float32 bits.
    // w*w sends w twice: 2 + (w + w) = [4.4691353, 1.3333334, ..., 2.2, ...], where (2 + w) + w
    // gives 1.3333335 and 2.1999998.
    // biome-ignore lint/suspicious/noApproximativeNumericConstant: PyTorch's input value, not π
    const w = leaf([1.2345678, -0.3333333, 3.1415927, 0.1, 7.77777]);
    w.mul(2).sum().backward();
    w.mul(w).sum().backward();
    const bits = Array.from(new Uint32Array(Float32Array.from(w.grad!.toTypedArray()).buffer));
    expect(bits).toEqual([1083114280, 1068149419, 1090815982, 1074580685, 1099723199]);
  });
});
