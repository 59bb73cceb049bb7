import type { Generator } from '@opt/tensor';
import { defaultGenerator, uniform } from './random';
import { checkPositive, type Sampler } from './samplers';

/** Options of `WeightedRandomSampler`. */
export interface WeightedRandomSamplerOptions {
  /** Draw with replacement (default true, as in PyTorch); without it, each index at most once. */
  replacement?: boolean;
  /** The seeded generator to draw from (default: the global one, see `manualSeed`). */
  generator?: Generator;
}

/**
 * Yields `numSamples` indices of `0 … weights.length − 1`, index `i` with probability proportional
 * to `weights[i]`, like `torch.utils.data.WeightedRandomSampler` (the weights need not sum to 1).
 * Without replacement a drawn index leaves the pool, so at most as many indices as there are
 * nonzero weights can be drawn. A fresh draw each pass.
 *
 * @example
 * ```ts
 * // oversample the rare class 1 four times
 * const sampler = new WeightedRandomSampler([1, 1, 4], 6, { generator: new Generator().manualSeed(0) });
 * new DataLoader(dataset, { batchSize: 2, sampler });
 * ```
 */
export class WeightedRandomSampler implements Sampler {
  /** How many indices one pass yields. */
  readonly length: number;
  /** Whether indices are drawn with replacement. */
  readonly replacement: boolean;
  /** The generator each pass draws from; `undefined` means the global one. */
  generator: Generator | undefined;
  readonly #weights: Float64Array;

  /**
   * @param weights one non-negative, finite weight per index, not all zero.
   * @param numSamples indices per pass, a positive integer.
   * @param options `replacement`, `generator`.
   */
  constructor(weights: ArrayLike<number>, numSamples: number, options: WeightedRandomSamplerOptions = {}) {
    const where = 'WeightedRandomSampler';
    checkPositive(where, 'numSamples', numSamples);
    this.#weights = Float64Array.from(weights);
    let nonzero = 0;
    for (let i = 0; i < this.#weights.length; i++) {
      const w = this.#weights[i]!;
      if (!Number.isFinite(w) || w < 0) {
        throw new RangeError(`${where}: weights[${i}] must be a finite number ≥ 0, got ${w}`);
      }
      if (w > 0) nonzero++;
    }
    if (nonzero === 0) {
      throw new RangeError(
        `${where}: weights must have at least one positive entry, got ${this.#weights.length} zeros`,
      );
    }
    this.replacement = options.replacement ?? true;
    if (!this.replacement && numSamples > nonzero) {
      throw new RangeError(
        `${where}: numSamples ${numSamples} without replacement needs as many positive weights, got ${nonzero}`,
      );
    }
    this.length = numSamples;
    this.generator = options.generator;
  }

  /** The weights, as given. */
  get weights(): Float64Array {
    return this.#weights.slice();
  }

  /**
   * Iterates over one pass of drawn indices.
   *
   * @example
   * ```ts
   * for (const i of sampler) dataset.get(i);
   * ```
   */
  *[Symbol.iterator](): Iterator<number> {
    const gen = this.generator ?? defaultGenerator();
    const w = this.#weights.slice();
    const n = w.length;
    // running sums, rebuilt after each draw without replacement (a pass is O(numSamples · n) then)
    const cumulative = new Float64Array(n);
    const rebuild = () => {
      let sum = 0;
      for (let i = 0; i < n; i++) {
        sum += w[i]!;
        cumulative[i] = sum;
      }
      return sum;
    };
    let total = rebuild();
    for (let k = 0; k < this.length; k++) {
      const u = uniform(gen) * total;
      // the first index whose running sum exceeds u; zero weights are never chosen
      let lo = 0;
      let hi = n - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cumulative[mid]! > u) hi = mid;
        else lo = mid + 1;
      }
      while (w[lo] === 0) lo--; // u rounded up to the total: step back to the last positive weight
      yield lo;
      if (!this.replacement) {
        w[lo] = 0;
        total = rebuild();
      }
    }
  }
}
