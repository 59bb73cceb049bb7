import { afterAll, describe, expect, it } from 'vitest';
import { getNumThreads, nodeThreading, setNumThreads } from '../backend/threads';
import { allocatePinned, pinnedMemory } from './pinned-memory';
import { type AdamUpdate, loadUpdateKernels, type SgdUpdate, UpdateBatch } from './update-kernels';
import { adamModel, firstDifference, sgdModel } from './update-models';

// Updates whose operands are all pinned are split between the calling thread and update workers
// once they reach 2^17 elements. These tensors (odd offsets, lengths not a multiple of 4 or 16)
// take the threaded route together, and each element must still follow PyTorch's float32
// arithmetic, on 2 and on 3 threads.
const SIZES = [140_003, 9, 70_001];

let seed = 7;
function pinnedOperands(count: number, positive = false): { arrays: Float32Array[]; offsets: number[] } {
  const arrays: Float32Array[] = [];
  const offsets: number[] = [];
  for (let t = 0; t < count; t++) {
    const o = 2 * t + 3;
    const a = allocatePinned('test', 'float32', o + SIZES[t]! + 5) as Float32Array;
    for (let i = 0; i < a.length; i++) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      const r = (seed / 2147483648 - 0.5) * 4;
      a[i] = positive ? Math.abs(r) : r;
    }
    arrays.push(a);
    offsets.push(o);
  }
  return { arrays, offsets };
}

const kernels = loadUpdateKernels();
const threaded = kernels !== null && pinnedMemory() !== null && nodeThreading() !== null;
const before = getNumThreads();
afterAll(() => setNumThreads(before));

describe.runIf(threaded).each([2, 3])('fused updates over pinned memory on %i threads', (threads) => {
  const sgdCases: SgdUpdate[] = [
    { lr: 0.05, momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: false, maximize: false, first: true },
    {
      lr: 0.01,
      momentum: 0.7,
      dampening: 0.1,
      weightDecay: 5e-4,
      nesterov: true,
      maximize: true,
      first: false,
    },
  ];
  it.each(sgdCases.map((h) => [JSON.stringify(h), h] as const))('SGD %s', (_name, h) => {
    setNumThreads(threads);
    const [xs, gs, bs] = [pinnedOperands(3), pinnedOperands(3), pinnedOperands(3)];
    const expected = xs.arrays.map((xa, t) => {
      const out = { x: Float32Array.from(xa), b: Float32Array.from(bs.arrays[t]!) };
      for (let i = 0; i < SIZES[t]!; i++) {
        const [x, b] = sgdModel(
          xa[xs.offsets[t]! + i]!,
          gs.arrays[t]![gs.offsets[t]! + i]!,
          bs.arrays[t]![bs.offsets[t]! + i]!,
          h,
        );
        out.x[xs.offsets[t]! + i] = x;
        out.b[bs.offsets[t]! + i] = b;
      }
      return out;
    });
    const batch = new UpdateBatch();
    for (let t = 0; t < SIZES.length; t++) {
      batch.add(
        SIZES[t]!,
        xs.arrays[t]!,
        xs.offsets[t]!,
        gs.arrays[t]!,
        gs.offsets[t]!,
        bs.arrays[t]!,
        bs.offsets[t]!,
      );
    }
    kernels!.sgd(batch, h);
    for (let t = 0; t < SIZES.length; t++) {
      // whole storages compared: the elements around each tensor stay untouched
      expect(firstDifference(xs.arrays[t]!, expected[t]!.x)).toBe(-1);
      expect(firstDifference(bs.arrays[t]!, expected[t]!.b)).toBe(-1);
    }
  });

  const adamCases: AdamUpdate[] = [
    {
      lr: 1e-3,
      beta1: 0.9,
      beta2: 0.999,
      eps: 1e-8,
      weightDecay: 0,
      decoupled: false,
      amsgrad: true,
      maximize: false,
      step: 3,
    },
    {
      lr: 2e-3,
      beta1: 0.8,
      beta2: 0.99,
      eps: 1e-6,
      weightDecay: 1e-2,
      decoupled: true,
      amsgrad: false,
      maximize: true,
      step: 1,
    },
  ];
  it.each(adamCases.map((h) => [JSON.stringify(h), h] as const))('Adam %s', (_name, h) => {
    setNumThreads(threads);
    const [xs, gs, ms] = [pinnedOperands(3), pinnedOperands(3), pinnedOperands(3)];
    const [vs, maxes] = [pinnedOperands(3, true), pinnedOperands(3, true)];
    const expected = xs.arrays.map((xa, t) => {
      const out = {
        x: Float32Array.from(xa),
        m: Float32Array.from(ms.arrays[t]!),
        v: Float32Array.from(vs.arrays[t]!),
        vmax: Float32Array.from(maxes.arrays[t]!),
      };
      for (let i = 0; i < SIZES[t]!; i++) {
        const at = (o: { offsets: number[] }) => o.offsets[t]! + i;
        const [x, m, v, vmax] = adamModel(
          xa[at(xs)]!,
          gs.arrays[t]![at(gs)]!,
          ms.arrays[t]![at(ms)]!,
          vs.arrays[t]![at(vs)]!,
          maxes.arrays[t]![at(maxes)]!,
          h,
        );
        out.x[at(xs)] = x;
        out.m[at(ms)] = m;
        out.v[at(vs)] = v;
        if (h.amsgrad) out.vmax[at(maxes)] = vmax;
      }
      return out;
    });
    const batch = new UpdateBatch();
    for (let t = 0; t < SIZES.length; t++) {
      const args = [
        SIZES[t]!,
        xs.arrays[t]!,
        xs.offsets[t]!,
        gs.arrays[t]!,
        gs.offsets[t]!,
        ms.arrays[t]!,
        ms.offsets[t]!,
        vs.arrays[t]!,
        vs.offsets[t]!,
      ] as const;
      if (h.amsgrad) batch.add(...args, maxes.arrays[t]!, maxes.offsets[t]!);
      else batch.add(...args);
    }
    kernels!.adam(batch, h);
    for (let t = 0; t < SIZES.length; t++) {
      expect(firstDifference(xs.arrays[t]!, expected[t]!.x)).toBe(-1);
      expect(firstDifference(ms.arrays[t]!, expected[t]!.m)).toBe(-1);
      expect(firstDifference(vs.arrays[t]!, expected[t]!.v)).toBe(-1);
      expect(firstDifference(maxes.arrays[t]!, expected[t]!.vmax)).toBe(-1);
    }
  });
});
