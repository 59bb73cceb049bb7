import { Generator, type Tensor, tensor } from '@opt/tensor';
import { describe, expect, it } from 'vitest';
import { DataLoader } from './dataloader';
import { TensorDataset } from './dataset';
import { BatchSampler, RandomSampler, SequentialSampler, SubsetRandomSampler } from './samplers';

const flat = (t: Tensor): number[] => Array.from(t.toTypedArray() as ArrayLike<number>);

function dataset(n: number): TensorDataset {
  const x = tensor(Array.from({ length: n }, (_, i) => [i, 10 * i]));
  const y = tensor(
    Array.from({ length: n }, (_, i) => i),
    undefined,
    { dtype: 'int32' },
  );
  return new TensorDataset(x, y);
}

describe('samplers', () => {
  it('SequentialSampler yields 0..n-1', () => {
    expect([...new SequentialSampler(4)]).toEqual([0, 1, 2, 3]);
  });

  it('RandomSampler yields a permutation, the same for the same seed, a new one each pass', () => {
    const s = new RandomSampler(50, { generator: new Generator().manualSeed(3) });
    const a = [...s];
    const b = [...s];
    expect([...a].sort((p, q) => p - q)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(a).not.toEqual(b);
    expect([...new RandomSampler(50, { generator: new Generator().manualSeed(3) })]).toEqual(a);
  });

  it('RandomSampler with replacement stays in range and has numSamples', () => {
    const s = new RandomSampler(3, {
      replacement: true,
      numSamples: 100,
      generator: new Generator().manualSeed(1),
    });
    const v = [...s];
    expect(v.length).toBe(100);
    expect(v.every((i) => i >= 0 && i < 3)).toBe(true);
    expect(new Set(v).size).toBe(3);
    expect(() => new RandomSampler(3, { numSamples: 0 })).toThrow(
      /numSamples must be a positive integer, got 0/,
    );
    expect(() => new RandomSampler(0, { numSamples: 2 })).toThrow(/numSamples 2 from a dataset of length 0/);
  });

  it('SubsetRandomSampler permutes the given indices', () => {
    const v = [...new SubsetRandomSampler([7, 9, 11, 13], { generator: new Generator().manualSeed(0) })];
    expect([...v].sort((a, b) => a - b)).toEqual([7, 9, 11, 13]);
  });

  it('BatchSampler groups and drops the last batch on request', () => {
    expect([...new BatchSampler(new SequentialSampler(5), 2, false)]).toEqual([[0, 1], [2, 3], [4]]);
    expect([...new BatchSampler(new SequentialSampler(5), 2, true)]).toEqual([
      [0, 1],
      [2, 3],
    ]);
    expect(new BatchSampler(new SequentialSampler(5), 2, false).length).toBe(3);
    expect(() => new BatchSampler(new SequentialSampler(5), 0, false)).toThrow(
      /batchSize must be a positive integer, got 0/,
    );
  });
});

describe('DataLoader', () => {
  it('batches in order by default with the default collate', () => {
    const loader = new DataLoader(dataset(5), { batchSize: 2 });
    const batches = [...loader] as Tensor[][];
    expect(batches.length).toBe(3);
    expect(loader.length).toBe(3);
    expect(batches[0]![0]!.shape).toEqual([2, 2]);
    expect(flat(batches[0]![0]!)).toEqual([0, 0, 1, 10]);
    expect(batches[2]![1]!.dtype).toBe('int32');
    expect(flat(batches[2]![1]!)).toEqual([4]);
  });

  it('shuffles with the seeded generator: each sample once per epoch, reproducible', () => {
    const run = () => {
      const loader = new DataLoader(dataset(10), {
        batchSize: 3,
        shuffle: true,
        generator: new Generator().manualSeed(42),
      });
      return [0, 1].map(() => [...loader].flatMap((b) => flat((b as Tensor[])[1]!)));
    };
    const [e1, e2] = run();
    expect([...e1!].sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => i));
    expect(e1).not.toEqual(e2);
    expect(run()).toEqual([e1, e2]);
  });

  it('dropLast drops the short batch', () => {
    expect([...new DataLoader(dataset(5), { batchSize: 2, dropLast: true })].length).toBe(2);
  });

  it('takes a custom collate and a sampler', () => {
    const loader = new DataLoader(dataset(6), {
      batchSize: 2,
      sampler: new SubsetRandomSampler([0, 2, 4], { generator: new Generator().manualSeed(0) }),
      collate: (samples) => samples.map((s) => (s[1]!.item() as number) * 100),
    });
    const all = [...loader].flat().sort((a, b) => a - b);
    expect(all).toEqual([0, 200, 400]);
    expect(() => new DataLoader(dataset(3), { shuffle: true, sampler: new SequentialSampler(3) })).toThrow(
      /mutually exclusive/,
    );
  });

  it('resumes an interrupted epoch with the same batches, and the epochs after it too', () => {
    const opts = { batchSize: 4, shuffle: true } as const;
    const reference = new DataLoader(dataset(22), { ...opts, generator: new Generator().manualSeed(7) });
    const ref = [0, 1, 2].map(() => [...reference].map((b) => flat((b as Tensor[])[1]!)));

    const interrupted = new DataLoader(dataset(22), { ...opts, generator: new Generator().manualSeed(7) });
    const seen0 = [...interrupted].map((b) => flat((b as Tensor[])[1]!));
    expect(seen0).toEqual(ref[0]);
    const seen1: number[][] = [];
    let saved: unknown = null;
    for (const b of interrupted) {
      seen1.push(flat((b as Tensor[])[1]!));
      if (seen1.length === 2) {
        saved = JSON.parse(JSON.stringify(interrupted.stateDict()));
        break;
      }
    }
    expect(seen1).toEqual(ref[1]!.slice(0, 2));
    const resumed = new DataLoader(dataset(22), { ...opts, generator: new Generator().manualSeed(999) });
    resumed.loadStateDict(saved as never);
    const rest = [...resumed].map((b) => flat((b as Tensor[])[1]!));
    expect(rest).toEqual(ref[1]!.slice(2));
    expect([...resumed].map((b) => flat((b as Tensor[])[1]!))).toEqual(ref[2]);
  });

  it('rejects a malformed state', () => {
    const loader = new DataLoader(dataset(4), { batchSize: 2 });
    expect(() => loader.loadStateDict({ generatorState: null, batchesYielded: -1 })).toThrow(
      /batchesYielded/,
    );
    expect(() => loader.loadStateDict({ generatorState: null, batchesYielded: 5 })).toThrow(
      /exceeds the 2 batches/,
    );
  });
});
