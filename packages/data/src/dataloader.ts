import type { Generator } from '@opt/tensor';
import { defaultCollate } from './collate';
import type { Dataset } from './dataset';
import { defaultGenerator } from './random';
import { BatchSampler, RandomSampler, type Sampler, SequentialSampler } from './samplers';

/** Options of `DataLoader`. */
export interface DataLoaderOptions<T, B> {
  /** Samples per batch (default 1). */
  batchSize?: number;
  /** Visit the samples in a fresh random order each epoch (default false). */
  shuffle?: boolean;
  /** The seeded generator that draws the order (default: the global one). */
  generator?: Generator;
  /** Drop the last batch when it is smaller than `batchSize` (default false). */
  dropLast?: boolean;
  /** Turns a list of samples into a batch (default: `defaultCollate`, stacking tensors). */
  collate?: (samples: T[]) => B;
  /** Where the indices come from; excludes `shuffle`. */
  sampler?: Sampler;
}

/** What `DataLoader.stateDict()` returns: plain JSON. */
export interface DataLoaderState {
  /** The generator's state at the start of the epoch in progress (or of the next one). */
  generatorState: unknown;
  /** Batches of the epoch in progress already handed out (0 between epochs). */
  batchesYielded: number;
}

/**
 * Iterates over a dataset in batches, like `torch.utils.data.DataLoader`
 * (single process). Each `for … of` is one epoch; with `shuffle`, the order
 * is drawn from the seeded generator. `stateDict()` records the position in
 * the epoch and the generator state, so that a loader restored with
 * `loadStateDict` continues the interrupted epoch with the same batches.
 *
 * @example
 * ```ts
 * const loader = new DataLoader(new TensorDataset(x, y), { batchSize: 32, shuffle: true, generator });
 * for (const [xb, yb] of loader) { … }
 * ```
 */
export class DataLoader<T = unknown, B = any> implements Iterable<B> {
  /** The dataset batches are drawn from. */
  readonly dataset: Dataset<T>;
  /** Samples per batch. */
  readonly batchSize: number;
  /** Whether the last, smaller batch is dropped. */
  readonly dropLast: boolean;
  /** The index sampler. */
  readonly sampler: Sampler;
  /** Groups the sampler's indices into batches. */
  readonly batchSampler: BatchSampler;
  readonly #collate: (samples: T[]) => B;
  readonly #generator: Generator | undefined;
  #epochStartState: unknown = null;
  #batchesYielded = 0;
  #inEpoch = false;
  #resume: DataLoaderState | null = null;

  /**
   * @param dataset what to load.
   * @param options `batchSize`, `shuffle`, `generator`, `dropLast`, `collate`, `sampler`.
   */
  constructor(dataset: Dataset<T>, options: DataLoaderOptions<T, B> = {}) {
    this.dataset = dataset;
    this.batchSize = options.batchSize ?? 1;
    this.dropLast = options.dropLast ?? false;
    if (options.sampler !== undefined && options.shuffle) {
      throw new TypeError('DataLoader: sampler option is mutually exclusive with shuffle');
    }
    this.#generator = options.generator;
    if (options.sampler !== undefined) this.sampler = options.sampler;
    else if (options.shuffle)
      this.sampler = new RandomSampler(dataset.length, { generator: options.generator });
    else this.sampler = new SequentialSampler(dataset.length);
    this.batchSampler = new BatchSampler(this.sampler, this.batchSize, this.dropLast);
    this.#collate = options.collate ?? (defaultCollate as (samples: T[]) => B);
  }

  /** Batches per epoch. */
  get length(): number {
    return this.batchSampler.length;
  }

  get #gen(): Generator {
    const fromSampler = (this.sampler as { generator?: Generator }).generator;
    return this.#generator ?? fromSampler ?? defaultGenerator();
  }

  /**
   * One epoch of batches. A loader restored with `loadStateDict` first
   * finishes the interrupted epoch.
   *
   * @example
   * ```ts
   * for (const [xb, yb] of loader) { … }
   * ```
   */
  *[Symbol.iterator](): Iterator<B> {
    const gen = this.#gen;
    let skip = 0;
    if (this.#resume !== null) {
      gen.setState(this.#resume.generatorState as never);
      skip = this.#resume.batchesYielded;
      this.#resume = null;
    }
    this.#epochStartState = gen.getState();
    this.#batchesYielded = 0;
    this.#inEpoch = true;
    try {
      for (const indices of this.batchSampler) {
        if (skip > 0) {
          skip--;
          this.#batchesYielded++;
          continue;
        }
        const samples = indices.map((i) => this.dataset.get(i));
        const batch = this.#collate(samples);
        this.#batchesYielded++;
        yield batch;
      }
    } finally {
      this.#inEpoch = false;
      this.#batchesYielded = 0;
    }
  }

  /**
   * The loader's position: the generator state at the start of the current
   * epoch and the number of batches already handed out in it. Plain JSON.
   *
   * @example
   * ```ts
   * const saved = loader.stateDict(); // mid-epoch
   * const again = new DataLoader(ds, opts); again.loadStateDict(saved);
   * for (const b of again) { … } // the rest of that epoch, same batches
   * ```
   */
  stateDict(): DataLoaderState {
    if (this.#resume !== null) return structuredClone(this.#resume);
    if (this.#inEpoch) {
      return { generatorState: structuredClone(this.#epochStartState), batchesYielded: this.#batchesYielded };
    }
    return { generatorState: structuredClone(this.#gen.getState()), batchesYielded: 0 };
  }

  /**
   * Restores a position saved by `stateDict()`; the next iteration continues
   * from it.
   *
   * @example
   * ```ts
   * loader.loadStateDict(JSON.parse(saved));
   * ```
   */
  loadStateDict(state: DataLoaderState): void {
    if (
      state === null ||
      typeof state !== 'object' ||
      !Number.isInteger(state.batchesYielded) ||
      state.batchesYielded < 0
    ) {
      throw new TypeError(
        `DataLoader.loadStateDict: expected { generatorState, batchesYielded: non-negative integer }, got ${JSON.stringify(state)}`,
      );
    }
    if (state.batchesYielded > this.length) {
      throw new RangeError(
        `DataLoader.loadStateDict: batchesYielded ${state.batchesYielded} exceeds the ${this.length} batches of an epoch`,
      );
    }
    this.#resume = structuredClone(state);
  }
}
