import { describe, expect, it } from 'vitest';
import {
  CheckpointFormatError,
  CheckpointSerializeError,
  CheckpointUnsupportedError,
  UnsafePickleError,
} from './errors';
import { Float, isTuple, tuple } from './python-values';
import { fromBytes, toBytes } from './torch-format';
import { writeZip } from './zip-writer';

describe('toBytes / fromBytes: plain Python values', () => {
  it('round-trips nested containers (the packaging smoke call)', () => {
    expect(JSON.stringify(fromBytes(toBytes({ a: [1, 'x', null] })))).toBe('{"a":[1,"x",null]}');
  });

  it('keeps ints, floats, bools, None, strings, bigints', () => {
    const v = {
      i: 7,
      neg: -70000,
      big: 2 ** 40,
      huge: 2n ** 70n,
      f: 0.25,
      nan: Number.NaN,
      inf: -Infinity,
      t: true,
      n: null,
      s: 'héllo ☃',
      e: '',
    };
    expect(fromBytes(toBytes(v))).toEqual(v);
  });

  it('keeps tuples as tuples and lists as lists', () => {
    const out = fromBytes(toBytes({ t: tuple<unknown>(1, tuple(), tuple(2, 3, 4, 5)), l: [1, 2] }));
    expect(isTuple(out.t)).toBe(true);
    expect(isTuple(out.t[2])).toBe(true);
    expect(isTuple(out.l)).toBe(false);
    expect(out.t).toEqual([1, [], [2, 3, 4, 5]]);
  });

  it('keeps integer dict keys as ints and integer-looking str keys as str', () => {
    const out = fromBytes(toBytes({ state: { 0: 'a', 12: 'b' }, names: new Map([['3', 'str key']]) }));
    expect(out.state).toEqual({ 0: 'a', 12: 'b' });
    // written again, '3' stays a str key: the pickle holds the UTF-8 string "3"
    const again = fromBytes(toBytes(out));
    expect(again.names).toEqual({ 3: 'str key' });
  });

  it('writes Float and floatKeys as floats and remembers integral floats read back', () => {
    const bytes = toBytes({ lr: 1, other: 1, forced: new Float(2), list: [new Float(3), 3] });
    const out = fromBytes(bytes);
    expect(out).toEqual({ lr: 1, other: 1, forced: 2, list: [3, 3] });
    // the pickle of a re-save is byte-identical: float-ness survived the round trip
    expect(toBytes(out)).toEqual(bytes);
    // without the default floatKeys, a fresh lr: 1 writes an int: different bytes
    expect(toBytes({ lr: 1 }, { floatKeys: [] })).not.toEqual(toBytes({ lr: 1 }));
    expect(toBytes({ lr: 1 }, { floatKeys: [] })).toEqual(toBytes({ lr: 1 }, { floatKeys: ['x'] }));
  });

  it('shares memoised objects and survives cycles in lists', () => {
    const shared = { x: 1 };
    const cyc: unknown[] = [];
    cyc.push(cyc);
    const out = fromBytes(toBytes({ a: shared, b: shared, cyc }));
    expect(out.a).toBe(out.b);
    expect(out.cyc[0]).toBe(out.cyc);
  });

  it('accepts an ArrayBuffer (as fetch gives) and refuses other input types', () => {
    const bytes = toBytes({ x: 1 });
    expect(fromBytes(bytes.slice().buffer)).toEqual({ x: 1 });
    expect(() => fromBytes('not bytes' as never)).toThrow(CheckpointFormatError);
  });

  it('builds tensors with a custom tensorFactory (contiguous values, shape, dtype)', () => {
    const t = { dtype: 'int32', shape: [2, 2], toTypedArray: () => new Int32Array([1, -2, 3, 4]) };
    const calls: unknown[] = [];
    const out = fromBytes(toBytes({ t, again: t }), {
      tensorFactory: (values, shape, dtype) => {
        calls.push([Array.from(values), shape, dtype]);
        return 'T';
      },
    });
    expect(out).toEqual({ t: 'T', again: 'T' });
    expect(calls).toEqual([[[1, -2, 3, 4], [2, 2], 'int32']]); // the same tensor is written and read once
  });

  it('writes bytes and reads them back', () => {
    const out = fromBytes(toBytes({ b: new Uint8Array([0, 200, 255]) }));
    expect(out.b).toEqual(new Uint8Array([0, 200, 255]));
  });

  it('writes a Variable / Parameter as torch._utils._rebuild_parameter of its data', () => {
    class Param {
      grad = null;
      requiresGrad = true;
      constructor(readonly data: unknown) {}
    }
    const data = { dtype: 'float32', shape: [2], toTypedArray: () => new Float32Array([1, 2]) };
    const bytes = toBytes({ p: new Param(data) });
    const pkl = new TextDecoder('latin1').decode(bytes);
    expect(pkl).toContain('torch._utils\n_rebuild_parameter\n');
  });

  it('refuses values with no Python equivalent, naming where', () => {
    expect(() => toBytes({ a: { f: () => 1 } })).toThrow(/a\.f.*function/);
    expect(() => toBytes({ d: new Date() })).toThrow(CheckpointSerializeError);
    expect(() => toBytes(new Float32Array(2))).toThrow(/fromTypedArray/);
  });
});

describe('errors', () => {
  it('are OptErrors, like every @opt error', async () => {
    const { OptError } = await import('@opt/tensor');
    if (typeof OptError !== 'function') {
      console.warn('\n*** SKIPPED: OptError check (@opt/tensor has no OptError yet) ***\n');
      return;
    }
    expect(() => fromBytes(new Uint8Array(3))).toThrow(OptError);
  });
});

describe('fromBytes: bad input', () => {
  const pickleIn = (pkl: number[]): Uint8Array =>
    writeZip([{ name: 'archive/data.pkl', data: new Uint8Array(pkl) }]);
  const enc = (s: string) => [...new TextEncoder().encode(s)];

  it('refuses a global that is not on the allow-list, never running it', () => {
    // cos\nsystem\n (X'echo hi' tR.
    const evil = pickleIn([
      0x80,
      2,
      ...enc('cos\nsystem\n'),
      0x28,
      0x8c,
      7,
      ...enc('echo hi'),
      0x74,
      0x52,
      0x2e,
    ]);
    expect(() => fromBytes(evil, { name: 'evil.pt' })).toThrow(UnsafePickleError);
    expect(() => fromBytes(evil, { name: 'evil.pt' })).toThrow(/evil\.pt.*os\.system/);
  });

  it('refuses opcodes outside the allow-list (INST, OBJ)', () => {
    expect(() => fromBytes(pickleIn([0x80, 2, 0x69, ...enc('os\nsystem\n'), 0x2e]))).toThrow(
      UnsafePickleError,
    );
  });

  it('names truncation and non-zip input', () => {
    const good = toBytes({ a: 1 });
    expect(() => fromBytes(good.subarray(0, good.length - 5), { name: 'cut.pt' })).toThrow(/cut\.pt/);
    expect(() => fromBytes(new TextEncoder().encode('hello world'))).toThrow(CheckpointFormatError);
    expect(() => fromBytes(new Uint8Array([0x80, 2, 0x4e, 0x2e]))).toThrow(CheckpointUnsupportedError);
  });

  it('refuses a pickle that declares a string longer than the file', () => {
    const p = pickleIn([0x80, 2, 0x58, 0xff, 0xff, 0xff, 0x7f, 0x2e]);
    expect(() => fromBytes(p)).toThrow(/more bytes/);
  });
});
