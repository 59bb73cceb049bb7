import { Variable } from '@opt/autograd';
import { Generator, ones } from '@opt/tensor';
import { describe, expect, it } from 'vitest';
import { values } from '../../test/helpers';
import { Dropout, Dropout2d } from './dropout';

describe('Dropout', () => {
  it('zeroes about p of the entries, scales the rest by 1/(1-p), and the gradient follows the mask', () => {
    const drop = new Dropout(0.3, { generator: new Generator().manualSeed(0) });
    const x = new Variable(ones([100, 100]), { requiresGrad: true });
    const y = drop.forward(x);
    const v = values(y.data);
    const zeros = v.filter((a) => a === 0).length;
    // 10,000 Bernoulli(0.3) draws: mean 3000, sd ≈ 46
    expect(Math.abs(zeros - 3000)).toBeLessThan(250);
    expect(v.every((a) => a === 0 || Math.abs(a - 1 / 0.7) < 1e-6)).toBe(true);
    y.sum().backward();
    expect(values(x.grad!)).toEqual(v);
  });

  it('is reproducible with the same seed and the identity in eval mode', () => {
    const a = new Dropout(0.5, { generator: new Generator().manualSeed(7) });
    const b = new Dropout(0.5, { generator: new Generator().manualSeed(7) });
    const x = new Variable(ones([50]));
    expect(values(a.forward(x).data)).toEqual(values(b.forward(x).data));
    a.eval();
    expect(a.forward(x)).toBe(x);
    expect(() => new Dropout(1.5)).toThrow('Dropout: dropout probability p must be in [0, 1], got 1.5');
  });
});

describe('Dropout2d', () => {
  it('zeroes whole channels', () => {
    const drop = new Dropout2d(0.5, { generator: new Generator().manualSeed(1) });
    const y = values(drop.forward(new Variable(ones([4, 8, 3, 3]))).data);
    let dropped = 0;
    for (let ch = 0; ch < 32; ch++) {
      const plane = y.slice(ch * 9, ch * 9 + 9);
      expect(plane.every((a) => a === plane[0])).toBe(true);
      expect([0, 2]).toContain(plane[0]);
      if (plane[0] === 0) dropped++;
    }
    expect(dropped).toBeGreaterThan(4);
    expect(dropped).toBeLessThan(28);
  });
});
