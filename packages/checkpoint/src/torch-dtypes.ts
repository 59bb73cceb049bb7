import { CheckpointSerializeError, CheckpointUnsupportedError } from './errors';
import type { TensorDType } from './tensor-like';

/**
 * A typed array `@opt/tensor` stores.
 *
 * @example
 * ```ts
 * const values: StorageArray = new Float32Array([1, 2, 3]);
 * ```
 */
export type StorageArray = Float32Array | Float64Array | Int32Array | Uint8Array;

/** How one torch storage class is read (internal). */
interface StorageKind {
  /** Bytes per element on disk. */
  readonly size: number;
  /** The `@opt/tensor` dtype it is read as. */
  readonly dtype: TensorDType;
  /** Decodes `numel` little-endian elements from `b` (already byte-swapped if needed). */
  decode(b: Uint8Array, numel: number, source: string, key: string): StorageArray;
}

/** Whether this machine stores typed arrays little-endian, as the files do. */
const LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function dv(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f ? Number.NaN : s * Number.POSITIVE_INFINITY;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}

const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;

/**
 * The torch storage classes `load` understands, by their pickled name.
 * float16 and bfloat16 are widened to float32 (exactly: every half and
 * bfloat16 value is a float32 value); int64 is narrowed to int32 after a range
 * check (a value outside int32 is a {@link CheckpointUnsupportedError});
 * int16, int8 and uint8 are widened to int32; bool stays bool (0/1 bytes).
 */
export const STORAGE_KINDS: Readonly<Record<string, StorageKind>> = {
  FloatStorage: {
    size: 4,
    dtype: 'float32',
    decode: (b, n) => {
      if (LE) return new Float32Array(b.slice(0, 4 * n).buffer);
      const v = dv(b);
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = v.getFloat32(4 * i, true);
      return out;
    },
  },
  DoubleStorage: {
    size: 8,
    dtype: 'float64',
    decode: (b, n) => {
      if (LE) return new Float64Array(b.slice(0, 8 * n).buffer);
      const v = dv(b);
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = v.getFloat64(8 * i, true);
      return out;
    },
  },
  HalfStorage: {
    size: 2,
    dtype: 'float32',
    decode: (b, n) => {
      const v = dv(b);
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = halfToFloat(v.getUint16(2 * i, true));
      return out;
    },
  },
  BFloat16Storage: {
    size: 2,
    dtype: 'float32',
    decode: (b, n) => {
      const v = dv(b);
      const bits = new Uint32Array(n);
      for (let i = 0; i < n; i++) bits[i] = v.getUint16(2 * i, true) << 16;
      return new Float32Array(bits.buffer);
    },
  },
  LongStorage: {
    size: 8,
    dtype: 'int32',
    decode: (b, n, source, key) => {
      const v = dv(b);
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const x = v.getBigInt64(8 * i, true);
        if (x < INT32_MIN || x > INT32_MAX) {
          throw new CheckpointUnsupportedError(
            source,
            `int64 storage '${key}' holds ${x} at element ${i}, outside the int32 range that int64 tensors are narrowed to`,
          );
        }
        out[i] = Number(x);
      }
      return out;
    },
  },
  IntStorage: {
    size: 4,
    dtype: 'int32',
    decode: (b, n) => {
      if (LE) return new Int32Array(b.slice(0, 4 * n).buffer);
      const v = dv(b);
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = v.getInt32(4 * i, true);
      return out;
    },
  },
  ShortStorage: {
    size: 2,
    dtype: 'int32',
    decode: (b, n) => {
      const v = dv(b);
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = v.getInt16(2 * i, true);
      return out;
    },
  },
  CharStorage: {
    size: 1,
    dtype: 'int32',
    decode: (b, n) => Int32Array.from(new Int8Array(b.buffer, b.byteOffset, n)),
  },
  ByteStorage: {
    size: 1,
    dtype: 'int32',
    decode: (b, n) => Int32Array.from(b.subarray(0, n)),
  },
  BoolStorage: {
    size: 1,
    dtype: 'bool',
    decode: (b, n) => {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = b[i] ? 1 : 0;
      return out;
    },
  },
};

/** The torch storage class and on-disk bytes of a tensor of `dtype` (internal). */
export function storageFor(
  dtype: string,
  values: StorageArray,
  source: string,
  where: string,
): { storageType: string; bytes: Uint8Array } {
  const raw = (a: ArrayBufferView): Uint8Array =>
    new Uint8Array(a.buffer, a.byteOffset, a.byteLength).slice();
  switch (dtype) {
    case 'float32':
      return {
        storageType: 'FloatStorage',
        bytes: raw(values instanceof Float32Array ? values : Float32Array.from(values)),
      };
    case 'float64':
      return {
        storageType: 'DoubleStorage',
        bytes: raw(values instanceof Float64Array ? values : Float64Array.from(values)),
      };
    case 'int32':
      return {
        storageType: 'IntStorage',
        bytes: raw(values instanceof Int32Array ? values : Int32Array.from(values)),
      };
    case 'bool':
      return { storageType: 'BoolStorage', bytes: Uint8Array.from(values, (x) => (x ? 1 : 0)) };
    default:
      throw new CheckpointSerializeError(
        source,
        `cannot save ${where || 'the root value'}: tensor dtype '${dtype}' is not supported`,
      );
  }
}
