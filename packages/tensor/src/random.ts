import { allocate, DEFAULT_DTYPE, type DType, isFloating } from './dtype';
import { DTypeError, ShapeError } from './errors';
import { checkShape, shapeNumel } from './shape';
import { Tensor } from './tensor';

/**
 * The state of a {@link Generator} as plain JSON: restoring it with `setState` replays the exact stream.
 *
 * @example
 * ```ts
 * const s: GeneratorState = g.getState(); g.setState(s);
 * ```
 */
export interface GeneratorState {
  /** Always `'xoshiro128**'`. */
  algorithm: 'xoshiro128**';
  /** The seed last given to `manualSeed`. */
  seed: number;
  /** The four 32-bit words of the xoshiro128** state. */
  s: [number, number, number, number];
  /** The second normal of the last Box-Muller pair, not yet handed out. */
  spareNormal: number | null;
}

/**
 * A seeded pseudo-random generator: xoshiro128** (period 2^128 - 1, 32-bit arithmetic only) seeded by
 * SplitMix32. Uniform doubles use 53 random bits; normals use Box-Muller with the spare value cached in
 * the state. Not bit-compatible with PyTorch's Mersenne Twister; the streams are its own.
 *
 * @example
 * ```ts
 * const g = new Generator().manualSeed(42);
 * const x = randn([3], { generator: g });
 * ```
 */
export class Generator {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private seedValue = 0;
  private spare: number | null = null;

  /**
   * A generator seeded with `seed` (default 0, like a fresh PyTorch default generator after `manual_seed(0)`).
   *
   * @example
   * ```ts
   * const g = new Generator(7);
   * ```
   */
  constructor(seed = 0) {
    this.manualSeed(seed);
  }

  /**
   * Reseeds: any integer in `[-(2^53 - 1), 2^53 - 1]` (negative and large ones use both 32-bit halves).
   *
   * @example
   * ```ts
   * g.manualSeed(0).random();
   * ```
   */
  manualSeed(seed: number): this {
    if (!Number.isSafeInteger(seed))
      throw new ShapeError(`manualSeed: seed ${seed} is invalid; expected a safe integer`);
    this.seedValue = seed;
    const lo = seed >>> 0;
    const hi = Math.floor(seed / 4294967296) >>> 0;
    let x = (lo ^ Math.imul(hi, 0x9e3779b9)) >>> 0;
    const next = (): number => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next() ^ hi;
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
    this.spare = null;
    return this;
  }

  /**
   * Seeds from a non-deterministic source and returns the seed used.
   *
   * @example
   * ```ts
   * const s = g.seed(); // g.initialSeed() === s
   * ```
   */
  seed(): number {
    const s = Math.floor(Math.random() * 2 ** 32) + Math.floor(Math.random() * 2 ** 20) * 2 ** 32;
    this.manualSeed(s);
    return s;
  }

  /**
   * The seed last set.
   *
   * @example
   * ```ts
   * new Generator(5).initialSeed(); // 5
   * ```
   */
  initialSeed(): number {
    return this.seedValue;
  }

  /**
   * The next 32 random bits as an unsigned integer.
   *
   * @example
   * ```ts
   * g.nextUint32(); // 0 … 2^32 - 1
   * ```
   */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /**
   * A uniform double in `[0, 1)` with 53 random bits.
   *
   * @example
   * ```ts
   * const u = g.random();
   * ```
   */
  random(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /**
   * A standard normal (Box-Muller; the second value of each pair is kept in the state for the next call).
   *
   * @example
   * ```ts
   * const z = g.normal();
   * ```
   */
  normal(): number {
    if (this.spare !== null) {
      const z = this.spare;
      this.spare = null;
      return z;
    }
    const u1 = 1 - this.random(); // (0, 1]
    const u2 = this.random();
    const r = Math.sqrt(-2 * Math.log(u1));
    this.spare = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  }

  /**
   * A uniform integer in `[0, n)` without modulo bias (`n` up to 2^32).
   *
   * @example
   * ```ts
   * g.randomInt(6); // 0 … 5
   * ```
   */
  randomInt(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > 4294967296)
      throw new ShapeError(`randomInt: n ${n} is invalid; expected an integer in [1, 2^32]`);
    const limit = 4294967296 - (4294967296 % n);
    let x = this.nextUint32();
    while (x >= limit) x = this.nextUint32();
    return x % n;
  }

  /**
   * The full state as plain JSON (see {@link GeneratorState}).
   *
   * @example
   * ```ts
   * const saved = JSON.stringify(g.getState());
   * ```
   */
  getState(): GeneratorState {
    return {
      algorithm: 'xoshiro128**',
      seed: this.seedValue,
      s: [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0],
      spareNormal: this.spare,
    };
  }

