import { describe, expect, it } from 'vitest';
import { Generator, manualSeed, rand, randint, randn, randperm } from './random';

describe('Generator', () => {
  it('manualSeed makes streams reproducible; different seeds differ', () => {
    manualSeed(3);
    const a = randn([5]).toArray();
    manualSeed(3);
    expect(randn([5]).toArray()).toEqual(a);
    manualSeed(4);
    expect(randn([5]).toArray()).not.toEqual(a);
  });

  it('getState/setState restore the exact stream, including the cached Box-Muller spare, through JSON', () => {
    const g = new Generator(11);
    g.normal(); // leaves a spare in the state
    const saved = JSON.stringify(g.getState());
    const next = [g.normal(), g.normal(), g.random(), g.nextUint32()];
    const h = new Generator(0).setState(JSON.parse(saved));
    expect([h.normal(), h.normal(), h.random(), h.nextUint32()]).toEqual(next);
    expect(() => g.setState({ s: [1, 2] } as never)).toThrow(/invalid generator state/);
  });

  it('uniform moments: mean 1/2, variance 1/12 (n = 200000, 5 sigma bounds)', () => {
    const n = 200000;
    const x = rand([n], { generator: new Generator(1), dtype: 'float64' });
    const mean = x.mean().item();
    const v = x.var().item();
    expect(Math.abs(mean - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(v - 1 / 12)).toBeLessThan(5 * Math.sqrt(1 / 180 / n));
    expect(x.min().item()).toBeGreaterThanOrEqual(0);
    expect(x.max().item()).toBeLessThan(1);
  });

  it('normal moments: mean 0, variance 1, fourth moment 3 (n = 200000)', () => {
    const n = 200000;
    const x = randn([n], { generator: new Generator(2), dtype: 'float64' });
    expect(Math.abs(x.mean().item())).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(x.var().item() - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
    expect(Math.abs(x.pow(4).mean().item() - 3)).toBeLessThan(5 * Math.sqrt(96 / n));
  });

  it('randint covers [low, high) uniformly; randperm is a permutation', () => {
    const r = randint(-2, 3, [50000], { generator: new Generator(5) });
    expect(r.dtype).toBe('int32');
    const counts = [0, 0, 0, 0, 0];
    for (const v of r.toTypedArray()) counts[v + 2]++;
    for (const c of counts) expect(Math.abs(c - 10000)).toBeLessThan(5 * Math.sqrt(10000 * 0.8));
    const p = Array.from(randperm(100, { generator: new Generator(6) }).toTypedArray());
    expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(p).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
  });
});
