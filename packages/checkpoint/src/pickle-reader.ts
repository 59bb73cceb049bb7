import { CheckpointFormatError, CheckpointUnsupportedError, UnsafePickleError } from './errors';
import { Float, isIntegerKey, markFloatSlot, markStringKey, tuple } from './python-values';

/** A global the allow-list resolved (internal). */
export interface PickleGlobal {
  readonly kind: 'global';
  readonly module: string;
  readonly name: string;
}

/** Hooks that give torch meaning to persistent ids and calls (internal). */
export interface PickleHooks {
  /** Whether `module.name` may be referenced. */
  allowGlobal(module: string, name: string): boolean;
  /** Resolves a BINPERSID id (a tuple) to a value. */
  persistentLoad(pid: unknown): unknown;
  /** Calls an allowed global with its argument tuple (REDUCE). */
  call(fn: PickleGlobal, args: readonly unknown[]): unknown;
}

/** A dict under construction: a plain object plus the Python types of its keys. */
class DictBox {
  readonly obj: Record<string, unknown> = {};
  readonly intKeys = new Set<string>();
  readonly strKeys = new Set<string>();
  constructor(readonly ordered: boolean) {}
}

/**
 * An allow-list unpickler, like `torch.load(weights_only=True)`: it knows the
 * opcodes `torch.save` writes (protocols 2 to 5) and the globals the hooks
 * allow; anything else is an {@link UnsafePickleError}. Nothing is executed:
 * REDUCE dispatches to the hooks, which only build data. Python dicts become
 * plain objects (integer keys as their decimal strings), lists arrays, tuples
 * frozen arrays ({@link tuple}), `None` `null`, integral floats numbers
 * remembered as floats by their container. Lengths are checked against the
 * remaining bytes before anything is allocated.
 */
