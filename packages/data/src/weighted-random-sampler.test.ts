import { Generator } from '@opt/tensor';
import { describe, expect, it } from 'vitest';
import { WeightedRandomSampler } from './weighted-random-sampler';

describe('WeightedRandomSampler', () => {
  it('draws index i with probability weights[i] / Σ weights (with replacement)', () => {
    const weights = [1, 0, 3, 6];
    const s = new WeightedRandomSampler(weights, 200_000, { generator: new Generator().manualSeed(0) });
    const counts = [0, 0, 0, 0];
    for (const i of s) counts[i]!++;
    expect(counts[1]).toBe(0);
    // binomial standard deviation at 200k draws is under 0.0011 for every p here: 5σ
    for (const [i, w] of weights.entries())
      expect(Math.abs(counts[i]! / 200_000 - w / 10)).toBeLessThan(0.0055);
  });

  it('without replacement draws distinct indices of positive weight, as many as asked', () => {
    const s = new WeightedRandomSampler([5, 0, 1, 1, 2], 4, {
      replacement: false,
      generator: new Generator().manualSeed(2),
    });
    for (let pass = 0; pass < 20; pass++) {
      const drawn = [...s];
      expect(drawn.length).toBe(4);
      expect(new Set(drawn).size).toBe(4);
      expect(drawn).not.toContain(1);
    }
  });

  it('is reproducible from a seed', () => {
    const a = [...new WeightedRandomSampler([1, 2, 3], 10, { generator: new Generator().manualSeed(7) })];
    const b = [...new WeightedRandomSampler([1, 2, 3], 10, { generator: new Generator().manualSeed(7) })];
    expect(a).toEqual(b);
  });

  it('refuses bad weights and counts, naming them (PyTorch raises for each)', () => {
    expect(() => new WeightedRandomSampler([1, 1], 0)).toThrow(
      /numSamples must be a positive integer, got 0/,
    );
    expect(() => new WeightedRandomSampler([1, -1], 2)).toThrow(
      /weights\[1\] must be a finite number ≥ 0, got -1/,
    );
    expect(() => new WeightedRandomSampler([1, Number.NaN], 2)).toThrow(/weights\[1\] .* got NaN/);
    expect(() => new WeightedRandomSampler([0, 0], 1)).toThrow(/at least one positive entry/);
    expect(() => new WeightedRandomSampler([1, 0, 0], 2, { replacement: false })).toThrow(
      /numSamples 2 without replacement needs as many positive weights, got 1/,
    );
  });
});
