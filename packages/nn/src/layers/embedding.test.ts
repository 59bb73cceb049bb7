import { SparseCooTensor, tensor } from '@opt/tensor';
import { describe, expect, it } from 'vitest';
import { Embedding } from './embedding';

describe('Embedding({ sparse: true })', () => {
  it('gives a sparse COO gradient equal to the dense one (rows touched only, repeats summed)', () => {
    const ids = tensor(
      [
        [1, 3],
        [3, 0],
      ],
      undefined,
      { dtype: 'int32' },
    );
    const dense = new Embedding(5, 2);
    const sparse = new Embedding(5, 2, { sparse: true });
    sparse.weight.data.copy_(dense.weight.data);
    const upstream = tensor([
      [
        [1, 2],
        [3, 4],
      ],
      [
        [5, 6],
        [7, 8],
      ],
    ]);
    dense.forward(ids).mul(upstream).sum().backward();
    sparse.forward(ids).mul(upstream).sum().backward();
    const g = sparse.weight.grad!;
    expect(g).toBeInstanceOf(SparseCooTensor);
    expect(g.isSparse).toBe(true);
    const coo = g as SparseCooTensor;
    // PyTorch leaves the embedding gradient uncoalesced: one entry per lookup, in lookup order
    expect(coo.indices().toArray()).toEqual([[1, 3, 3, 0]]);
    expect(coo.coalesce().indices().toArray()).toEqual([[0, 1, 3]]);
    expect(coo.toDense().toArray()).toEqual(dense.weight.grad!.toArray());
    // rows: 0 ← [7, 8]; 1 ← [1, 2]; 3 ← [3, 4] + [5, 6]
    expect(coo.toDense().toArray()).toEqual([
      [7, 8],
      [1, 2],
      [0, 0],
      [8, 10],
      [0, 0],
    ]);
  });
});