  /**
   * Restores a state from `getState()`; the stream continues exactly where it was.
   *
   * @example
   * ```ts
   * g.setState(JSON.parse(saved));
   * ```
   */
  setState(state: GeneratorState): this {
    const ok =
      state !== null &&
      typeof state === 'object' &&
      Array.isArray(state.s) &&
      state.s.length === 4 &&
      state.s.every((w) => Number.isInteger(w) && w >= 0 && w < 4294967296) &&
      (state.spareNormal === null || typeof state.spareNormal === 'number');
    if (!ok || (state.algorithm !== undefined && state.algorithm !== 'xoshiro128**')) {
      throw new ShapeError(
        `setState: invalid generator state ${JSON.stringify(state)}; expected the object getState() returns`,
      );
    }
    [this.s0, this.s1, this.s2, this.s3] = state.s;
    this.seedValue = typeof state.seed === 'number' ? state.seed : 0;
    this.spare = state.spareNormal;
    return this;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * The generator random factories use when no `{ generator }` is given.
 *
 * @example
 * ```ts
 * defaultGenerator.getState();
 * ```
 */
export const defaultGenerator = new Generator(0);

/**
 * Reseeds the default generator (PyTorch's `torch.manual_seed`) and returns it.
 *
 * @example
 * ```ts
 * manualSeed(0); const a = randn([2]); manualSeed(0); const b = randn([2]); // a equals b
 * ```
 */
export function manualSeed(seed: number): Generator {
  return defaultGenerator.manualSeed(seed);
}

/**
 * Options of random factories: `dtype` (default float32) and `generator` (default {@link defaultGenerator}).
 *
 * @example
 * ```ts
 * rand([2], { generator: new Generator(1), dtype: 'float64' });
 * ```
 */
export interface RandomOptions {
  dtype?: DType;
  generator?: Generator;
}

function floatDType(op: string, dtype: DType | undefined): DType {
  const d = dtype ?? DEFAULT_DTYPE;
  if (!isFloating(d)) throw new DTypeError(`${op}: dtype ${d} is not supported; expected float32 or float64`);
  return d;
}

/**
 * Uniform samples in `[0, 1)`.
 *
 * @example
 * ```ts
 * rand([2, 2]);
 * ```
 */
export function rand(shape: readonly number[], options: RandomOptions = {}): Tensor {
  const dtype = floatDType('rand', options.dtype);
  checkShape('rand', shape);
  const g = options.generator ?? defaultGenerator;
  const out = allocate(dtype, shapeNumel(shape));
  for (let i = 0; i < out.length; i++) {
    let u = g.random();
    if (dtype === 'float32') {
      u = Math.fround(u);
      if (u >= 1) u = 0.99999994;
    }
    out[i] = u;
  }
  return new Tensor(out, shape);
}

/**
 * Standard normal samples.
 *
 * @example
 * ```ts
 * manualSeed(0); randn([3]);
 * ```
 */
export function randn(shape: readonly number[], options: RandomOptions = {}): Tensor {
  const dtype = floatDType('randn', options.dtype);
  checkShape('randn', shape);
  const g = options.generator ?? defaultGenerator;
  const out = allocate(dtype, shapeNumel(shape));
  for (let i = 0; i < out.length; i++) out[i] = g.normal();
  return new Tensor(out, shape);
}

/**
 * Uniform integers in `[low, high)`; int32 by default (PyTorch's `randint(low, high, size)`).
 *
 * @example
 * ```ts
 * randint(0, 10, [5]);
 * ```
 */
export function randint(
  low: number,
  high: number,
  shape: readonly number[],
  options: RandomOptions = {},
): Tensor {
  if (!Number.isInteger(low) || !Number.isInteger(high) || high <= low) {
    throw new ShapeError(`randint: expected integers low < high, got low=${low}, high=${high}`);
  }
  checkShape('randint', shape);
  const g = options.generator ?? defaultGenerator;
  const out = allocate(options.dtype ?? 'int32', shapeNumel(shape));
  for (let i = 0; i < out.length; i++) out[i] = low + g.randomInt(high - low);
  return new Tensor(out, shape);
}

/**
 * A random permutation of `0 … n-1` (int32 by default), by Fisher-Yates.
 *
 * @example
 * ```ts
 * randperm(5).toArray(); // e.g. [3, 0, 4, 1, 2]
 * ```
 */
export function randperm(n: number, options: RandomOptions = {}): Tensor {
  checkShape('randperm', [n]);
  const g = options.generator ?? defaultGenerator;
  const out = allocate(options.dtype ?? 'int32', n);
  for (let i = 0; i < n; i++) out[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = g.randomInt(i + 1);
    const t = out[i];
    out[i] = out[j];
    out[j] = t;
  }
  return new Tensor(out, [n]);
}

/**
 * `rand` with the shape (and, unless given, dtype) of `like`.
 *
 * @example
 * ```ts
 * randLike(x);
 * ```
 */
export function randLike(like: Tensor, options: RandomOptions = {}): Tensor {
  return rand(like.shape, { ...options, dtype: options.dtype ?? like.dtype });
}

/**
 * `randn` with the shape (and, unless given, dtype) of `like`.
 *
 * @example
 * ```ts
 * randnLike(x);
 * ```
 */
export function randnLike(like: Tensor, options: RandomOptions = {}): Tensor {
  return randn(like.shape, { ...options, dtype: options.dtype ?? like.dtype });
}
