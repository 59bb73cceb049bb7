import { describe, expect, it } from 'vitest';
import {
  avgPool2d,
  conv2d,
  indexAdd,
  indexSelect,
  maxPool2dWithIndices,
  oneHot,
  ones,
  randn,
  sparseCooTensor,
  tensor,
  zeros,
} from './index';

// Contiguous views that start inside their storage (narrow, chunk, split or select on the first
// dimension) must give what a fresh copy of the same values gives: the kernels used to index the
// storage from 0 and read the elements before the view.
describe('contiguous views with an offset', () => {
  const batch = randn([3, 2, 6, 6]);
  const view = batch.narrow(0, 1, 2);

  it('are contiguous with an offset (the case under test)', () => {
    expect([view.isContiguous(), view.offset]).toEqual([true, 72]);
  });

  it('conv2d reads the view, not the storage start', () => {
    const w = randn([3, 2, 3, 3]);
    expect(conv2d(view, w).toArray()).toEqual(conv2d(view.clone(), w).toArray());
    expect(conv2d(view.clone(), view.narrow(0, 0, 1).narrow(2, 0, 3).narrow(3, 0, 3)).toArray()).toEqual(
      conv2d(view.clone(), view.narrow(0, 0, 1).narrow(2, 0, 3).narrow(3, 0, 3).clone()).toArray(),
    );
  });

  it('max and average pooling read the view', () => {
    const a = maxPool2dWithIndices(view, 2);
    const b = maxPool2dWithIndices(view.clone(), 2);
    expect(a.output.toArray()).toEqual(b.output.toArray());
    expect(a.indices.toArray()).toEqual(b.indices.toArray());
    expect(maxPool2dWithIndices(view, 3, { stride: 2, padding: 1 }).output.toArray()).toEqual(
      maxPool2dWithIndices(view.clone(), 3, { stride: 2, padding: 1 }).output.toArray(),
    );
    expect(avgPool2d(view, 2).toArray()).toEqual(avgPool2d(view.clone(), 2).toArray());
  });

  it('gather reads an index view', () => {
    const x = tensor([
      [1, 2],
      [3, 4],
    ]);
    const idx = tensor(
      [
        [0, 1],
        [1, 0],
      ],
      undefined,
      { dtype: 'int32' },
    ).narrow(0, 1, 1);
    expect(x.gather(1, idx).toArray()).toEqual([[2, 1]]);
  });

  it('sparseCooTensor reads index and value views', () => {
    const indices = tensor([[9, 9, 0, 2]], undefined, { dtype: 'int32' }).narrow(1, 2, 2);
    const values = tensor([7, 7, 5, 6]).narrow(0, 2, 2);
    expect(sparseCooTensor(indices, values, [3]).toDense().toArray()).toEqual([5, 0, 6]);
  });
});

// A contiguous view at offset 0 may end before its storage (`narrow(0, 0, k)`, the first chunk or
// split): kernels that took its storage as its values read the elements after the view too.
describe('contiguous views that end before their storage', () => {
  const int = (v: number[][] | number[]) => tensor(v, undefined, { dtype: 'int32' });

  it('index with their own elements only', () => {
    const x = tensor([10, 20, 30]);
    const idx = int([2, 0, 1]).narrow(0, 0, 2);
    expect([idx.isContiguous(), idx.offset, idx.values.length]).toEqual([true, 0, 3]);
    expect(indexSelect(x, 0, idx).toArray()).toEqual(indexSelect(x, 0, idx.clone()).toArray());
    expect(indexSelect(x, 0, idx).toArray()).toEqual([30, 10]);
    expect(indexAdd(zeros([3]), 0, idx, tensor([1, 2])).toArray()).toEqual([2, 0, 1]);
    expect(oneHot(int([0, 1, 5]).narrow(0, 0, 2)).toArray()).toEqual([
      [1, 0],
      [0, 1],
    ]);
  });

  it('gather and scatter ignore the storage past the view', () => {
    const x = tensor([
      [1, 2],
      [3, 4],
    ]);
    // the second row of the index storage is out of range for x: it must not be read
    const idx = int([
      [1, 0],
      [7, 7],
    ]).narrow(0, 0, 1);
    expect(x.gather(1, idx).toArray()).toEqual([[2, 1]]);
    expect(x.scatter(1, idx, 9).toArray()).toEqual(x.scatter(1, idx.clone(), 9).toArray());
    const within = int([
      [1, 1],
      [0, 0],
    ]).narrow(0, 0, 1);
    expect(x.scatterAdd(1, within, ones([1, 2])).toArray()).toEqual([
      [1, 4],
      [3, 4],
    ]);
  });
});
