import { ByteWriter } from './byte-io';
import { CheckpointSerializeError } from './errors';
import { Float, isFloatSlot, isIntegerKey, isStringKey, isTuple } from './python-values';
import { isTensorLike, type TensorLike } from './tensor-like';

/** How a tensor found while pickling is stored: its storage class and record key (internal). */
export interface TensorSink {
  /** Registers `t`'s data; returns the torch storage class name (`FloatStorage`) and the record key. */
  add(t: TensorLike, where: string): { storageType: string; key: string; numel: number };
}

/** Pickling options (internal; the public options live in `options.ts`). */
export interface PickleWriteOptions {
  source: string;
  floatKeys: ReadonlySet<string>;
  tensors: TensorSink;
}

const enc = new TextEncoder();

/**
 * Pickles `value` with protocol 2, the protocol `torch.save` uses. Tensors
 * become `torch._utils._rebuild_tensor_v2` calls over persistent storages.
 * Objects and arrays seen twice are written once and referenced (memo), so
 * shared and cyclic lists/dicts survive.
 */
export function writePickle(root: unknown, opts: PickleWriteOptions): Uint8Array {
  const w = new ByteWriter();
  const memo = new Map<object, number>();
  const inProgressTuples = new Set<object>();

  const fail = (where: string, msg: string): never => {
    throw new CheckpointSerializeError(opts.source, `cannot save ${where || 'the root value'}: ${msg}`);
  };

  const put = (obj: object): void => {
    const idx = memo.size;
    memo.set(obj, idx);
    if (idx < 256) {
      w.u8(0x71); // BINPUT
      w.u8(idx);
    } else {
      w.u8(0x72); // LONG_BINPUT
      w.u32(idx);
    }
  };

  const get = (idx: number): void => {
    if (idx < 256) {
      w.u8(0x68); // BINGET
      w.u8(idx);
    } else {
      w.u8(0x6a); // LONG_BINGET
      w.u32(idx);
    }
  };

  const str = (s: string): void => {
    const b = enc.encode(s);
    w.u8(0x58); // BINUNICODE (protocol 1+; torch's weights-only unpickler knows no SHORT_BINUNICODE)
    w.u32(b.length);
    w.bytes(b);
  };

  const global = (module: string, name: string): void => {
    w.u8(0x63); // GLOBAL
    w.bytes(enc.encode(`${module}\n${name}\n`));
  };

  const bigint = (v: bigint): void => {
    // LONG1: little-endian two's complement, minimal length
    const bytes: number[] = [];
    let x = v;
    if (x !== 0n) {
      for (;;) {
        const byte = Number(x & 0xffn);
        bytes.push(byte);
        x >>= 8n;
        if ((x === 0n && (byte & 0x80) === 0) || (x === -1n && (byte & 0x80) !== 0)) break;
      }
    }
    w.u8(0x8a);
    w.u8(bytes.length);
    for (const b of bytes) w.u8(b);
  };

  const int = (v: number): void => {
    if (v >= 0 && v < 256) {
      w.u8(0x4b); // BININT1
      w.u8(v);
    } else if (v >= 0 && v < 65536) {
      w.u8(0x4d); // BININT2
      w.u16(v);
    } else if (v >= -0x80000000 && v <= 0x7fffffff) {
      w.u8(0x4a); // BININT
      w.i32(v);
    } else {
      bigint(BigInt(v));
    }
  };

  const float = (v: number): void => {
    w.u8(0x47); // BINFLOAT, big-endian
    w.f64be(v);
  };

  const number = (v: number, forceFloat: boolean): void => {
    if (forceFloat || !Number.isInteger(v) || Object.is(v, -0)) float(v);
    else int(v);
  };

  const tuple = (items: readonly unknown[], emit: (x: unknown, i: number) => void): void => {
    if (items.length === 0) {
      w.u8(0x29); // EMPTY_TUPLE
      return;
    }
    if (items.length > 3) w.u8(0x28); // MARK
    items.forEach(emit);
    if (items.length === 1) w.u8(0x85);
    else if (items.length === 2) w.u8(0x86);
    else if (items.length === 3) w.u8(0x87);
    else w.u8(0x74); // TUPLE
  };

  const tensor = (t: TensorLike, where: string): void => {
    const { storageType, key, numel } = opts.tensors.add(t, where);
    global('torch._utils', '_rebuild_tensor_v2');
    w.u8(0x28); // MARK
    // persistent id ('storage', torch.XStorage, key, 'cpu', numel)
    w.u8(0x28);
    str('storage');
    global('torch', storageType);
    str(key);
    str('cpu');
    int(numel);
    w.u8(0x74);
    w.u8(0x51); // BINPERSID
    int(0); // storage offset
    const shape = [...t.shape];
    const strides: number[] = new Array(shape.length);
    let s = 1;
    for (let i = shape.length - 1; i >= 0; i--) {
      strides[i] = s;
      s *= shape[i]!;
    }
    tuple(shape, (x) => int(x as number));
    tuple(strides, (x) => int(x as number));
    w.u8(0x89); // NEWFALSE: requires_grad
    global('collections', 'OrderedDict');
    w.u8(0x29);
    w.u8(0x52); // REDUCE
    w.u8(0x74); // TUPLE
    w.u8(0x52); // REDUCE
  };

  const key = (k: unknown, where: string): void => {
    if (typeof k === 'string') str(k);
    else if (typeof k === 'number') number(k, false);
    else if (k instanceof Float) float(k.value);
    else if (typeof k === 'bigint') bigint(k);
    else if (typeof k === 'boolean') w.u8(k ? 0x88 : 0x89);
    else if (k === null) w.u8(0x4e);
    else if (isTuple(k)) value(k, where, false);
    else fail(where, `a Map key of type ${describe(k)} has no Python equivalent`);
  };

  const value = (v: unknown, where: string, forceFloat: boolean): void => {
    if (v === null || v === undefined) {
      w.u8(0x4e); // NONE
      return;
    }
    switch (typeof v) {
      case 'boolean':
        w.u8(v ? 0x88 : 0x89);
        return;
      case 'number':
        number(v, forceFloat);
        return;
      case 'bigint':
        bigint(v);
        return;
      case 'string':
        str(v);
        return;
      case 'object':
        break;
      default:
        fail(where, `a value of type ${typeof v} has no Python equivalent`);
    }
    const obj = v as object;
    if (obj instanceof Float) {
      float(obj.value);
      return;
    }
    const seen = memo.get(obj);
    if (seen !== undefined) {
      get(seen);
      return;
    }
    if (isTensorLike(obj)) {
      tensor(obj, where);
      put(obj);
      return;
    }
    if (isVariableLike(obj)) {
      // a Parameter / Variable: torch._utils._rebuild_parameter(data, requires_grad, OrderedDict())
      global('torch._utils', '_rebuild_parameter');
      tensor(obj.data, where);
      w.u8(obj.requiresGrad ? 0x88 : 0x89);
      global('collections', 'OrderedDict');
      w.u8(0x29);
      w.u8(0x52);
      w.u8(0x87); // TUPLE3
      w.u8(0x52);
      put(obj);
      return;
    }
    if (obj instanceof Uint8Array) {
      // protocol 2 writes bytes as _codecs.encode(latin1 string, 'latin1')
      global('_codecs', 'encode');
      let s = '';
      for (let i = 0; i < obj.length; i += 8192) {
        s += String.fromCharCode(...obj.subarray(i, Math.min(obj.length, i + 8192)));
      }
      str(s);
      str('latin1');
      w.u8(0x86);
      w.u8(0x52);
      put(obj);
      return;
    }
    if (ArrayBuffer.isView(obj))
      fail(where, `a ${obj.constructor.name} is not a tensor; wrap it with fromTypedArray`);
    if (Array.isArray(obj)) {
      if (isTuple(obj)) {
        if (inProgressTuples.has(obj)) fail(where, 'a tuple that contains itself cannot be pickled');
        inProgressTuples.add(obj);
        tuple(obj, (x, i) => value(x, `${where}[${i}]`, forceFloat || isFloatSlot(obj, i)));
        inProgressTuples.delete(obj);
        // a nested reference may have memoised it meanwhile; memoise now
        if (!memo.has(obj)) put(obj);
        return;
      }
      const list = obj as unknown[];
      w.u8(0x5d); // EMPTY_LIST
      put(list);
      for (let i = 0; i < list.length; i += 1000) {
        const end = Math.min(list.length, i + 1000);
        w.u8(0x28);
        for (let j = i; j < end; j++) value(list[j], `${where}[${j}]`, forceFloat || isFloatSlot(list, j));
        w.u8(0x65); // APPENDS
      }
      return;
    }
    if (obj instanceof Map) {
      w.u8(0x7d); // EMPTY_DICT
      put(obj);
      let n = 0;
      for (const [k, x] of obj) {
        if (n % 1000 === 0) {
          if (n > 0) w.u8(0x75);
          w.u8(0x28);
        }
        const kw = `${where}.get(${String(k)})`;
        key(k, kw);
        value(x, kw, typeof k === 'string' && (opts.floatKeys.has(k) || isFloatSlot(obj, k)));
        n++;
      }
      if (n > 0) w.u8(0x75); // SETITEMS
      return;
    }
    const proto = Object.getPrototypeOf(obj);
    if (proto !== Object.prototype && proto !== null) {
      fail(
        where,
        `an instance of ${obj.constructor?.name ?? 'a class'} is not a plain object, array, Map or Tensor`,
      );
    }
    w.u8(0x7d);
    put(obj);
    const entries = Object.entries(obj).filter(([, x]) => x !== undefined);
    for (let i = 0; i < entries.length; i += 1000) {
      w.u8(0x28);
      for (const [k, x] of entries.slice(i, i + 1000)) {
        const kw = where ? `${where}.${k}` : k;
        if (isIntegerKey(k) && !isStringKey(obj, k)) int(Number(k));
        else str(k);
        value(x, kw, opts.floatKeys.has(k) || isFloatSlot(obj, k));
      }
      w.u8(0x75);
    }
  };

  w.u8(0x80); // PROTO 2
  w.u8(2);
  try {
    value(root, '', false);
  } catch (e) {
    if (e instanceof RangeError) fail('', 'the value is nested too deeply');
    throw e;
  }
  w.u8(0x2e); // STOP
  return w.finish();
}

/** An autograd Variable / nn Parameter: a class instance with a tensor `data` and a `grad` field. */
function isVariableLike(v: object): v is { data: TensorLike; requiresGrad?: boolean } {
  const o = v as Record<string, unknown>;
  const proto = Object.getPrototypeOf(v);
  return proto !== Object.prototype && proto !== null && 'grad' in o && isTensorLike(o['data']);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'object';
  return typeof v;
}
