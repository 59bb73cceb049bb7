import { CheckpointFormatError, CheckpointUnsupportedError } from './errors';
import { BYTES_SOURCE, DEFAULT_FLOAT_KEYS, type LoadOptions, type SaveOptions } from './options';
import { type PickleGlobal, readPickle } from './pickle-reader';
import { writePickle } from './pickle-writer';
import { isTuple, tuple } from './python-values';
import { makeTensor } from './tensor-factory';
import { STORAGE_KINDS, type StorageArray, storageFor } from './torch-dtypes';
import { ZipReader } from './zip-reader';
import { writeZip, type ZipEntryInput } from './zip-writer';

/** Largest number of elements an overlapping (stride-0) view may expand to when materialised. */
const MAX_EXPANDED = 1 << 24;

/** The archive folder name every record lives under. */
const ROOT = 'archive';

/**
 * Serialises `obj` into the bytes `torch.save(obj, f)` would write: a stored
 * zip with `archive/data.pkl` (pickle protocol 2), `archive/byteorder`,
 * `archive/data/<n>` (one record per tensor, raw little-endian) and
 * `archive/version`. Works without `fs`, in a browser too.
 *
 * Values: plain objects and `Map`s become dicts, arrays lists, {@link tuple}s
 * tuples, `null` (and `undefined` inside arrays) `None`, booleans bools,
 * strings str, bigints int, numbers int or float (see `python-values.ts`),
 * `Uint8Array` bytes, tensors `torch.Tensor`s (float32 → `torch.float32`,
 * float64, int32, bool). Properties that are `undefined` are left out, as in
 * JSON.
 *
 * @example
 * ```ts
 * const bytes = toBytes({ weight: tensor([1, 2]), step: 3 });
 * fromBytes(bytes).step; // 3
 * ```
 */
export function toBytes(obj: unknown, options: SaveOptions = {}): Uint8Array {
  const source = options.name ?? BYTES_SOURCE;
  const records: ZipEntryInput[] = [];
  const pkl = writePickle(obj, {
    source,
    floatKeys: new Set(options.floatKeys ?? DEFAULT_FLOAT_KEYS),
    tensors: {
      add(t, where) {
        const key = String(records.length);
        const { storageType, bytes } = storageFor(t.dtype, t.toTypedArray(), source, where);
        records.push({ name: `${ROOT}/data/${key}`, data: bytes });
        return { storageType, key, numel: bytes.length / STORAGE_KINDS[storageType]!.size };
      },
    },
  });
  const enc = new TextEncoder();
  return writeZip([
    { name: `${ROOT}/data.pkl`, data: pkl },
    { name: `${ROOT}/byteorder`, data: enc.encode('little') },
    ...records,
    { name: `${ROOT}/version`, data: enc.encode('3\n') },
  ]);
}

/** A storage read from the archive, decoded once and shared by its views. */
class LoadedStorage {
  constructor(
    readonly key: string,
    readonly dtype: (typeof STORAGE_KINDS)[string]['dtype'],
    readonly values: StorageArray,
  ) {}
}

const TORCH_GLOBALS = new Set([
  'torch._utils._rebuild_tensor_v2',
  'torch._utils._rebuild_parameter',
  'torch._utils._rebuild_parameter_with_state',
  'torch.Size',
  '_codecs.encode',
]);

/**
 * Reads bytes written by {@link toBytes} or by `torch.save` (PyTorch 1.6 and
 * later, zip format) and returns the object with `@opt/tensor` tensors.
 * Like `torch.load(weights_only=True)`, only an allow-list of pickle opcodes
 * and globals is understood; nothing is executed. Every zip entry's CRC-32 is
 * verified. Dtypes: float16/bfloat16 are widened to float32; int64, int16,
 * int8 and uint8 become int32 (int64 values outside int32 are an error).
 * Views with a storage offset or strides are materialised as contiguous
 * tensors; views of one storage that cover it exactly share its values.
 *
 * @example
 * ```ts
 * const sd = fromBytes(await (await fetch('/model.pt')).arrayBuffer());
 * ```
 */
