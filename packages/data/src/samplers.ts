import type { Generator } from '@opt/tensor';
import { defaultGenerator, randomBelow, randperm } from './random';

/**
 * Anything that yields dataset indices: the samplers below, or a plain
 * array of indices.
 *
 * @example
 * ```ts
 * const sampler: Sampler = new SequentialSampler(10);
 * ```
 */
export interface Sampler extends Iterable<number> {
  /** How many indices one pass yields. */
  readonly length: number;
}

function checkCount(where: string, name: string, n: number): void {
  if (!Number.isInteger(n) || n < 0) {
    throw new RangeError(`${where}: ${name} must be a non-negative integer, got ${n}`);
  }
}

/** Throws a RangeError naming `where` and `name` unless `n` is a positive integer. */
export function checkPositive(where: string, name: string, n: number): void {
  if (!Number.isInteger(n) || n <= 0) {
    throw new RangeError(`${where}: ${name} must be a positive integer, got ${n}`);
  }
}

/**
 * Yields `0, 1, …, n - 1` in order, like `torch.utils.data.SequentialSampler`.
 *
 * @example
 * ```ts
 * [...new SequentialSampler(3)]; // [0, 1, 2]
 * ```
 */
export class SequentialSampler implements Sampler {
  /** How many indices one pass yields. */
  readonly length: number;
  /**
   * @param n the dataset's length (or the dataset itself).
   */
  constructor(n: number | { length: number }) {
    this.length = typeof n === 'number' ? n : n.length;
    checkCount('SequentialSampler', 'n', this.length);
  }
  /**
   * Iterates over the indices.
   *
   * @example
   * ```ts
   * for (const i of new SequentialSampler(3)) console.log(i);
   * ```
   */
  *[Symbol.iterator](): Iterator<number> {
    for (let i = 0; i < this.length; i++) yield i;
  }
}

/** Options of `RandomSampler`. */
export interface RandomSamplerOptions {
  /** Draw with replacement (default false: a permutation). */
  replacement?: boolean;
  /** Indices per pass, a positive integer (default: the dataset's length). Without `replacement`, more than n yields whole permutations of 0…n−1 followed by part of one more, as PyTorch does. */
  numSamples?: number;
  /** The seeded generator to draw from (default: the global one, see `manualSeed`). */
  generator?: Generator;
}

/**
 * Yields the indices `0 … n - 1` in a random order drawn afresh from the
 * generator at the start of each pass, like `torch.utils.data.RandomSampler`.
 *
 * @example
 * ```ts
 * const s = new RandomSampler(5, { generator: new Generator().manualSeed(0) });
 * [...s]; // a permutation of 0..4
 * ```
 */
export class RandomSampler implements Sampler {
  /** How many indices one pass yields. */
  readonly length: number;
  /** The dataset's length. */
  readonly n: number;
  /** Whether indices are drawn with replacement. */
  readonly replacement: boolean;
  /** The generator each pass draws from; `undefined` means the global one. */
  generator: Generator | undefined;

  /**
   * @param n the dataset's length (or the dataset itself).
   * @param options `replacement`, `numSamples`, `generator`.
   */
  constructor(n: number | { length: number }, options: RandomSamplerOptions = {}) {
    this.n = typeof n === 'number' ? n : n.length;
    checkCount('RandomSampler', 'n', this.n);
    this.replacement = options.replacement ?? false;
    this.length = options.numSamples ?? this.n;
    if (options.numSamples !== undefined) checkPositive('RandomSampler', 'numSamples', options.numSamples);
    if (this.n === 0 && this.length > 0) {
      throw new RangeError(`RandomSampler: cannot draw numSamples ${this.length} from a dataset of length 0`);
    }
    this.generator = options.generator;
  }

  /**
   * Iterates over one pass of random indices.
   *
   * @example
   * ```ts
   * for (const i of sampler) dataset.get(i);
   * ```
   */
  *[Symbol.iterator](): Iterator<number> {
    const gen = this.generator ?? defaultGenerator();
    if (this.replacement) {
      for (let i = 0; i < this.length; i++) yield randomBelow(gen, this.n);
      return;
    }
    // Like PyTorch: whole permutations, then the head of one more.
    for (let done = 0; done < this.length; ) {
      const perm = randperm(this.n, gen);
      const take = Math.min(this.n, this.length - done);
      for (let i = 0; i < take; i++) yield perm[i]!;
      done += take;
    }
  }
}

/**
 * Yields the given indices in a random order drawn afresh each pass, like
 * `torch.utils.data.SubsetRandomSampler`.
 *
 * @example
 * ```ts
 * const s = new SubsetRandomSampler([10, 11, 12], { generator });
 * ```
 */
export class SubsetRandomSampler implements Sampler {
  /** The indices to draw from. */
  readonly indices: readonly number[];
  /** The generator each pass draws from; `undefined` means the global one. */
  generator: Generator | undefined;

  /**
   * @param indices the subset of dataset indices.
   * @param options `generator`.
   */
  constructor(indices: readonly number[], options: { generator?: Generator } = {}) {
    indices.forEach((v, i) => {
      if (!Number.isInteger(v) || v < 0) {
        throw new RangeError(`SubsetRandomSampler: indices[${i}] must be a non-negative integer, got ${v}`);
      }
    });
    this.indices = [...indices];
    this.generator = options.generator;
  }

  /** How many indices one pass yields. */
  get length(): number {
    return this.indices.length;
  }

  /**
   * Iterates over one pass.
   *
   * @example
   * ```ts
   * [...sampler].sort(); // the same indices
   * ```
   */
  *[Symbol.iterator](): Iterator<number> {
    const perm = randperm(this.indices.length, this.generator ?? defaultGenerator());
    for (let i = 0; i < perm.length; i++) yield this.indices[perm[i]!]!;
  }
}

/** An iterable of indices with a known length (any `Sampler`, or an array). */
export type SizedIndices = Iterable<number> & {
  /** How many indices one pass yields. */
  length: number;
};

/**
 * Groups the indices of a sampler into arrays of `batchSize`, like
 * `torch.utils.data.BatchSampler`.
 *
 * @example
 * ```ts
 * [...new BatchSampler(new SequentialSampler(5), 2, false)]; // [[0, 1], [2, 3], [4]]
 * ```
 */
export class BatchSampler implements Iterable<number[]> {
  /** The sampler whose indices are grouped. */
  readonly sampler: SizedIndices;
  /** Indices per batch. */
  readonly batchSize: number;
  /** Drop the last batch when it is smaller than `batchSize`. */
  readonly dropLast: boolean;

  /**
   * @param sampler the index sampler.
   * @param batchSize indices per batch (a positive integer).
   * @param dropLast drop the last, smaller batch.
   */
  constructor(sampler: SizedIndices, batchSize: number, dropLast: boolean) {
    checkPositive('BatchSampler', 'batchSize', batchSize);
    this.sampler = sampler;
    this.batchSize = batchSize;
    this.dropLast = dropLast;
  }

  /** How many batches one pass yields. */
  get length(): number {
    const n = this.sampler.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /**
   * Iterates over the batches of one pass.
   *
   * @example
   * ```ts
   * for (const idx of batchSampler) console.log(idx.length);
   * ```
   */
  *[Symbol.iterator](): Iterator<number[]> {
    let batch: number[] = [];
    for (const i of this.sampler) {
      batch.push(i);
      if (batch.length === this.batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0 && !this.dropLast) yield batch;
  }
}
