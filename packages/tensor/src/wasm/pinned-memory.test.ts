import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { arange, eye, fromTypedArray, full, linspace, ones, tensor, zeros, zerosLike } from '../factories';
import { allocatePinned, isPinnedArray, pinnedMemory, pinnedStats } from './pinned-memory';

/** V8's collector, reachable without starting the process with --expose-gc. */
function collector(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

async function collectGarbage(): Promise<void> {
  const gc = collector();
  for (let i = 0; i < 3; i++) {
    gc();
    // FinalizationRegistry callbacks run as tasks after the collection
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe.runIf(pinnedMemory() !== null)('pinned memory', () => {
  it('pinMemory copies the values, strided views included, into pinned storage', () => {
    const x = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]).t();
    const p = x.pinMemory();
    expect(p.isPinned()).toBe(true);
    expect(x.isPinned()).toBe(false);
    expect(p.toArray()).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    expect(p.isContiguous()).toBe(true);
    p.values[0] = 42;
    expect((x.toArray() as number[][])[0]).toEqual([1, 4]);
    expect(p.pinMemory()).toBe(p);
    // views share the pinned storage
    expect(p.reshape([6]).isPinned()).toBe(true);
  });

  it('every factory takes pinMemory, for every dtype', () => {
    expect(zeros([3], { pinMemory: true }).isPinned()).toBe(true);
    expect(ones([2], { dtype: 'float64', pinMemory: true }).toArray()).toEqual([1, 1]);
    expect(full([2], 7, { dtype: 'int32', pinMemory: true }).values).toBeInstanceOf(Int32Array);
    const b = tensor([true, false, true], undefined, { dtype: 'bool', pinMemory: true });
    expect([b.isPinned(), b.dtype, b.toArray()]).toEqual([true, 'bool', [1, 0, 1]]);
    expect(tensor(new Float64Array([1, 2]), [2], { pinMemory: true }).isPinned()).toBe(true);
    expect(arange(0, 5, 1, { pinMemory: true }).toArray()).toEqual([0, 1, 2, 3, 4]);
    expect(linspace(0, 1, 3, { pinMemory: true }).isPinned()).toBe(true);
    expect(eye(2, 2, { pinMemory: true }).toArray()).toEqual([
      [1, 0],
      [0, 1],
    ]);
    const like = zerosLike(tensor([1, 2]), { pinMemory: true });
    expect([like.isPinned(), like.dtype]).toEqual([true, 'float32']);
    expect(zeros([3]).isPinned()).toBe(false);
  });

  it('fromTypedArray refuses pinMemory, since it does not copy', () => {
    expect(() => fromTypedArray(new Float32Array(2), [2], { pinMemory: true })).toThrow(
      /fromTypedArray: pinMemory: true needs a copy/,
    );
  });

  it('blocks do not overlap, and arrays handed out before the memory grows keep their values', () => {
    const small = [1, 5, 16, 17, 100].map((n, i) => {
      const a = allocatePinned('test', 'float32', n) as Float32Array;
      a.fill(i + 1);
      return a;
    });
    // 64 MiB more: the memory must grow
    const before = pinnedStats().capacity;
    const big = allocatePinned('test', 'float64', 8 << 20) as Float64Array;
    expect(pinnedStats().capacity).toBeGreaterThan(before);
    big.fill(-1);
    small.forEach((a, i) => {
      expect(isPinnedArray(a)).toBe(true);
      expect(Array.from(a)).toEqual(new Array(a.length).fill(i + 1));
    });
    expect(big.byteOffset % 64).toBe(0);
    expect(isPinnedArray(big)).toBe(true);
  });

  it('blocks return to the allocator when their arrays are collected, and are reused', async () => {
    await collectGarbage();
    const base = pinnedStats().used;
    let keep = zeros([1000], { pinMemory: true });
    for (let i = 0; i < 50; i++) zeros([1 << 16], { pinMemory: true });
    expect(pinnedStats().used).toBeGreaterThanOrEqual(base + 50 * (1 << 18));
    await collectGarbage();
    // the 50 blocks are free again; the kept one is not
    expect(pinnedStats().used).toBe(base + 4032);
    expect(keep.isPinned()).toBe(true);
    const capacity = pinnedStats().capacity;
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 50; i++) zeros([1 << 16], { pinMemory: true });
      await collectGarbage();
    }
    // five more rounds of the same allocations fit in the freed blocks
    expect(pinnedStats().capacity).toBe(capacity);
    keep = zeros([1]);
    await collectGarbage();
    expect(pinnedStats().used).toBe(base);
  });

  it('a reused block is zero-filled', async () => {
    const dirtyAt = (() => {
      const dirty = allocatePinned('test', 'float32', 4096) as Float32Array;
      dirty.fill(3);
      return dirty.byteOffset;
    })();
    await collectGarbage();
    const again = Array.from({ length: 4 }, () => allocatePinned('test', 'float32', 4096) as Float32Array);
    expect(again.map((a) => a.byteOffset)).toContain(dirtyAt);
    for (const a of again) expect(a.every((v) => v === 0)).toBe(true);
  });
});
