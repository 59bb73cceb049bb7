import type { Tensor } from '@opt/tensor';
import { CheckpointFormatError, CheckpointSerializeError, CheckpointUnsupportedError } from './errors';
import { readFileBytes, writeFileAtomic } from './node-files';
import { BYTES_SOURCE, type LoadOptions } from './options';
import { makeTensor } from './tensor-factory';
import { isTensorLike, type TensorLike } from './tensor-like';
import { STORAGE_KINDS, storageFor } from './torch-dtypes';

/**
 * A map of named tensors with string metadata: what a `.safetensors` file
 * holds.
 *
 * @example
 * ```ts
 * const { tensors, metadata } = await loadSafetensors('model.safetensors');
 * ```
 */
export interface SafetensorsContent {
  /** The tensors by name, in the file's order of data offsets. */
  tensors: Record<string, Tensor>;
  /** The `__metadata__` string map (empty if the file has none). */
  metadata: Record<string, string>;
}

/**
 * Options of {@link safetensorsToBytes} and {@link saveSafetensors}.
 *
 * @example
 * ```ts
 * await saveSafetensors('w.safetensors', sd, { metadata: { format: 'pt' } });
 * ```
 */
export interface SafetensorsSaveOptions {
  /** Written as the header's `__metadata__` (strings only). */
  metadata?: Record<string, string>;
}

/** Largest header accepted, as the reference implementation (100 MB). */
const MAX_HEADER = 100_000_000;

/** safetensors dtype → torch storage kind used to decode it. */
const READ_KINDS: Record<string, keyof typeof STORAGE_KINDS> = {
  F32: 'FloatStorage',
  F64: 'DoubleStorage',
  F16: 'HalfStorage',
  BF16: 'BFloat16Storage',
  I64: 'LongStorage',
  I32: 'IntStorage',
  I16: 'ShortStorage',
  I8: 'CharStorage',
  U8: 'ByteStorage',
  BOOL: 'BoolStorage',
};

const WRITE_DTYPES: Record<string, string> = { float32: 'F32', float64: 'F64', int32: 'I32', bool: 'BOOL' };

/**
 * Serialises a map of tensors into the safetensors format (Hugging Face):
 * an 8-byte little-endian header length, a JSON header (`dtype`, `shape`,
 * `data_offsets` per tensor, optional `__metadata__`) padded with spaces to a
 * multiple of 8, then the raw little-endian data, every tensor aligned to its
 * element size. float32 → `F32`, float64 → `F64`, int32 → `I32`, bool → `BOOL`.
 *
 * @example
 * ```ts
 * const bytes = safetensorsToBytes({ weight: zeros([2, 2]) }, { metadata: { epoch: '3' } });
 * ```
 */
