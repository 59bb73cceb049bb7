import { readFileSync } from 'node:fs';
import { Generator, type Tensor, tensor } from '@opt/tensor';
import { describe, expect, it } from 'vitest';
import { defaultCollate } from '../src/collate';
import { DataLoader } from '../src/dataloader';
import { Dataset } from '../src/dataset';
import { BatchSampler, RandomSampler, SequentialSampler } from '../src/samplers';
import { Compose } from '../src/transforms/compose';
import { ToTensor } from '../src/transforms/image';
import { Normalize } from '../src/transforms/normalize';

/**
 * Edge-case parity with torch.utils.data. The deterministic cases come from
 * PyTorch via test/fixtures/make_edge_fixtures.py (edge.json, so CI needs no
 * PyTorch); random streams differ by design, so random cases assert structure.
 */
const fx = JSON.parse(readFileSync(new URL('./fixtures/edge.json', import.meta.url), 'utf8'));

const flat = (t: Tensor): number[] => Array.from(t.toTypedArray() as ArrayLike<number>);

class Range extends Dataset<number> {
  constructor(readonly length: number) {
    super();
  }
  get(i: number): number {
    return i;
  }
}

/** A fixture case of batches over `0 … n − 1`, from a DataLoader or a BatchSampler. */
interface BatchCase {
  n: number;
  batchSize: number;
  dropLast: boolean;
  len: number;
  batches: number[][];
}

const seeded = (s: number): Generator => new Generator().manualSeed(s);
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe('DataLoader batch structure (PyTorch fixture)', () => {
  for (const c of fx.loader as BatchCase[]) {
    it(`n=${c.n} batchSize=${c.batchSize} dropLast=${c.dropLast}: ${c.len} batches`, () => {
      const loader = new DataLoader(new Range(c.n), { batchSize: c.batchSize, dropLast: c.dropLast });
      expect(loader.length).toBe(c.len);
      expect([...loader].map((b: Tensor) => flat(b))).toEqual(c.batches);
    });
  }

  it('shuffled batches have the same sizes and cover the dataset once', () => {
    const loader = new DataLoader(new Range(10), { batchSize: 3, shuffle: true, generator: seeded(1) });
    const batches = [...loader].map((b: Tensor) => flat(b));
    expect(batches.map((b) => b.length)).toEqual([3, 3, 3, 1]);
    expect(batches.flat().sort((a, b) => a - b)).toEqual(range(10));
  });

  it('batchSize 0 and -1 are refused naming batchSize and the value', () => {
    for (const e of fx.batchSizeErrors as { batchSize: number }[]) {
      expect(() => new DataLoader(new Range(3), { batchSize: e.batchSize })).toThrow(
        new RegExp(`batchSize.*${e.batchSize}`),
      );
    }
  });

  it.skip('batch_size=None (no batching): not supported; batchSize must be a positive integer', () => {});
});

describe('samplers (PyTorch fixture)', () => {
  it('SequentialSampler', () => {
    expect([0, 1, 4].map((n) => [...new SequentialSampler(n)])).toEqual(fx.sequential);
  });

  for (const c of fx.batchSampler as BatchCase[]) {
    it(`BatchSampler n=${c.n} batchSize=${c.batchSize} dropLast=${c.dropLast}`, () => {
      const b = new BatchSampler(new SequentialSampler(c.n), c.batchSize, c.dropLast);
      expect(b.length).toBe(c.len);
      expect([...b]).toEqual(c.batches);
    });
  }

  it('BatchSampler refuses batchSize 0 / -1 naming the value', () => {
    for (const e of fx.batchSizeErrors as { batchSize: number }[]) {
      expect(() => new BatchSampler(new SequentialSampler(3), e.batchSize, false)).toThrow(
        new RegExp(`batchSize.*${e.batchSize}`),
      );
    }
  });

  for (const c of fx.randomSampler as {
    n: number;
    replacement: boolean;
    numSamples: number | null;
    len: number;
    count: number;
  }[]) {
    it(`RandomSampler n=${c.n} replacement=${c.replacement} numSamples=${c.numSamples}: length ${c.len}`, () => {
      const opts = {
        replacement: c.replacement,
        ...(c.numSamples === null ? {} : { numSamples: c.numSamples }),
      };
      const s = new RandomSampler(c.n, { ...opts, generator: seeded(7) });
      expect(s.length).toBe(c.len);
      const v = [...s];
      expect(v.length).toBe(c.count);
      expect(v.every((i) => Number.isInteger(i) && i >= 0 && i < c.n)).toBe(true);
      expect([...new RandomSampler(c.n, { ...opts, generator: seeded(7) })]).toEqual(v);
      if (!c.replacement) {
        // PyTorch: whole permutations of 0..n-1, then the head of one more.
        for (let k = 0; k + c.n <= v.length; k += c.n) {
          expect(v.slice(k, k + c.n).sort((a, b) => a - b)).toEqual(range(c.n));
        }
        const tail = v.slice(v.length - (v.length % c.n));
        expect(new Set(tail).size).toBe(tail.length);
      }
    });
  }

  for (const e of fx.randomSamplerErrors as { n: number; replacement: boolean; numSamples: number }[]) {
    it(`RandomSampler refuses numSamples=${e.numSamples} (replacement=${e.replacement})`, () => {
      expect(() => new RandomSampler(e.n, { replacement: e.replacement, numSamples: e.numSamples })).toThrow(
        new RegExp(`numSamples.*positive.*${e.numSamples}`),
      );
    });
  }

  it('RandomSampler: different seeds give different orders', () => {
    expect([...new RandomSampler(20, { generator: seeded(1) })]).not.toEqual([
      ...new RandomSampler(20, { generator: seeded(2) }),
    ]);
  });

  // WeightedRandomSampler and randomSplit: src/weighted-random-sampler.test.ts and src/subset.test.ts
});

