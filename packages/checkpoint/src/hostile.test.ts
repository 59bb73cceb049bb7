import { describe, expect, it } from 'vitest';
import { CheckpointFormatError, CheckpointUnsupportedError, UnsafePickleError } from './errors';
import { fromBytes } from './torch-format';
import { writeZip } from './zip-writer';

const enc = new TextEncoder();
/** A tiny pickle assembler: strings are opcodes/text, numbers raw bytes. */
function pkl(...parts: (string | number | number[])[]): Uint8Array {
  const out: number[] = [];
  for (const p of parts) {
    if (typeof p === 'string') out.push(...enc.encode(p));
    else if (typeof p === 'number') out.push(p);
    else out.push(...p);
  }
  return new Uint8Array(out);
}
const u32 = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
const str = (s: string) => ['X', u32(enc.encode(s).length), s] as const;
/** `_rebuild_tensor_v2(storage(FloatStorage, '0', numel), offset, size, stride, False, OrderedDict())`. */
function tensorPickle(numel: number, size: number[], stride: number[]): Uint8Array {
  const tup = (xs: number[]) => ['(', ...xs.flatMap((x) => ['J', u32(x)]), 't'];
  return pkl(
    0x80,
    2,
    'ctorch._utils\n_rebuild_tensor_v2\n',
    '(',
    '(',
    ...str('storage'),
    'ctorch\nFloatStorage\n',
    ...str('0'),
    ...str('cpu'),
    'J',
    u32(numel),
    't',
    'Q',
    'K',
    0,
    ...tup(size),
    ...tup(stride),
    0x89,
    'ccollections\nOrderedDict\n',
    ')',
    'R',
    't',
    'R',
    '.',
  );
}
const archive = (p: Uint8Array, data = new Uint8Array(16)) =>
  writeZip([
    { name: 'archive/data.pkl', data: p },
    { name: 'archive/data/0', data },
  ]);

describe('hostile files are refused before anything large is allocated', () => {
  it('a storage that declares more elements than its record holds', () => {
    const bytes = archive(tensorPickle(2 ** 30, [2 ** 30], [1]));
    expect(() => fromBytes(bytes, { name: 'h.pt' })).toThrow(
      /h\.pt.*declares 1073741824 elements.*holds 16 bytes/,
    );
  });

  it('a view reaching past its storage', () => {
    expect(() => fromBytes(archive(tensorPickle(4, [5], [1])))).toThrow(CheckpointFormatError);
    expect(() => fromBytes(archive(tensorPickle(4, [2, 2], [2, 2])))).toThrow(/reaches element/);
  });

  it('a stride-0 view that would expand to 10^18 elements', () => {
    const bytes = archive(tensorPickle(4, [1e9, 1e9], [0, 0]));
    const start = Date.now();
    expect(() => fromBytes(bytes)).toThrow(CheckpointUnsupportedError);
    expect(Date.now() - start).toBeLessThan(1000);
  });

  it('globals and calls outside the allow-list', () => {
    for (const g of [
      'builtins\neval\n',
      'os\nsystem\n',
      'torch\nload\n',
      'torch._utils\n_rebuild_qtensor\n',
    ]) {
      expect(() => fromBytes(archive(pkl(0x80, 2, 'c', g, ')', 'R', '.')))).toThrow(UnsafePickleError);
    }
    // BUILD on anything but an OrderedDict (setstate on an object)
    expect(() => fromBytes(archive(pkl(0x80, 2, ']', '}', 'b', '.')))).toThrow(UnsafePickleError);
    // REDUCE of a non-callable
    expect(() => fromBytes(archive(pkl(0x80, 2, 'K', 1, ')', 'R', '.')))).toThrow(CheckpointFormatError);
  });

  it('deep MARK nesting, memo reads before writes, and a missing STOP', () => {
    const marks = new Uint8Array(200_003).fill(0x28);
    marks.set([0x80, 2], 0);
    marks[marks.length - 1] = 0x2e;
    expect(() => fromBytes(archive(marks))).toThrow(/MARK/);
    expect(() => fromBytes(archive(pkl(0x80, 2, 'h', 5, '.')))).toThrow(/memo entry 5/);
    expect(() => fromBytes(archive(pkl(0x80, 2, 'N')))).toThrow(/STOP/);
    expect(() => fromBytes(archive(pkl(0x80, 2, 'N', 'N', '.')))).toThrow(/STOP with 2 values/);
  });
});