export function fromBytes(bytes: Uint8Array | ArrayBuffer, options: LoadOptions = {}): any {
  const source = options.name ?? BYTES_SOURCE;
  if (bytes instanceof ArrayBuffer) bytes = new Uint8Array(bytes);
  if (!(bytes instanceof Uint8Array)) {
    throw new CheckpointFormatError(source, `expected a Uint8Array, got ${typeof bytes}`);
  }
  if (!ZipReader.looksLikeZip(bytes)) {
    if (bytes[0] === 0x80) {
      throw new CheckpointUnsupportedError(
        source,
        'this is the legacy torch.save format (PyTorch < 1.6 or _use_new_zipfile_serialization=False); re-save it with a current PyTorch',
      );
    }
    if (bytes.length >= 9 && bytes[8] === 0x7b) {
      throw new CheckpointFormatError(
        source,
        'this looks like a safetensors file, not a torch.save zip archive; read it with loadSafetensors',
      );
    }
    throw new CheckpointFormatError(
      source,
      'not a torch.save checkpoint: expected a zip archive (starting with PK\\x03\\x04)',
    );
  }
  const zip = new ZipReader(bytes, source);
  const pklName = zip.names().find((n) => /^[^/]+\/data\.pkl$/.test(n));
  if (!pklName)
    throw new CheckpointFormatError(
      source,
      'zip archive has no <name>/data.pkl record: not a torch.save checkpoint',
    );
  const prefix = pklName.slice(0, -'data.pkl'.length);
  let bigEndian = false;
  if (zip.has(`${prefix}byteorder`)) {
    const order = new TextDecoder().decode(zip.read(`${prefix}byteorder`));
    if (order !== 'little' && order !== 'big') {
      throw new CheckpointFormatError(source, `byteorder record says '${order}', expected 'little' or 'big'`);
    }
    bigEndian = order === 'big';
  }
  const storages = new Map<string, LoadedStorage>();
  const make = options.tensorFactory ?? makeTensor;

  const persistentLoad = (pid: unknown): LoadedStorage => {
    if (!isTuple(pid) || pid.length < 5 || pid[0] !== 'storage') {
      throw new CheckpointFormatError(source, "persistent id is not ('storage', type, key, location, numel)");
    }
    const [, type, key, , numel] = pid;
    const g = type as PickleGlobal;
    if (typeof g !== 'object' || g === null || g.kind !== 'global' || g.module !== 'torch') {
      throw new CheckpointFormatError(source, 'persistent id does not name a torch storage class');
    }
    const kind = STORAGE_KINDS[g.name];
    if (!kind) throw new CheckpointUnsupportedError(source, `storage type torch.${g.name} is not supported`);
    if (typeof key !== 'string') throw new CheckpointFormatError(source, 'storage key is not a string');
    if (typeof numel !== 'number' || !Number.isSafeInteger(numel) || numel < 0) {
      throw new CheckpointFormatError(
        source,
        `storage '${key}' declares an invalid element count ${String(numel)}`,
      );
    }
    const cached = storages.get(key);
    if (cached) return cached;
    const name = `${prefix}data/${key}`;
    if (!zip.has(name)) throw new CheckpointFormatError(source, `storage record '${name}' is missing`);
    let data = zip.read(name);
    if (data.length < numel * kind.size) {
      throw new CheckpointFormatError(
        source,
        `storage '${key}' declares ${numel} elements of ${kind.size} bytes but its record holds ${data.length} bytes`,
      );
    }
    if (bigEndian && kind.size > 1) data = byteSwap(data, kind.size, numel);
    const s = new LoadedStorage(key, kind.dtype, kind.decode(data, numel, source, key));
    storages.set(key, s);
    return s;
  };

  const rebuild = (args: readonly unknown[]): unknown => {
    const [storage, offset, size, stride] = args;
    if (!(storage instanceof LoadedStorage))
      throw new CheckpointFormatError(source, 'tensor rebuilt from something that is not a storage');
    const shape = intTuple(size, 'size', source);
    const strides = intTuple(stride, 'stride', source);
    if (shape.length !== strides.length)
      throw new CheckpointFormatError(source, `tensor size ${shape} and stride ${strides} differ in length`);
    if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) {
      throw new CheckpointFormatError(
        source,
        `tensor storage offset ${String(offset)} is not a non-negative integer`,
      );
    }
    let numel = 1;
    let last = offset;
    for (let i = 0; i < shape.length; i++) {
      numel *= shape[i]!;
      last += (shape[i]! - 1) * strides[i]!;
    }
    const total = storage.values.length;
    if (numel > 0 && last >= total) {
      throw new CheckpointFormatError(
        source,
        `tensor view (offset ${offset}, size [${shape}], stride [${strides}]) reaches element ${last} of storage '${storage.key}', which has ${total}`,
      );
    }
    let contiguous = offset === 0 && numel === total;
    let expect = 1;
    for (let i = shape.length - 1; i >= 0 && contiguous; i--) {
      if (shape[i]! !== 1 && strides[i] !== expect) contiguous = false;
      expect *= shape[i]!;
    }
    if (contiguous) return make(storage.values, shape, storage.dtype);
    if (numel > Math.max(total, MAX_EXPANDED)) {
      throw new CheckpointUnsupportedError(
        source,
        `tensor view of ${numel} elements over storage '${storage.key}' of ${total} elements (overlapping strides) exceeds the ${MAX_EXPANDED}-element limit for materialised views`,
      );
    }
    return make(gather(storage.values, offset, shape, strides, numel), shape, storage.dtype);
  };

  const call = (fn: PickleGlobal, args: readonly unknown[]): unknown => {
    const full = `${fn.module}.${fn.name}`;
    switch (full) {
      case 'torch._utils._rebuild_tensor_v2':
        return rebuild(args);
      case 'torch._utils._rebuild_parameter':
      case 'torch._utils._rebuild_parameter_with_state':
        return args[0];
      case 'torch.Size':
        if (!isTuple(args[0]))
          throw new CheckpointFormatError(source, 'torch.Size() of something that is not a tuple');
        return tuple(...(args[0] as readonly unknown[]));
      case '_codecs.encode': {
        const [s, enc] = args;
        if (typeof s !== 'string' || (enc !== 'latin1' && enc !== 'latin-1')) {
          throw new CheckpointFormatError(
            source,
            "_codecs.encode is only allowed as encode(str, 'latin1') for bytes",
          );
        }
        const out = new Uint8Array(s.length);
        for (let i = 0; i < s.length; i++) {
          const c = s.charCodeAt(i);
          if (c > 255) throw new CheckpointFormatError(source, 'bytes literal has a character above U+00FF');
          out[i] = c;
        }
        return out;
      }
      default:
        throw new CheckpointFormatError(source, `${full} cannot be called here`);
    }
  };

  try {
    return readPickle(zip.read(pklName), source, {
      allowGlobal: (module, name) =>
        TORCH_GLOBALS.has(`${module}.${name}`) || (module === 'torch' && name in STORAGE_KINDS),
      persistentLoad,
      call,
    });
  } catch (e) {
    if (e instanceof RangeError) throw new CheckpointFormatError(source, `cannot be read: ${e.message}`);
    throw e;
  }
}

