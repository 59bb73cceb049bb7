import type { Generator } from '@opt/tensor';
import { checkIndex, Dataset } from './dataset';
import { defaultGenerator, randperm } from './random';

/**
 * The samples of `dataset` at `indices`, in that order, like `torch.utils.data.Subset`.
 *
 * @example
 * ```ts
 * const firstTen = new Subset(dataset, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
 * firstTen.get(3); // dataset.get(3)
 * ```
 */
export class Subset<T> extends Dataset<T> {
  /** The dataset the samples come from. */
  readonly dataset: Dataset<T>;
  /** Its indices, one per sample of the subset. */
  readonly indices: readonly number[];

  /**
   * @param dataset the whole dataset.
   * @param indices indices into it (each in range, repeats allowed).
   */
  constructor(dataset: Dataset<T>, indices: readonly number[]) {
    super();
    for (const i of indices) checkIndex('Subset', i, dataset.length);
    this.dataset = dataset;
    this.indices = [...indices];
  }

  /** Number of samples. */
  get length(): number {
    return this.indices.length;
  }

  /**
   * Sample `index` of the subset: `dataset.get(indices[index])`.
   *
   * @example
   * ```ts
   * subset.get(0);
   * ```
   */
  get(index: number): T {
    checkIndex('Subset', index, this.indices.length);
    return this.dataset.get(this.indices[index]!);
  }
}

/**
 * Splits `dataset` into non-overlapping random subsets, like `torch.utils.data.random_split`.
 * `lengths` are sample counts summing to the dataset's length, or fractions summing to 1: each
 * split then gets `⌊length · fraction⌋` samples and the remainder goes round-robin from the first
 * split (PyTorch's rule). One permutation is drawn from `generator` (default: the global one).
 *
 * @example
 * ```ts
 * const [train, val] = randomSplit(dataset, [0.8, 0.2], new Generator().manualSeed(42));
 * ```
 */
export function randomSplit<T>(
  dataset: Dataset<T>,
  lengths: readonly number[],
  generator: Generator = defaultGenerator(),
): Subset<T>[] {
  const where = 'randomSplit';
  const n = dataset.length;
  let sizes = [...lengths];
  const sum = sizes.reduce((a, b) => a + b, 0);
  // fractions: PyTorch's math.isclose(sum, 1) (relative tolerance 1e-9) and sum ≤ 1
  if (Math.abs(sum - 1) <= 1e-9 * Math.max(1, Math.abs(sum)) && sum <= 1) {
    sizes = sizes.map((f, i) => {
      if (!(f >= 0 && f <= 1))
        throw new RangeError(`${where}: fraction at index ${i} is not between 0 and 1, got ${f}`);
      return Math.floor(n * f);
    });
    const remainder = n - sizes.reduce((a, b) => a + b, 0);
    for (let i = 0; i < remainder; i++) sizes[i % sizes.length]! += 1;
  }
  sizes.forEach((s, i) => {
    if (!Number.isInteger(s) || s < 0) {
      throw new RangeError(
        `${where}: lengths[${i}] must be a non-negative integer or a fraction, got ${lengths[i]}`,
      );
    }
  });
  const total = sizes.reduce((a, b) => a + b, 0);
  if (total !== n) {
    throw new RangeError(
      `${where}: lengths [${lengths.join(', ')}] sum to ${total}, but the dataset has ${n} samples (or give fractions summing to 1)`,
    );
  }
  const perm = Array.from(randperm(n, generator));
  let offset = 0;
  return sizes.map((s) => {
    const part = perm.slice(offset, offset + s);
    offset += s;
    return new Subset(dataset, part);
  });
}
