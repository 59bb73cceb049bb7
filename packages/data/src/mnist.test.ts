import { describe, expect, it } from 'vitest';
import { DataLoader } from './dataloader';
import { MnistDigits, mnistDigits } from './mnist';
import { Normalize } from './transforms/normalize';

describe('mnistDigits', () => {
  it('holds the 10,000 real digits, split 80/20 per digit by index, deterministically', () => {
    const { train, test } = mnistDigits();
    // per-digit counts of the mnist package: 1001 1127 991 1032 980 863 1014 1070 944 978
    const counts = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];
    const trainCounts = counts.map((n) => Math.floor(0.8 * n));
    expect(train.images.shape).toEqual([trainCounts.reduce((a, b) => a + b), 1, 28, 28]);
    expect(test.images.shape[0]).toBe(10000 - train.images.shape[0]!);
    const labels = train.labels.toTypedArray() as Int32Array;
    for (let d = 0; d < 10; d++) expect(labels.filter((l) => l === d).length).toBe(trainCounts[d]);
    const px = train.images.toTypedArray() as Float32Array;
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    let sum = 0;
    for (let i = 0; i < px.length; i++) {
      min = Math.min(min, px[i]!);
      max = Math.max(max, px[i]!);
      sum += px[i]!;
    }
    expect(min).toBe(0);
    expect(max).toBe(1);
    // MNIST's well-known mean pixel intensity is about 0.13
    expect(sum / px.length).toBeGreaterThan(0.1);
    expect(sum / px.length).toBeLessThan(0.16);
  });

  it('is a dataset of [image, label] pairs that a DataLoader batches', () => {
    const ds = new MnistDigits({ train: false, transform: new Normalize([0.1307], [0.3081]) });
    const [img, label] = ds.get(0);
    expect(img.shape).toEqual([1, 28, 28]);
    expect(label).toBe(0);
    expect(ds.get(ds.length - 1)[1]).toBe(9);
    const [xb, yb] = [...new DataLoader(ds, { batchSize: 16 })][0] as [any, any];
    expect(xb.shape).toEqual([16, 1, 28, 28]);
    expect(yb.dtype).toBe('int32');
    expect(() => ds.get(ds.length)).toThrow(/index 2004 is out of range for a dataset of length 2004/);
  });
});