function intTuple(v: unknown, what: string, source: string): number[] {
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0)) {
    throw new CheckpointFormatError(source, `tensor ${what} is not a tuple of non-negative integers`);
  }
  if (v.length > 64)
    throw new CheckpointFormatError(source, `tensor has ${v.length} dimensions; at most 64 are supported`);
  return v as number[];
}

function gather(
  values: StorageArray,
  offset: number,
  shape: number[],
  strides: number[],
  numel: number,
): StorageArray {
  const out = new (values.constructor as new (n: number) => StorageArray)(numel);
  const nd = shape.length;
  const idx = new Array<number>(nd).fill(0);
  let src = offset;
  for (let k = 0; k < numel; k++) {
    out[k] = values[src]!;
    for (let d = nd - 1; d >= 0; d--) {
      idx[d]!++;
      src += strides[d]!;
      if (idx[d]! < shape[d]!) break;
      src -= idx[d]! * strides[d]!;
      idx[d] = 0;
    }
  }
  return out;
}

function byteSwap(data: Uint8Array, size: number, numel: number): Uint8Array {
  const out = new Uint8Array(numel * size);
  for (let i = 0; i < numel; i++)
    for (let j = 0; j < size; j++) out[i * size + j] = data[i * size + size - 1 - j]!;
  return out;
}
