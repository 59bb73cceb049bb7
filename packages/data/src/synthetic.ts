import { fromTypedArray, type Generator } from '@opt/tensor';
import { TensorDataset } from './dataset';
import { defaultGenerator, normal, uniform as uniformOf } from './random';

/** Options of `twoSpirals`. */
export interface TwoSpiralsOptions {
  /** Standard deviation of Gaussian noise added to each coordinate (default 0.1). */
  noise?: number;
  /** Full turns of each spiral (default 1.5). */
  turns?: number;
  /** Generator for the noise (default: the global one). */
  generator?: Generator;
}

/**
 * Two interleaved spirals in the plane, a classic non-linearly-separable
 * classification toy: `TensorDataset(x: float32 [n, 2], y: int32 [n])`,
 * the first half labelled 0, the second half 1 (spiral 1 is spiral 0
 * rotated by π).
 *
 * @example
 * ```ts
 * const ds = twoSpirals(400, { noise: 0.05, generator: new Generator().manualSeed(0) });
 * ```
 */
export function twoSpirals(n: number, options: TwoSpiralsOptions = {}): TensorDataset {
  if (!Number.isInteger(n) || n < 2) throw new RangeError(`twoSpirals: n must be an integer ≥ 2, got ${n}`);
  const noise = options.noise ?? 0.1;
  const turns = options.turns ?? 1.5;
  if (!(noise >= 0)) throw new RangeError(`twoSpirals: noise must be non-negative, got ${options.noise}`);
  const gen = options.generator ?? defaultGenerator();
  const half = Math.ceil(n / 2);
  const x = new Float32Array(2 * n);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const cls = i < half ? 0 : 1;
    const k = cls === 0 ? i : i - half;
    const m = cls === 0 ? half : n - half;
    const t = m === 1 ? 0 : k / (m - 1);
    const angle = t * turns * 2 * Math.PI + cls * Math.PI;
    const r = 0.1 + 0.9 * t;
    x[2 * i] = r * Math.cos(angle) + noise * normal(gen);
    x[2 * i + 1] = r * Math.sin(angle) + noise * normal(gen);
    y[i] = cls;
  }
  return new TensorDataset(fromTypedArray(x, [n, 2]), fromTypedArray(y, [n], { dtype: 'int32' }));
}

/** Options of `regressionLine`. */
export interface RegressionLineOptions {
  /** Slope of the line (default 2). */
  slope?: number;
  /** Intercept of the line (default 1). */
  intercept?: number;
  /** Standard deviation of Gaussian noise on y (default 0.1). */
  noise?: number;
  /** x is uniform on this interval (default [-1, 1]). */
  xRange?: readonly [number, number];
  /** Generator for x and the noise (default: the global one). */
  generator?: Generator;
}

/**
 * Points on a noisy line `y = slope·x + intercept + noise·ε`:
 * `TensorDataset(x: float32 [n, 1], y: float32 [n, 1])`, for regression
 * demos.
 *
 * @example
 * ```ts
 * const ds = regressionLine(100, { slope: 3, intercept: -1, generator });
 * ```
 */
export function regressionLine(n: number, options: RegressionLineOptions = {}): TensorDataset {
  if (!Number.isInteger(n) || n < 1)
    throw new RangeError(`regressionLine: n must be a positive integer, got ${n}`);
  const slope = options.slope ?? 2;
  const intercept = options.intercept ?? 1;
  const noise = options.noise ?? 0.1;
  const [lo, hi] = options.xRange ?? [-1, 1];
  if (!(hi > lo))
    throw new RangeError(`regressionLine: xRange must be [lo, hi] with hi > lo, got [${lo}, ${hi}]`);
  const gen = options.generator ?? defaultGenerator();
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const xi = lo + (hi - lo) * uniformOf(gen);
    x[i] = xi;
    y[i] = slope * xi + intercept + noise * normal(gen);
  }
  return new TensorDataset(fromTypedArray(x, [n, 1]), fromTypedArray(y, [n, 1]));
}