export function safetensorsToBytes(
  tensors: Record<string, TensorLike>,
  options: SafetensorsSaveOptions = {},
): Uint8Array {
  const source = BYTES_SOURCE;
  if (typeof tensors !== 'object' || tensors === null) {
    throw new CheckpointSerializeError(source, 'safetensors needs an object of name → tensor');
  }
  const items = Object.entries(tensors).map(([name, t]) => {
    if (name === '__metadata__')
      throw new CheckpointSerializeError(source, "a tensor cannot be named '__metadata__'");
    if (!isTensorLike(t))
      throw new CheckpointSerializeError(source, `cannot save '${name}': safetensors holds tensors only`);
    const dtype = WRITE_DTYPES[t.dtype];
    if (!dtype)
      throw new CheckpointSerializeError(
        source,
        `cannot save '${name}': dtype '${t.dtype}' is not supported`,
      );
    const { bytes, storageType } = storageFor(t.dtype, t.toTypedArray(), source, name);
    return { name, dtype, shape: [...t.shape], bytes, size: STORAGE_KINDS[storageType]!.size };
  });
  items.sort((a, b) => b.size - a.size || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const header: Record<string, unknown> = {};
  if (options.metadata) {
    for (const [k, v] of Object.entries(options.metadata)) {
      if (typeof v !== 'string')
        throw new CheckpointSerializeError(source, `metadata '${k}' must be a string`);
    }
    header['__metadata__'] = options.metadata;
  }
  let offset = 0;
  for (const it of items) {
    header[it.name] = { dtype: it.dtype, shape: it.shape, data_offsets: [offset, offset + it.bytes.length] };
    offset += it.bytes.length;
  }
  let json = JSON.stringify(header);
  const enc = new TextEncoder();
  let head = enc.encode(json);
  const pad = (8 - (head.length % 8)) % 8;
  json += ' '.repeat(pad);
  head = enc.encode(json);
  const out = new Uint8Array(8 + head.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  let p = 8 + head.length;
  for (const it of items) {
    out.set(it.bytes, p);
    p += it.bytes.length;
  }
  return out;
}

/**
 * Reads safetensors bytes. Sizes are checked before anything is allocated:
 * the header length against the file (and 100 MB), every tensor's
 * `data_offsets` against the data and its dtype × shape, and the tensors must
 * tile the data exactly, as the format requires. F16/BF16 are widened to
 * float32; I64 (range-checked), I16, I8 and U8 become int32.
 *
 * @example
 * ```ts
 * const { tensors, metadata } = safetensorsFromBytes(bytes);
 * ```
 */
export function safetensorsFromBytes(bytes: Uint8Array, options: LoadOptions = {}): SafetensorsContent {
  const source = options.name ?? BYTES_SOURCE;
  const fail = (msg: string): never => {
    throw new CheckpointFormatError(source, `not a valid safetensors file: ${msg}`);
  };
  if (!(bytes instanceof Uint8Array)) fail('expected a Uint8Array');
  if (bytes.length < 8) fail(`file is ${bytes.length} bytes, shorter than the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n64 = view.getBigUint64(0, true);
  if (n64 > BigInt(Math.min(MAX_HEADER, bytes.length - 8))) {
    fail(
      `header declares ${n64} bytes but the file has ${bytes.length - 8} after the length (or the 100 MB limit)`,
    );
  }
  const n = Number(n64);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n)));
  } catch {
    fail('header is not valid UTF-8 JSON');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header))
    fail('header is not a JSON object');
  const data = bytes.subarray(8 + n);
  const metadata: Record<string, string> = {};
  const entries: { name: string; kind: string; shape: number[]; begin: number; end: number }[] = [];
  for (const [name, raw] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
        fail('__metadata__ is not an object');
      for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
        if (typeof v !== 'string') fail(`__metadata__['${k}'] is not a string`);
        metadata[k] = v as string;
      }
      continue;
    }
    const e = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (typeof e !== 'object' || e === null) fail(`entry '${name}' is not an object`);
    if (typeof e.dtype !== 'string') fail(`entry '${name}' has no dtype`);
    const kind = READ_KINDS[e.dtype as string];
    if (!kind) {
      throw new CheckpointUnsupportedError(
        source,
        `tensor '${name}' has dtype ${String(e.dtype)}, which is not supported`,
      );
    }
    const isInts = (v: unknown): v is number[] =>
      Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0);
    if (!isInts(e.shape) || e.shape.length > 64) fail(`entry '${name}' has an invalid shape`);
    if (!isInts(e.data_offsets) || e.data_offsets.length !== 2)
      fail(`entry '${name}' has invalid data_offsets`);
    const [begin, end] = e.data_offsets as number[];
    const shape = e.shape as number[];
    const numel = shape.reduce((a, b) => a * b, 1);
    const size = STORAGE_KINDS[kind]!.size;
    if (!(begin! <= end! && end! <= data.length)) {
      fail(
        `tensor '${name}' data_offsets [${begin}, ${end}] fall outside the ${data.length} data bytes (truncated?)`,
      );
    }
    if (end! - begin! !== numel * size) {
      fail(
        `tensor '${name}' has ${end! - begin!} bytes but dtype ${e.dtype} × shape [${shape}] needs ${numel * size}`,
      );
    }
    entries.push({ name, kind, shape, begin: begin!, end: end! });
  }
  entries.sort((a, b) => a.begin - b.begin);
  let expect = 0;
  for (const e of entries) {
    if (e.begin !== expect)
      fail(`tensor '${e.name}' starts at byte ${e.begin}, expected ${expect}: data has holes or overlaps`);
    expect = e.end;
  }
  if (expect !== data.length) fail(`the tensors cover ${expect} of ${data.length} data bytes`);
  const tensors: Record<string, Tensor> = {};
  const make = (options.tensorFactory ?? makeTensor) as (...a: Parameters<typeof makeTensor>) => Tensor;
  for (const e of entries) {
    const k = STORAGE_KINDS[e.kind]!;
    const numel = (e.end - e.begin) / k.size;
    const values = k.decode(data.slice(e.begin, e.end), numel, source, e.name);
    Object.defineProperty(tensors, e.name, {
      value: make(values, e.shape, k.dtype),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return { tensors, metadata };
}

/**
 * Writes a map of tensors to a `.safetensors` file, atomically (see
 * {@link safetensorsToBytes}). Node only.
 *
 * @example
 * ```ts
 * await saveSafetensors('model.safetensors', net.stateDict(), { metadata: { format: 'pt' } });
 * ```
 */
export async function saveSafetensors(
  path: string,
  tensors: Record<string, TensorLike>,
  options: SafetensorsSaveOptions = {},
): Promise<void> {
  let bytes: Uint8Array;
  try {
    bytes = safetensorsToBytes(tensors, options);
  } catch (e) {
    if (e instanceof CheckpointSerializeError)
      throw new CheckpointSerializeError(path, e.message.slice(BYTES_SOURCE.length + 2));
    throw e;
  }
  await writeFileAtomic(path, bytes);
}

/**
 * Reads a `.safetensors` file (see {@link safetensorsFromBytes}); errors name
 * the file. Node only.
 *
 * @example
 * ```ts
 * const { tensors } = await loadSafetensors('model.safetensors');
 * net.loadStateDict(tensors);
 * ```
 */
export async function loadSafetensors(path: string, options: LoadOptions = {}): Promise<SafetensorsContent> {
  return safetensorsFromBytes(await readFileBytes(path), { ...options, name: options.name ?? path });
}
