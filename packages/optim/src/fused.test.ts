import { Generator, loadUpdateKernels, randn, type Tensor } from '@opt/tensor';
import { describe, expect, it } from 'vitest';
import { Adam, type AdamOptions, AdamW, type Optimizer, type ParamLike, SGD, type SGDOptions } from './index';

// The fused WASM path (foreach null, the default) against the per-parameter loops (foreach: false),
// on parameters that are views at an offset into a larger storage, gradients that are transposed
// (strided) views, sizes that cross the kernel's 8,192-float chunks, two groups and a float64
// parameter (which must take the loop inside a fused group). The loops compute in float64 and
// round once; the kernel rounds after each float32 operation as PyTorch does, so they agree to
// float32 precision, not bit for bit (the kernel's exact arithmetic is tested in @opt/tensor).

interface Net {
  params: ParamLike[];
  setGrads(step: number): void;
}

function net(): Net {
  const gen = new Generator().manualSeed(7);
  const storage = randn([30000], { generator: gen });
  const shapes: [number, number][] = [
    [7, 3],
    [91, 97],
    [1, 5],
    [123, 101],
  ];
  let at = 5;
  const params: ParamLike[] = shapes.map(([r, c]) => {
    const data = storage.narrow(0, at, r * c).view([r, c]);
    at += r * c + 3;
    return { data, grad: null };
  });
  params.push({ data: randn([4, 4], { generator: gen, dtype: 'float64' }), grad: null });
  const grads: Tensor[][] = Array.from({ length: 4 }, () =>
    params.map((p) => {
      const [r, c] = p.data.shape as [number, number];
      return randn([c, r], { generator: gen, dtype: p.data.dtype }).t();
    }),
  );
  return {
    params,
    setGrads(step) {
      for (const [i, p] of params.entries()) p.grad = grads[step % grads.length]![i]!;
    },
  };
}

function run(make: (groups: { params: ParamLike[] }[]) => Optimizer<object>, steps: number): Tensor[] {
  const n = net();
  const opt = make([{ params: n.params.slice(0, 2) }, { params: n.params.slice(2) }]);
  for (let s = 0; s < steps; s++) {
    n.setGrads(s);
    opt.step();
  }
  return n.params.map((p) => p.data);
}

function sameBits(a: Tensor, b: Tensor): boolean {
  const x = a.toTypedArray();
  const y = b.toTypedArray();
  return x.every((v, k) => Object.is(v, y[k]));
}

function expectClose(a: Tensor[], b: Tensor[]): void {
  for (const [i, t] of a.entries()) {
    const x = t.toTypedArray();
    const y = b[i]!.toTypedArray();
    let worst = 0;
    for (let k = 0; k < x.length; k++)
      worst = Math.max(worst, Math.abs(x[k]! - y[k]!) / (1e-6 + 1e-5 * Math.abs(y[k]!)));
    expect(worst, `parameter ${i}`).toBeLessThanOrEqual(1);
  }
}

describe.runIf(loadUpdateKernels() !== null)('the fused path agrees with the per-parameter loops', () => {
  const sgd: Partial<SGDOptions>[] = [
    { lr: 0.1 },
    { lr: 0.05, momentum: 0.9 },
    { lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 1e-3 },
    { lr: 0.02, momentum: 0.5, dampening: 0.2, maximize: true, weightDecay: 1e-2 },
  ];
  it.each(sgd.map((o) => [JSON.stringify(o), o] as const))('SGD %s, 6 steps', (_n, o) => {
    const fused = run((g) => new SGD(g, o), 6);
    const loop = run((g) => new SGD(g, { ...o, foreach: false }), 6);
    expectClose(fused, loop);
    expect(fused[0]!.toTypedArray()).not.toEqual(net().params[0]!.data.toTypedArray()); // it moved
    // and the kernel ran: its per-operation float32 rounding leaves some last bits unlike the loops'
    expect(fused.some((t, i) => !sameBits(t, loop[i]!))).toBe(true);
  });

  const adam: Partial<AdamOptions>[] = [
    {},
    { lr: 1e-2, betas: [0.8, 0.99], weightDecay: 1e-2 },
    { lr: 1e-2, amsgrad: true, maximize: true },
    { lr: 1e-2, betas: [0.3, 0.9], amsgrad: true, weightDecay: 0.1 },
  ];
  it.each(adam.map((o) => [JSON.stringify(o), o] as const))('Adam and AdamW %s, 6 steps', (_n, o) => {
    expectClose(
      run((g) => new Adam(g, o), 6),
      run((g) => new Adam(g, { ...o, foreach: false }), 6),
    );
    expectClose(
      run((g) => new AdamW(g, o), 6),
      run((g) => new AdamW(g, { ...o, foreach: false }), 6),
    );
  });

  it('a group whose parameters are at different Adam steps takes each step count', () => {
    // parameter 1 sits out the first two steps, so its bias corrections lag by two
    const make = (foreach: boolean | null) => {
      const n = net();
      const opt = new Adam(n.params, { lr: 1e-2, foreach });
      for (let s = 0; s < 5; s++) {
        n.setGrads(s);
        if (s < 2) n.params[1]!.grad = null;
        opt.step();
      }
      return n.params.map((p) => p.data);
    };
    expectClose(make(null), make(false));
  });
});
