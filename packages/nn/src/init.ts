import { type Generator, Tensor } from '@opt/tensor';
import { fillNormal, fillUniform } from './random';

/** A tensor to initialise: a Tensor or anything holding one in `data` (a Parameter). */
export type Initialisable = Tensor | { data: Tensor };

/** Options of the random initialisers. */
export interface InitOptions {
  /** The generator to draw from (default: the global one, see `manualSeed`). */
  generator?: Generator | undefined;
}

/** Options of `kaimingUniform_` and `kaimingNormal_`. */
export interface KaimingOptions extends InitOptions {
  /** Negative slope of the leaky ReLU that follows (default 0). */
  a?: number;
  /** `'fan_in'` (default) keeps the forward variance, `'fan_out'` the backward one. */
  mode?: 'fan_in' | 'fan_out';
  /** The nonlinearity that follows (default `'leaky_relu'`). */
  nonlinearity?: Nonlinearity;
}

/** Nonlinearities `calculateGain` knows. */
export type Nonlinearity =
  | 'linear'
  | 'conv1d'
  | 'conv2d'
  | 'conv3d'
  | 'sigmoid'
  | 'tanh'
  | 'relu'
  | 'leaky_relu'
  | 'selu';

function tensorOf(x: Initialisable): Tensor {
  return x instanceof Tensor ? x : x.data;
}

/**
 * The recommended gain for a nonlinearity, like `torch.nn.init.calculate_gain`.
 *
 * @example
 * ```ts
 * calculateGain('relu'); // √2
 * calculateGain('leaky_relu', Math.sqrt(5)); // √(2 / (1 + 5)) = 0.577…
 * ```
 */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  switch (nonlinearity) {
    case 'linear':
    case 'conv1d':
    case 'conv2d':
    case 'conv3d':
    case 'sigmoid':
      return 1;
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'leaky_relu': {
      const slope = param ?? 0.01;
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case 'selu':
      return 3 / 4;
    default:
      throw new RangeError(`calculateGain: unsupported nonlinearity ${JSON.stringify(nonlinearity)}`);
  }
}

/**
 * `[fanIn, fanOut]` of a weight: for `[out, in, …kernel]`, `in·∏kernel` and
 * `out·∏kernel` (PyTorch's `_calculate_fan_in_and_fan_out`).
 *
 * @example
 * ```ts
 * fans(zeros([6, 3, 5, 5])); // [75, 150]
 * ```
 */
export function fans(t: Initialisable): [number, number] {
  const s = tensorOf(t).shape;
  if (s.length < 2) {
    throw new RangeError(
      `init: fan in and fan out need a tensor with at least 2 dimensions, got shape [${s.join(', ')}]`,
    );
  }
  let receptive = 1;
  for (let i = 2; i < s.length; i++) receptive *= s[i]!;
  return [s[1]! * receptive, s[0]! * receptive];
}

/**
 * Fills with values uniform on `[a, b)` in place; returns the tensor.
 *
 * @example
 * ```ts
 * uniform_(layer.weight, -0.1, 0.1, { generator });
 * ```
 */
export function uniform_<T extends Initialisable>(t: T, a = 0, b = 1, options: InitOptions = {}): T {
  if (!(b >= a)) throw new RangeError(`uniform_: expected a ≤ b, got a=${a}, b=${b}`);
  fillUniform(tensorOf(t), a, b, options.generator);
  return t;
}

/**
 * Fills with values drawn from N(mean, std²) in place; returns the tensor.
 *
 * @example
 * ```ts
 * normal_(layer.weight, 0, 0.02, { generator });
 * ```
 */
export function normal_<T extends Initialisable>(t: T, mean?: number, std?: number, options?: InitOptions): T;
export function normal_<T extends Initialisable>(t: T, options: InitOptions): T;
export function normal_<T extends Initialisable>(
  t: T,
  meanOrOptions: number | InitOptions = 0,
  std = 1,
  options: InitOptions = {},
): T {
  const opts = typeof meanOrOptions === 'object' ? meanOrOptions : options;
  const mean = typeof meanOrOptions === 'number' ? meanOrOptions : 0;
  if (!(std >= 0)) throw new RangeError(`normal_: std must be non-negative, got ${std}`);
  fillNormal(tensorOf(t), mean, std, opts.generator);
  return t;
}

