import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tensorLib from '@opt/tensor';
import { describe, expect, it } from 'vitest';
import { fromBytes, toBytes } from './torch-format';
import { loadTrainingState, saveTrainingState } from './training-state';

const ready = typeof (tensorLib as Record<string, unknown>)['tensor'] === 'function';
if (!ready) console.warn('\n*** SKIPPED: @opt/tensor round trips (@opt/tensor has no tensor() yet) ***\n');

describe.skipIf(!ready)('@opt/tensor tensors through toBytes / fromBytes', () => {
  it('keeps dtype, shape and values of every dtype, and writes strided views in logical order', () => {
    const { tensor } = tensorLib;
    const m = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const sd = {
      f32: m,
      transposed: m.t(),
      f64: tensor([1 / 3, -2], undefined, { dtype: 'float64' }),
      i32: tensor([-7, 2 ** 31 - 1], undefined, { dtype: 'int32' }),
      bool: tensor([1, 0, 1], undefined, { dtype: 'bool' }),
      scalar: tensor(2.5),
    };
    const back = fromBytes(toBytes(sd));
    for (const [k, t] of Object.entries(sd)) {
      expect(back[k].dtype, k).toBe(t.dtype);
      expect([...back[k].shape], k).toEqual([...t.shape]);
      expect(back[k].toArray(), k).toEqual(t.toArray());
    }
    expect(Array.from(back.transposed.toTypedArray())).toEqual([1, 4, 2, 5, 3, 6]);
    expect(back.f32).toBeInstanceOf(tensorLib.Tensor);
  });

  it('a Generator saved in a training state continues the exact same stream after restore', async () => {
    const { Generator, randn } = tensorLib;
    const g = new Generator().manualSeed(7);
    randn([3], { generator: g }); // leaves a spare Box-Muller normal in the state
    const path = join(mkdtempSync(join(tmpdir(), 'opt-gen-')), 'g.pt');
    await saveTrainingState(path, { generators: { dropout: g } });
    const expected = randn([5], { generator: g }).toArray();
    const fresh = new Generator().manualSeed(999);
    await loadTrainingState(path, { generators: { dropout: fresh } });
    expect(randn([5], { generator: fresh }).toArray()).toEqual(expected);
  });
});

describe('pinned tensors', () => {
  it('save like any other (their storage is a SharedArrayBuffer view) and load as ordinary tensors', () => {
    const t = tensorLib.tensor([
      [1.5, -2],
      [3, 4],
    ]);
    let pinned: tensorLib.Tensor;
    try {
      pinned = t.t().pinMemory();
    } catch {
      return; // no shared WebAssembly memory in this runtime
    }
    const back = fromBytes(toBytes({ w: pinned })) as { w: tensorLib.Tensor };
    expect(back.w.toArray()).toEqual([
      [1.5, 3],
      [-2, 4],
    ]);
    expect(back.w.isPinned()).toBe(false);
  });
});