export function readPickle(bytes: Uint8Array, source: string, hooks: PickleHooks): unknown {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = bytes.length;
  let p = 0;
  const stack: unknown[] = [];
  const marks: number[] = [];
  const memo = new Map<number, unknown>();
  const utf8 = new TextDecoder('utf-8', { fatal: true });

  const bad = (msg: string): never => {
    throw new CheckpointFormatError(source, `pickle is malformed at byte ${p}: ${msg}`);
  };
  const need = (k: number): void => {
    if (k < 0 || p + k > n) bad(`needs ${k} more bytes but only ${n - p} remain (truncated?)`);
  };
  const u8 = (): number => {
    need(1);
    return bytes[p++]!;
  };
  const u16 = (): number => {
    need(2);
    const v = view.getUint16(p, true);
    p += 2;
    return v;
  };
  const u32 = (): number => {
    need(4);
    const v = view.getUint32(p, true);
    p += 4;
    return v;
  };
  const u64 = (): number => {
    need(8);
    const lo = view.getUint32(p, true);
    const hi = view.getUint32(p + 4, true);
    p += 8;
    return hi >= 0x200000 ? Number.POSITIVE_INFINITY : hi * 2 ** 32 + lo;
  };
  const take = (k: number): Uint8Array => {
    need(k);
    const b = bytes.subarray(p, p + k);
    p += k;
    return b;
  };
  const text = (k: number): string => {
    try {
      return utf8.decode(take(k));
    } catch (e) {
      if (e instanceof CheckpointFormatError) throw e;
      return bad('a string is not valid UTF-8');
    }
  };
  const latin1 = (b: Uint8Array): string => {
    let s = '';
    for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]!);
    return s;
  };
  const line = (): string => {
    const end = bytes.indexOf(0x0a, p);
    if (end < 0) bad('a GLOBAL name is not newline-terminated');
    const s = latin1(bytes.subarray(p, end));
    p = end + 1;
    return s;
  };
  const pop = (): unknown => {
    if (stack.length === 0 || (marks.length > 0 && stack.length <= marks[marks.length - 1]!))
      bad('stack underflow');
    return stack.pop();
  };
  const top = (): unknown => {
    if (stack.length === 0) bad('stack underflow');
    return stack[stack.length - 1];
  };
  const popMark = (): unknown[] => {
    const m = marks.pop();
    if (m === undefined) bad('no MARK to pop to');
    return stack.splice(m!);
  };
  const plain = (v: unknown): unknown => (v instanceof Float ? v.value : v);
  const makeTuple = (items: unknown[]): readonly unknown[] => {
    const t = tuple(...items.map(plain));
    items.forEach((x, i) => {
      if (x instanceof Float) markFloatSlot(t, i);
    });
    return t;
  };
  const append = (list: unknown, items: unknown[]): void => {
    if (!Array.isArray(list) || Object.isFrozen(list)) bad('APPEND to something that is not a list');
    const arr = list as unknown[];
    for (const x of items) {
      if (x instanceof Float) markFloatSlot(arr, arr.length);
      arr.push(plain(x));
    }
  };
  const setItems = (dict: unknown, items: unknown[]): void => {
    if (!(dict instanceof DictBox)) bad('SETITEM on something that is not a dict');
    const box = dict as DictBox;
    if (items.length % 2 !== 0) bad('SETITEMS with an odd number of items');
    for (let i = 0; i < items.length; i += 2) {
      const k = items[i];
      const v = items[i + 1];
      let key: string;
      if (typeof k === 'string') {
        key = k;
        if (isIntegerKey(k)) {
          if (box.intKeys.has(k)) unsupportedKey(`both an int and a str key ${k}`);
          box.strKeys.add(k);
          markStringKey(box.obj, k);
        }
      } else if (typeof k === 'number' && Number.isSafeInteger(k)) {
        key = String(k);
        if (box.strKeys.has(key)) unsupportedKey(`both an int and a str key ${key}`);
        box.intKeys.add(key);
      } else {
        unsupportedKey(`a key of type ${k === null ? 'None' : k instanceof Float ? 'float' : typeof k}`);
        key = '';
      }
      if (v instanceof Float) markFloatSlot(box.obj, key);
      Object.defineProperty(box.obj, key, {
        value: resolve(v),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  };
  const unsupportedKey = (what: string): never => {
    throw new CheckpointUnsupportedError(
      source,
      `pickle has a dict with ${what}; only str and int keys are supported`,
    );
  };
  // Values on the stack may be DictBox; containers hold the plain objects.
  const resolve = (v: unknown): unknown => (v instanceof DictBox ? v.obj : plain(v));
  const memoPut = (idx: number): void => {
    memo.set(idx, top());
  };

  for (;;) {
    if (p >= n) bad('ended without a STOP opcode (truncated?)');
    const at = p;
    const op = bytes[p++]!;
    switch (op) {
      case 0x80: // PROTO
        if (u8() > 5) bad('pickle protocol above 5');
        break;
      case 0x95: // FRAME
        u64();
        break;
      case 0x2e: {
        // STOP
        if (stack.length !== 1 || marks.length > 0) bad(`STOP with ${stack.length} values on the stack`);
        return resolve(stack[0]);
      }
      case 0x28: // MARK
        if (marks.length > 100_000) bad('too many nested MARKs');
        marks.push(stack.length);
        break;
      case 0x30: // POP
        pop();
        break;
      case 0x31: // POP_MARK
        popMark();
        break;
      case 0x7d: // EMPTY_DICT
        stack.push(new DictBox(false));
        break;
      case 0x64: {
        // DICT
        const items = popMark();
        const d = new DictBox(false);
        setItems(d, items);
        stack.push(d);
        break;
      }
      case 0x5d: // EMPTY_LIST
        stack.push([]);
        break;
      case 0x6c: {
        // LIST
        const items = popMark();
        const l: unknown[] = [];
        append(l, items);
        stack.push(l);
        break;
      }
      case 0x29: // EMPTY_TUPLE
        stack.push(tuple());
        break;
      case 0x74: // TUPLE
        stack.push(makeTuple(popMark().map(resolveKeepFloat)));
        break;
      case 0x85:
        stack.push(makeTuple([pop()].map(resolveKeepFloat)));
        break;
      case 0x86: {
        const b = pop();
        const a = pop();
        stack.push(makeTuple([a, b].map(resolveKeepFloat)));
        break;
      }
      case 0x87: {
        const c = pop();
        const b = pop();
        const a = pop();
        stack.push(makeTuple([a, b, c].map(resolveKeepFloat)));
        break;
      }
      case 0x61: {
        // APPEND
        const x = pop();
        append(top(), [resolveKeepFloat(x)]);
        break;
      }
      case 0x65: {
        // APPENDS
        const items = popMark().map(resolveKeepFloat);
        append(top(), items);
        break;
      }
      case 0x73: {
        // SETITEM
        const v = pop();
        const k = pop();
        setItems(top(), [resolveKeepFloat(k), resolveKeepFloat(v)]);
        break;
      }
      case 0x75: {
        // SETITEMS
        const items = popMark().map(resolveKeepFloat);
        setItems(top(), items);
        break;
      }
      case 0x4a: // BININT
        need(4);
        stack.push(view.getInt32(p, true));
        p += 4;
        break;
      case 0x4b: // BININT1
        stack.push(u8());
        break;
      case 0x4d: // BININT2
        stack.push(u16());
        break;
      case 0x8a: // LONG1
        stack.push(long(take(u8())));
        break;
      case 0x8b: {
        // LONG4
        const k = u32();
        if (k > 64)
          throw new CheckpointUnsupportedError(
            source,
            `pickle has a ${k}-byte integer; at most 64 bytes are supported`,
          );
        stack.push(long(take(k)));
        break;
      }
      case 0x47: {
        // BINFLOAT
        need(8);
        const f = view.getFloat64(p, false);
        p += 8;
        stack.push(Number.isInteger(f) ? new Float(f) : f);
        break;
      }
      case 0x58: // BINUNICODE
        stack.push(text(u32()));
        break;
      case 0x8c: // SHORT_BINUNICODE
        stack.push(text(u8()));
        break;
      case 0x8d: // BINUNICODE8
        stack.push(text(u64()));
        break;
      case 0x54: // BINSTRING (Python 2 str)
        stack.push(latin1(take(u32())));
        break;
      case 0x55: // SHORT_BINSTRING
        stack.push(latin1(take(u8())));
        break;
      case 0x42: // BINBYTES
        stack.push(take(u32()).slice());
        break;
      case 0x43: // SHORT_BINBYTES
        stack.push(take(u8()).slice());
        break;
      case 0x8e: // BINBYTES8
        stack.push(take(u64()).slice());
        break;
      case 0x4e: // NONE
        stack.push(null);
        break;
      case 0x88:
        stack.push(true);
        break;
      case 0x89:
        stack.push(false);
        break;
      case 0x71: // BINPUT
        memoPut(u8());
        break;
      case 0x72: // LONG_BINPUT
        memoPut(u32());
        break;
      case 0x94: // MEMOIZE
        memoPut(memo.size);
        break;
      case 0x68: // BINGET
      case 0x6a: {
        // LONG_BINGET
        const idx = op === 0x68 ? u8() : u32();
        if (!memo.has(idx)) bad(`memo entry ${idx} is read before it is written`);
        stack.push(memo.get(idx));
        break;
      }
      case 0x63: {
        // GLOBAL
        const module = line();
        const name = line();
        stack.push(checkGlobal(module, name));
        break;
      }
      case 0x93: {
        // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') bad('STACK_GLOBAL needs two strings');
        stack.push(checkGlobal(module as string, name as string));
        break;
      }
      case 0x52: {
        // REDUCE
        const args = pop();
        const fn = pop();
        if (!isGlobal(fn)) bad('REDUCE of something that is not an allowed global');
        if (!Array.isArray(args)) bad('REDUCE arguments are not a tuple');
        const g = fn as PickleGlobal;
        if (g.module === 'collections' && g.name === 'OrderedDict') {
          if ((args as unknown[]).length !== 0) bad('OrderedDict() with arguments');
          stack.push(new DictBox(true));
        } else {
          stack.push(hooks.call(g, (args as unknown[]).map(resolve)));
        }
        break;
      }
      case 0x62: {
        // BUILD: only OrderedDict state (torch's _metadata), which is dropped
        const state = pop();
        const target = top();
        if (!(target instanceof DictBox) || !target.ordered) {
          throw new UnsafePickleError(
            source,
            'pickle uses BUILD on an object other than an OrderedDict; refused',
          );
        }
        void state;
        break;
      }
      case 0x51: {
        // BINPERSID
        const pid = resolve(pop());
        stack.push(hooks.persistentLoad(pid));
        break;
      }
      default:
        p = at;
        throw new UnsafePickleError(
          source,
          `pickle opcode 0x${op.toString(16).padStart(2, '0')} at byte ${at} is not on the allow-list (only what torch.save writes is read)`,
        );
    }
  }

  function resolveKeepFloat(v: unknown): unknown {
    return v instanceof DictBox ? v.obj : v;
  }

  function checkGlobal(module: string, name: string): PickleGlobal {
    if (module === 'collections' && name === 'OrderedDict') return { kind: 'global', module, name };
    if (!hooks.allowGlobal(module, name)) {
      throw new UnsafePickleError(
        source,
        `pickle references the global ${module}.${name}, which is not on the allow-list; nothing from the file is executed`,
      );
    }
    return { kind: 'global', module, name };
  }
}

function isGlobal(v: unknown): v is PickleGlobal {
  return typeof v === 'object' && v !== null && (v as PickleGlobal).kind === 'global' && !Array.isArray(v);
}

/** Decodes a little-endian two's-complement integer: a number when safe, else a bigint. */
function long(b: Uint8Array): number | bigint {
  if (b.length === 0) return 0;
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
  if (b[b.length - 1]! & 0x80) v -= 1n << BigInt(8 * b.length);
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}