/**
 * Fills with `value` in place; returns the tensor.
 *
 * @example
 * ```ts
 * constant_(layer.bias, 0.1);
 * ```
 */
export function constant_<T extends Initialisable>(t: T, value: number): T {
  tensorOf(t).fill_(value);
  return t;
}

/**
 * Fills with zeros in place; returns the tensor.
 *
 * @example
 * ```ts
 * zeros_(layer.bias);
 * ```
 */
export function zeros_<T extends Initialisable>(t: T): T {
  return constant_(t, 0);
}

/**
 * Fills with ones in place; returns the tensor.
 *
 * @example
 * ```ts
 * ones_(bn.weight);
 * ```
 */
export function ones_<T extends Initialisable>(t: T): T {
  return constant_(t, 1);
}

/**
 * Xavier/Glorot uniform: `U(−b, b)` with `b = gain·√(6 / (fanIn + fanOut))`.
 *
 * @example
 * ```ts
 * xavierUniform_(layer.weight, { gain: calculateGain('tanh'), generator });
 * ```
 */
export function xavierUniform_<T extends Initialisable>(
  t: T,
  options: InitOptions & { gain?: number } = {},
): T {
  const [fin, fout] = fans(t);
  const bound = (options.gain ?? 1) * Math.sqrt(6 / (fin + fout));
  return uniform_(t, -bound, bound, options);
}

/**
 * Xavier/Glorot normal: `N(0, σ²)` with `σ = gain·√(2 / (fanIn + fanOut))`.
 *
 * @example
 * ```ts
 * xavierNormal_(layer.weight, { generator });
 * ```
 */
export function xavierNormal_<T extends Initialisable>(
  t: T,
  options: InitOptions & { gain?: number } = {},
): T {
  const [fin, fout] = fans(t);
  return normal_(t, 0, (options.gain ?? 1) * Math.sqrt(2 / (fin + fout)), options);
}

function kaimingStd(t: Initialisable, options: KaimingOptions): number {
  const mode = options.mode ?? 'fan_in';
  if (mode !== 'fan_in' && mode !== 'fan_out') {
    throw new RangeError(`kaiming init: mode must be 'fan_in' or 'fan_out', got ${JSON.stringify(mode)}`);
  }
  const [fin, fout] = fans(t);
  const gain = calculateGain(options.nonlinearity ?? 'leaky_relu', options.a ?? 0);
  return gain / Math.sqrt(mode === 'fan_in' ? fin : fout);
}

/**
 * Kaiming/He uniform: `U(−b, b)` with `b = gain·√(3 / fan)`; with `a = √5`
 * this is the default init of `Linear` and `Conv2d` weights.
 *
 * @example
 * ```ts
 * kaimingUniform_(conv.weight, { nonlinearity: 'relu', generator });
 * ```
 */
export function kaimingUniform_<T extends Initialisable>(t: T, options: KaimingOptions = {}): T {
  const bound = Math.sqrt(3) * kaimingStd(t, options);
  return uniform_(t, -bound, bound, options);
}

/**
 * Kaiming/He normal: `N(0, σ²)` with `σ = gain / √fan`.
 *
 * @example
 * ```ts
 * kaimingNormal_(conv.weight, { mode: 'fan_out', nonlinearity: 'relu' });
 * ```
 */
export function kaimingNormal_<T extends Initialisable>(t: T, options: KaimingOptions = {}): T {
  return normal_(t, 0, kaimingStd(t, options), options);
}

/** PyTorch's default bias init of Linear and Conv2d: `U(−1/√fanIn, 1/√fanIn)`. */
export function defaultBiasInit_(bias: Initialisable, fanIn: number, generator?: Generator): void {
  const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
  uniform_(bias, -bound, bound, { generator });
}
