import { describe, expect, it } from 'vitest';
import {
  fromTypedArray,
  maxPool2dWithIndices,
  randn,
  tensor,
  thresholdBackward,
  thresholdBackward_,
  zeros,
} from '../index';

describe('thresholdBackward', () => {
  it('passes the gradient where output > threshold, on contiguous and strided inputs', () => {
    expect(thresholdBackward(tensor([1, 2, 3, 4]), tensor([0, 5, -1, 0.5]), 0).toArray()).toEqual([
      0, 2, 0, 4,
    ]);
    expect(thresholdBackward(tensor([1, 2, 3]), tensor([0.5, 1, 2]), 1).toArray()).toEqual([0, 0, 3]);
    const g = randn([3, 4]);
    const y = randn([4, 3]).t(); // strided
    const expected = g.toArray() as number[][];
    const out = thresholdBackward(g, y).toArray() as number[][];
    const ys = y.toArray() as number[][];
    out.forEach((row, i) => {
      row.forEach((v, j) => {
        expect(v).toBe(ys[i]![j]! > 0 ? expected[i]![j]! : 0);
      });
    });
  });

  it('names the mismatch', () => {
    expect(() => thresholdBackward(zeros([2]), zeros([3]))).toThrow(
      /thresholdBackward: gradOutput \[2\] and output \[3\] differ/,
    );
  });
});

describe('branch-free kernels keep PyTorch’s NaN and ∞ rules', () => {
  it('thresholdBackward drops NaN/∞ gradients where the output is ≤ 0 and keeps them elsewhere', () => {
    const g = tensor([Number.NaN, Number.POSITIVE_INFINITY, Number.NaN, -2]);
    const y = tensor([0, -1, 3, 1]);
    const out = Array.from(thresholdBackward(g, y).toTypedArray());
    expect(out[0]).toBe(0);
    expect(out[1]).toBe(0);
    expect(Number.isNaN(out[2]!)).toBe(true);
    expect(out[3]).toBe(-2);
  });

  it('a NaN output passes its gradient, as PyTorch does (contiguous, strided, in place, float64)', () => {
    // PyTorch 1.13 and 2.x: torch.ops.aten.threshold_backward(tensor([2., 3., 4., 5.]),
    // tensor([nan, 1., -1., 0.]), 0.) == tensor([2., 3., 0., 0.]) (threshold_kernel: x <= t ? 0 : g)
    const expected = [2, 3, 0, 0];
    const g = tensor([2, 3, 4, 5]);
    const y = tensor([Number.NaN, 1, -1, 0]);
    expect(Array.from(thresholdBackward(g, y).toTypedArray())).toEqual(expected);
    const yStrided = tensor([Number.NaN, 9, 1, 9, -1, 9, 0, 9]).reshape([4, 2]).select(1, 0);
    expect(Array.from(thresholdBackward(g, yStrided).toTypedArray())).toEqual(expected);
    expect(Array.from(thresholdBackward(g.to('float64'), y.to('float64')).toTypedArray())).toEqual(expected);
    const own = tensor([2, 3, 4, 5]);
    expect(Array.from(thresholdBackward_(own, y).toTypedArray())).toEqual(expected);
  });

  it('max pooling takes the first NaN of a window, with its index', () => {
    const x = tensor([
      [
        [1, Number.NaN, 5, 2],
        [7, Number.NaN, 0, 3],
      ],
    ]);
    const { output, indices } = maxPool2dWithIndices(x, 2);
    expect(Number.isNaN(output.toTypedArray()[0]!)).toBe(true);
    expect(Array.from(indices.toTypedArray())).toEqual([1, 2]);
    expect(output.toTypedArray()[1]).toBe(5);
  });

  it('2×2 max pooling on float32 (unrolled) picks what the general loop picks on float64: ties, NaNs', () => {
    // small integers make ties common; a few NaNs at random places
    const vals = Array.from({ length: 2 * 3 * 8 * 10 }, (_, i) => (i % 17 === 5 ? Number.NaN : (i * 7) % 4));
    const f32 = fromTypedArray(Float32Array.from(vals), [2, 3, 8, 10]);
    const f64 = fromTypedArray(Float64Array.from(vals), [2, 3, 8, 10]);
    const a = maxPool2dWithIndices(f32, 2);
    const b = maxPool2dWithIndices(f64, 2);
    expect(Array.from(a.indices.toTypedArray())).toEqual(Array.from(b.indices.toTypedArray()));
    expect(Array.from(a.output.toTypedArray())).toEqual(Array.from(b.output.toTypedArray()));
    // a window of equal values keeps its first element
    expect(
      Array.from(
        maxPool2dWithIndices(
          tensor([
            [
              [3, 3],
              [3, 3],
            ],
          ]),
          2,
        ).indices.toTypedArray(),
      ),
    ).toEqual([0]);
  });

  it('relu keeps NaN', () => {
    expect(Number.isNaN(tensor([Number.NaN, -1, 2]).relu().toTypedArray()[0]!)).toBe(true);
    expect(Array.from(tensor([Number.NaN, -1, 2]).relu().toTypedArray()).slice(1)).toEqual([0, 2]);
  });
});

describe('thresholdBackward_ (in place)', () => {
  it('writes the same values as thresholdBackward into gradOutput, float32 and float64, NaN and ±∞', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      for (const n of [1, 7, 33, 1000]) {
        const g = randn([n], { dtype });
        const y = randn([n], { dtype });
        const gv = g.values;
        const yv = y.values;
        gv[0] = Number.NaN;
        yv[n - 1] = Number.NaN;
        if (n > 2) {
          gv[1] = Number.POSITIVE_INFINITY;
          yv[1] = -1;
          yv[2] = 0;
        }
        const expected = Array.from(thresholdBackward(g, y, 0).toTypedArray());
        const version = g.version;
        const out = thresholdBackward_(g, y, 0);
        expect(out).toBe(g);
        expect(g.version).toBe(version + 1);
        expect(Array.from(g.toTypedArray())).toEqual(expected);
      }
    }
  });

  it('a non-contiguous gradOutput gets a new tensor and is left alone', () => {
    const g = randn([4, 3]).t();
    const y = randn([3, 4]);
    const before = Array.from(g.contiguous().toTypedArray());
    const out = thresholdBackward_(g, y, 0);
    expect(out).not.toBe(g);
    expect(Array.from(out.toTypedArray())).toEqual(Array.from(thresholdBackward(g, y, 0).toTypedArray()));
    expect(Array.from(g.contiguous().toTypedArray())).toEqual(before);
  });
});