describe('defaultCollate (PyTorch fixture)', () => {
  const c = fx.collate;

  it('tensors are stacked along a new first dimension', () => {
    const out = defaultCollate([tensor([1, 2]), tensor([3, 4])]) as Tensor;
    expect(out.shape).toEqual(c.tensors.shape);
    expect(out.dtype).toBe(c.tensors.dtype);
    expect(flat(out)).toEqual(c.tensors.values);
  });

  it('integers become an integer tensor, with values and shape as PyTorch', () => {
    const out = defaultCollate([1, 2, 3]) as Tensor;
    expect(out.shape).toEqual(c.ints.shape);
    expect(flat(out)).toEqual(c.ints.values);
    expect(out.dtype).toBe('int32');
  });

  it.skip('integers → int64 and floats → float64 as PyTorch: @opt/tensor has no int64, and float numbers collate to float32 (the library default dtype) by design', () => {});

  it('floats become a float tensor', () => {
    const out = defaultCollate([1.5, 2, 3]) as Tensor;
    expect(out.shape).toEqual(c.floats.shape);
    expect(flat(out)).toEqual(c.floats.values);
  });

  it('booleans become a bool tensor', () => {
    const out = defaultCollate([true, false]) as Tensor;
    expect(out.dtype).toBe(c.bools.dtype);
    expect(out.shape).toEqual(c.bools.shape);
    expect(flat(out).map(Boolean)).toEqual(c.bools.values);
  });

  it('strings are returned as a list', () => {
    expect(defaultCollate(['a', 'b'])).toEqual(['a', 'b']);
  });

  it('tuples are collated position by position', () => {
    const [x, y] = defaultCollate([
      [tensor([1]), 0],
      [tensor([2]), 1],
    ]) as Tensor[];
    expect(x!.shape).toEqual(c.tuples.list[0].shape);
    expect(flat(x!)).toEqual(c.tuples.list[0].values);
    expect(y!.shape).toEqual(c.tuples.list[1].shape);
    expect(flat(y!)).toEqual(c.tuples.list[1].values);
  });

  it('nested objects and arrays are collated recursively', () => {
    const out = defaultCollate([
      { x: tensor([1]), y: { a: 1, b: [2, 3] } },
      { x: tensor([2]), y: { a: 4, b: [5, 6] } },
    ]);
    const want = c.nested.dict;
    expect(out.x.shape).toEqual(want.x.shape);
    expect(flat(out.x)).toEqual(want.x.values);
    expect(flat(out.y.a)).toEqual(want.y.dict.a.values);
    expect(out.y.b.map(flat)).toEqual(want.y.dict.b.list.map((v: { values: number[] }) => v.values));
  });

  it('mismatched tensor shapes throw naming both shapes', () => {
    expect(c.shapeMismatch.error).toBe('RuntimeError');
    expect(() => defaultCollate([tensor([0, 0]), tensor([0, 0, 0])])).toThrow(/\[3\].*\[2\]/);
  });

  it('arrays of unequal length throw', () => {
    expect(c.lengthMismatch.error).toBe('RuntimeError');
    expect(() => defaultCollate([[1, 2], [1]])).toThrow(/length 2/);
  });

  it('an object missing a key of sample 0 throws naming the key', () => {
    expect(c.missingKey.error).toBe('KeyError');
    expect(() => defaultCollate([{ a: 1, b: 2 }, { a: 3 }])).toThrow(/sample 1.*"b"/);
  });

  it('no samples throws', () => {
    expect(() => defaultCollate([])).toThrow(/at least one sample/);
  });
});

describe('transforms', () => {
  it('ToTensor turns HWC uint8 into CHW float32 / 255', () => {
    const data = Uint8Array.from([0, 255, 51, 102, 153, 204]); // 1×2 pixels, 3 channels
    const t = new ToTensor().apply({ data, height: 1, width: 2, channels: 3 });
    expect(t.shape).toEqual([3, 1, 2]);
    expect(t.dtype).toBe('float32');
    expect(flat(t)).toEqual([0, 102, 255, 153, 51, 204].map((v) => Math.fround(v / 255)));
  });

  it('Normalize applies per-channel mean and std', () => {
    const x = tensor([[[1, 2]], [[3, 4]]]);
    const out = new Normalize([1, 2], [1, 0.5]).apply(x);
    expect(flat(out)).toEqual([0, 1, 2, 4]);
  });

  it('Normalize refuses std 0 naming std and the value (PyTorch: "std evaluated to zero … division by zero")', () => {
    expect(() => new Normalize([0, 0], [1, 0])).toThrow(/std\[1\].*non-zero.*0/);
  });

  it('Normalize refuses a channel-count mismatch', () => {
    expect(() => new Normalize([0, 0, 0], [1, 1, 1]).apply(tensor([[[1]], [[2]]]))).toThrow(/2 channels.*3/);
  });

  it('Compose applies first to last', () => {
    const t = new Compose([(x: number) => x + 1, (x: number) => x * 10]);
    expect(t.apply(1)).toBe(20);
  });
});

describe('defaultCollate booleans mixed with numbers', () => {
  it('count as 0/1 as torch.tensor([True, 1.5]) does', () => {
    expect(flat(defaultCollate([true, 1]) as Tensor)).toEqual([1, 1]);
    expect(flat(defaultCollate([true, 1.5]) as Tensor)).toEqual([1, 1.5]);
  });
});
