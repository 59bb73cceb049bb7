import { describe, expect, it } from 'vitest';
import { OptError, sparseCooTensor, Tensor, tensor } from '../index';

const i32 = (v: number[][]) => tensor(v, undefined, { dtype: 'int32' });

describe('SparseCooTensor', () => {
  // rows 2 and 0 hold [1, 2] and [3, 4]; row 2 again holds [10, 20]
  const s = () =>
    sparseCooTensor(
      i32([[2, 0, 2]]),
      tensor([
        [1, 2],
        [3, 4],
        [10, 20],
      ]),
      [3, 2],
    );

  it('is a Tensor reporting isSparse, nnz, shape and dtype', () => {
    const x = s();
    expect(x).toBeInstanceOf(Tensor);
    expect(x.isSparse).toBe(true);
    expect(tensor([1]).isSparse).toBe(false);
    expect(x.nnz).toBe(3);
    expect(x.shape).toEqual([3, 2]);
    expect(x.dtype).toBe('float32');
  });

  it('scales by a number and adds sparse (entries concatenated) or dense (dense result)', () => {
    expect((s().mul(2) as ReturnType<typeof s>).toDense().toArray()).toEqual([
      [6, 8],
      [0, 0],
      [22, 44],
    ]);
    const both = s().add(s(), { alpha: -1 });
    expect(both.isSparse).toBe(true);
    expect((both as ReturnType<typeof s>).nnz).toBe(6);
    expect((both as ReturnType<typeof s>).toDense().toArray()).toEqual([
      [0, 0],
      [0, 0],
      [0, 0],
    ]);
    const dense = s().add(
      tensor([
        [1, 1],
        [1, 1],
        [1, 1],
      ]),
    );
    expect(dense.isSparse).toBe(false);
    expect(dense.toArray()).toEqual([
      [4, 5],
      [1, 1],
      [12, 23],
    ]);
  });

  it('clones into separate storage', () => {
    const a = s();
    const b = a.clone();
    b.sparseValues().values[0] = 100;
    expect(a.sparseValues().values[0]).toBe(1);
  });

  it('throws a named error for dense ops and bad construction', () => {
    expect(() => s().sum()).toThrow('sum is not supported on a sparse COO tensor; call toDense() first');
    expect(() => s().exp()).toThrow(OptError);
    expect(() => s().add(1)).toThrow(/adding a number/);
    expect(() => s().mul(tensor([2]))).toThrow(/only be multiplied by a number/);
    expect(() => sparseCooTensor(i32([[3]]), tensor([[1, 2]]), [3, 2])).toThrow(/out of bounds/);
    expect(() => sparseCooTensor(tensor([[0]]), tensor([[1, 2]]), [3, 2])).toThrow(/int32/);
    expect(() => sparseCooTensor(i32([[0, 1]]), tensor([[1, 2]]), [3, 2])).toThrow(/nnz=2/);
  });
});
