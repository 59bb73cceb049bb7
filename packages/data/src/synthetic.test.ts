import { Generator } from '@opt/tensor';
import { describe, expect, it } from 'vitest';
import { regressionLine, twoSpirals } from './synthetic';

describe('twoSpirals', () => {
  it('gives n points, half of each class, on two spirals rotated by π, reproducibly', () => {
    const ds = twoSpirals(200, { noise: 0, generator: new Generator(1) });
    expect(ds.length).toBe(200);
    const [x, y] = ds.tensors as [any, any];
    expect(x.shape).toEqual([200, 2]);
    expect(y.dtype).toBe('int32');
    const xv = x.toTypedArray() as Float32Array;
    const yv = y.toTypedArray() as Int32Array;
    expect(yv.filter((v) => v === 1).length).toBe(100);
    // without noise, point k of class 1 is point k of class 0 rotated by π (negated)
    for (let k = 0; k < 100; k++) {
      expect(xv[2 * (100 + k)]).toBeCloseTo(-xv[2 * k]!, 5);
      expect(xv[2 * (100 + k) + 1]).toBeCloseTo(-xv[2 * k + 1]!, 5);
    }
    const a = twoSpirals(50, { generator: new Generator(3) }).tensors[0]!.toTypedArray();
    const b = twoSpirals(50, { generator: new Generator(3) }).tensors[0]!.toTypedArray();
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(() => twoSpirals(1)).toThrow('twoSpirals: n must be an integer ≥ 2, got 1');
  });
});

describe('regressionLine', () => {
  it('least squares on the samples recovers the slope and intercept', () => {
    const ds = regressionLine(2000, { slope: 3, intercept: -1, noise: 0.1, generator: new Generator(0) });
    const x = ds.tensors[0]!.toTypedArray() as Float32Array;
    const y = ds.tensors[1]!.toTypedArray() as Float32Array;
    let sx = 0;
    let sy = 0;
    let sxx = 0;
    let sxy = 0;
    for (let i = 0; i < x.length; i++) {
      sx += x[i]!;
      sy += y[i]!;
      sxx += x[i]! * x[i]!;
      sxy += x[i]! * y[i]!;
    }
    const n = x.length;
    const slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
    const intercept = (sy - slope * sx) / n;
    // standard error of the slope ≈ 0.1 / √(n·var(x)) ≈ 0.004
    expect(Math.abs(slope - 3)).toBeLessThan(0.02);
    expect(Math.abs(intercept + 1)).toBeLessThan(0.02);
    expect(Math.min(...x)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...x)).toBeLessThan(1);
  });
});
