import { describe, expect, it } from 'vitest';
import { avgPool2d, conv2d, maxPool2dWithIndices, randn, sparseCooTensor, tensor } from './index';

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
