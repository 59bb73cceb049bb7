import { describe, expect, it } from 'vitest';
import { allocatePinned, pinnedMemory } from './pinned-memory';
import { type AdamUpdate, loadUpdateKernels, type SgdUpdate, UpdateBatch } from './update-kernels';
import { adamAgainstModel, sgdAgainstModel } from './update-models';

/** Tensors of these sizes, each at an odd offset in its storage: they cross the 8,192-float staging
 * chunks and the 32,768-float chunks of an ordinary gradient beside pinned state. */
const SIZES = [1, 3, 8191, 5, 8193, 20011, 2, 36869];

/**
 * Where the operands live: all in ordinary memory (staged), all pinned (updated in place, the tails
 * of up to 3 staged), all but the gradients pinned (updated in place, the gradients copied in chunks
 * into pinned scratch memory), or mixed: tensor t's operand k pinned by {@link pinnedIn}.
 */
type Storage = 'ordinary' | 'pinned' | 'pinned state' | 'mixed';

/** In the mixed case every other tensor is pinned, except the gradients of every third tensor. */
function pinnedIn(storage: Storage, operand: number): (t: number) => boolean {
  if (storage === 'ordinary') return () => false;
  if (storage === 'pinned') return () => true;
  if (storage === 'pinned state') return () => operand !== 1;
  return (t) => t % 2 === 0 && !(operand === 1 && t % 3 === 0);
}

function randomArrays(
  count: number,
  seed: number,
  pinned: (t: number) => boolean = () => false,
): { arrays: Float32Array[]; offsets: number[] } {
  let s = seed;
  const next = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648 - 0.5;
  };
  const arrays: Float32Array[] = [];
  const offsets: number[] = [];
  for (let t = 0; t < count; t++) {
    const o = 2 * t + 1;
    const length = o + SIZES[t]! + 3;
    const a = pinned(t)
      ? (allocatePinned('test', 'float32', length) as Float32Array)
      : new Float32Array(length);
    for (let i = 0; i < a.length; i++) a[i] = next() * 4;
    arrays.push(a);
    offsets.push(o);
  }
  return { arrays, offsets };
}

const kernels = loadUpdateKernels();

const storages: Storage[] =
  pinnedMemory() === null ? ['ordinary'] : ['ordinary', 'pinned', 'pinned state', 'mixed'];

describe.runIf(kernels !== null).each(storages)(
  'fused WASM SIMD optimizer updates, %s storage',
  (storage) => {
    const sgdCases: SgdUpdate[] = [
      { lr: 0.1, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false, first: false },
      {
        lr: 0.05,
        momentum: 0.9,
        dampening: 0,
        weightDecay: 0,
        nesterov: false,
        maximize: false,
        first: true,
      },
      {
        lr: 0.05,
        momentum: 0.9,
        dampening: 0,
        weightDecay: 0,
        nesterov: false,
        maximize: false,
        first: false,
      },
      {
        lr: 0.01,
        momentum: 0.8,
        dampening: 0.3,
        weightDecay: 1e-2,
        nesterov: false,
        maximize: true,
        first: false,
      },
      {
        lr: 0.01,
        momentum: 0.7,
        dampening: 0,
        weightDecay: 5e-4,
        nesterov: true,
        maximize: false,
        first: false,
      },
    ];
    it.each(sgdCases.map((h) => [JSON.stringify(h), h] as const))(
      'SGD %s equals float32 PyTorch arithmetic element for element, across chunk borders and offsets',
      (_name, h) => {
        const xs = randomArrays(SIZES.length, 1, pinnedIn(storage, 0));
        const gs = randomArrays(SIZES.length, 2, pinnedIn(storage, 1));
        const bs = randomArrays(SIZES.length, 3, pinnedIn(storage, 2));
        expect(sgdAgainstModel(kernels!, SIZES, [xs, gs, bs], h)).toEqual([]);
      },
    );

    const adamCases: AdamUpdate[] = [
      {
        lr: 1e-3,
        beta1: 0.9,
        beta2: 0.999,
        eps: 1e-8,
        weightDecay: 0,
        decoupled: false,
        amsgrad: false,
        maximize: false,
        step: 1,
      },
      {
        lr: 1e-2,
        beta1: 0.8,
        beta2: 0.99,
        eps: 1e-6,
        weightDecay: 1e-2,
        decoupled: true,
        amsgrad: false,
        maximize: false,
        step: 7,
      },
      {
        lr: 1e-2,
        beta1: 0.9,
        beta2: 0.95,
        eps: 1e-8,
        weightDecay: 0.1,
        decoupled: false,
        amsgrad: true,
        maximize: true,
        step: 3,
      },
      {
        lr: 5e-3,
        beta1: 0.3,
        beta2: 0.9,
        eps: 1e-8,
        weightDecay: 0,
        decoupled: false,
        amsgrad: true,
        maximize: false,
        step: 12,
      },
    ];
    it.each(adamCases.map((h) => [JSON.stringify(h), h] as const))(
      'Adam %s equals float32 PyTorch arithmetic element for element, across chunk borders and offsets',
      (_name, h) => {
        const xs = randomArrays(SIZES.length, 4, pinnedIn(storage, 0));
        const gs = randomArrays(SIZES.length, 5, pinnedIn(storage, 1));
        const ms = randomArrays(SIZES.length, 6, pinnedIn(storage, 2));
        const vs = randomArrays(SIZES.length, 7, pinnedIn(storage, 3));
        const maxes = randomArrays(SIZES.length, 8, pinnedIn(storage, 4));
        for (const a of [...vs.arrays, ...maxes.arrays])
          for (let i = 0; i < a.length; i++) a[i] = Math.abs(a[i]!);
        expect(adamAgainstModel(kernels!, SIZES, [xs, gs, ms, vs, maxes], h)).toEqual([]);
      },
    );

    it('a reused batch forgets its tensors on clear()', () => {
      const batch = new UpdateBatch();
      const x = new Float32Array([1, 2]);
      batch.add(2, x, 0, new Float32Array([1, 1]), 0);
      batch.clear();
      const y = new Float32Array([5]);
      batch.add(1, y, 0, new Float32Array([2]), 0);
      kernels!.sgd(batch, {
        lr: 0.5,
        momentum: 0,
        dampening: 0,
        weightDecay: 0,
        nesterov: false,
        maximize: false,
        first: false,
      });
      expect(Array.from(x)).toEqual([1, 2]);
      expect(Array.from(y)).toEqual([4]);
    });
  },
);
