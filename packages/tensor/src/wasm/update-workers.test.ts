import { afterAll, describe, expect, it } from 'vitest';
import { getNumThreads, nodeThreading, setNumThreads } from '../backend/threads';
import { allocatePinned, pinnedMemory } from './pinned-memory';
import { type AdamUpdate, loadUpdateKernels, type SgdUpdate } from './update-kernels';
import { adamAgainstModel, sgdAgainstModel } from './update-models';

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
    expect(sgdAgainstModel(kernels!, SIZES, [xs, gs, bs], h)).toEqual([]);
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
    expect(adamAgainstModel(kernels!, SIZES, [xs, gs, ms, vs, maxes], h)).toEqual([]);
  });
});
