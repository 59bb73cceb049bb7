import { describe, expect, it } from 'vitest';
import { DTypeError, IndexError, OptError, ShapeError } from './errors';
import { arange, eye, fromTypedArray, full, linspace, ones, tensor, zeros, zerosLike } from './factories';
import { where } from './tensor';
import { expectClose } from './testing/index';

describe('storage model', () => {
  it('fromTypedArray wraps without copying; tensor copies', () => {
    const buf = new Float32Array([1, 2, 3, 4, 5, 6]);
    const w = fromTypedArray(buf, [2, 3]);
    const c = tensor(buf, [2, 3]);
    buf[0] = 9;
    expect(w.item === undefined).toBe(false);
    expect(w.toArray()).toEqual([
      [9, 2, 3],
      [4, 5, 6],
    ]);
    expect(c.toArray()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(w.values).toBe(buf);
  });

  it('views share values and one version counter; in-place ops bump it', () => {
    const x = zeros([2, 3]);
    const v = x.t();
    expect(v.values).toBe(x.values);
    expect(x.version).toBe(0);
    v.add_(1);
    expect(x.version).toBe(1);
    x.select(0, 1).zero_();
    expect(v.version).toBe(2);
    expect(x.toArray()).toEqual([
      [1, 1, 1],
      [0, 0, 0],
    ]);
    x.bumpVersion();
    expect(v.version).toBe(3);
  });

  it('in-place ops on a non-contiguous receiver write through the view', () => {
    const x = arange(6).view(2, 3);
    x.t().mul_(tensor([1, 10]));
    expect(x.toArray()).toEqual([
      [0, 1, 2],
      [30, 40, 50],
    ]);
  });

  it('the tutorial step: x.data.sub_(x.grad.mul(lr)); grad.zero_()', () => {
    const x = tensor([2]);
    const grad = x.mul(8); // d(4x^2)/dx
    x.sub_(grad.mul(0.125));
    grad.zero_();
    expect(x.item()).toBe(0);
    expect(grad.item()).toBe(0);
  });

  it('item, toArray, toTypedArray, numel, ndim, dim, isContiguous', () => {
    const x = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(x.numel).toBe(6);
    expect(x.ndim).toBe(2);
    expect(x.dim()).toBe(2);
    expect(x.isContiguous()).toBe(true);
    expect(x.t().isContiguous()).toBe(false);
    expect(Array.from(x.t().toTypedArray())).toEqual([1, 4, 2, 5, 3, 6]);
    expect(tensor(3.5).item()).toBe(3.5);
    expect(tensor(3.5).toArray()).toBe(3.5);
    expect(() => x.item()).toThrow(/6 elements/);
  });

  it('dtypes and casts', () => {
    const i = tensor([1.7, -1.7, 3], undefined, { dtype: 'int32' });
    expect(i.dtype).toBe('int32');
    expect(i.toArray()).toEqual([1, -1, 3]);
    expect(tensor([1.7, -1.7]).to('int32').toArray()).toEqual([1, -1]);
    expect(tensor([0, 2]).to('bool').toArray()).toEqual([0, 1]);
    expect(tensor([true, false]).dtype).toBe('float32');
    expect(tensor([1, 2]).double().values).toBeInstanceOf(Float64Array);
    expect(tensor([1, 2], undefined, { dtype: 'int32' }).div(2).dtype).toBe('float32');
    expect(tensor([1, 2], undefined, { dtype: 'int32' }).sqrt().dtype).toBe('float32');
    expect(tensor([1, 2]).eq(1).dtype).toBe('bool');
  });
});

describe('errors', () => {
  it('broadcast mismatch names the op and both shapes', () => {
    expect(() => zeros([2, 3]).add(zeros([4]))).toThrow(ShapeError);
    expect(() => zeros([2, 3]).add(zeros([4]))).toThrow('add: shapes [2, 3] and [4] cannot be broadcast');
    expect(() => zeros([3]).add_(zeros([2, 3]))).toThrow(
      "add_: argument of shape [2, 3] cannot be broadcast to the receiver's shape [3]",
    );
  });

  it('dtype mismatch names the op and both dtypes', () => {
    const e = (() => {
      try {
        zeros([2]).mul(zeros([2], { dtype: 'float64' }));
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(DTypeError);
    expect(e).toBeInstanceOf(OptError);
    expect((e as Error).message).toBe('mul: dtypes float32 and float64 differ; cast one with .to(dtype)');
    expect(() => zeros([2], { dtype: 'int32' }).div_(2)).toThrow(DTypeError);
  });

  it('view on a non-viewable layout fails like PyTorch', () => {
    expect(() => zeros([2, 3]).t().view(6)).toThrow(
      "view: shape [6] is not compatible with the input's shape [3, 2] and strides [1, 3] (at least one dimension spans across two contiguous subspaces); use .reshape(...) instead",
    );
    expect(() => zeros([2, 3]).view(4)).toThrow('view: shape [4] is invalid for input of size 6');
  });

  it('index errors', () => {
    expect(() => zeros([2]).select(0, 5)).toThrow(IndexError);
    expect(() => zeros([2, 3]).sum(2)).toThrow(
      'sum: dimension 2 is out of range; expected an integer in [-2, 1]',
    );
    expect(() => tensor([[1, 2], [3]])).toThrow(ShapeError);
  });
});

describe('views', () => {
  const x = arange(24).view(2, 3, 4);

  it('view with -1, reshape of a transpose copies', () => {
    expect(x.view(-1, 4).shape).toEqual([6, 4]);
    expect(x.view([4, -1]).values).toBe(x.values);
    const r = x.transpose(0, 2).reshape(-1);
    expect(r.values).not.toBe(x.values);
    expect(Array.from(r.toTypedArray()).slice(0, 4)).toEqual([0, 12, 4, 16]);
    // a view of a non-contiguous tensor that stays viewable
    expect(x.transpose(1, 2).view(2, 12 / 3, 3).shape).toEqual([2, 4, 3]);
  });

  it('float32 copies of transposed, sliced and strided matrices (blocked path) match elementwise reads', () => {
    // odd sizes around the 32-wide block, offsets, non-unit strides on both axes
    for (const [r, c] of [
      [1, 1],
      [3, 70],
      [33, 31],
      [65, 97],
      [128, 10],
    ] as const) {
      const base = arange(r * c * 2 + 5, undefined, undefined, { dtype: 'float32' });
      const views = [
        base
          .narrow(0, 5, r * c)
          .view(c, r)
          .t(),
        base
          .narrow(0, 0, r * c * 2)
          .view(c, 2 * r)
          .narrow(1, 1, r)
          .t(),
        base
          .narrow(0, 0, r * c * 2)
          .view(2, c, r)
          .select(0, 1)
          .t(),
      ];
      for (const v of views) {
        expect(v.shape).toEqual([r, c]);
        const got = v.contiguous();
        expect(got.isContiguous()).toBe(true);
        const want: number[] = [];
        for (let i = 0; i < r; i++)
          for (let j = 0; j < c; j++) want.push(v.values[v.offset + i * v.strides[0]! + j * v.strides[1]!]!);
        expect(Array.from(got.toTypedArray())).toEqual(want);
      }
    }
  });

  it('permute, expand, squeeze, unsqueeze, flatten', () => {
    expect(x.permute(2, 0, 1).shape).toEqual([4, 2, 3]);
    expect(x.permute(2, 0, 1).toArray()).toEqual(
      (x.toArray() as number[][][])[0][0].map((_, k) =>
        [0, 1].map((i) => [0, 1, 2].map((j) => i * 12 + j * 4 + k)),
      ),
    );
    const e = tensor([[1], [2]]).expand(2, 3);
    expect(e.strides).toEqual([1, 0]);
    expect(e.toArray()).toEqual([
      [1, 1, 1],
      [2, 2, 2],
    ]);
    expect(
      tensor([1, 2])
        .expandAs(zeros([3, 2]))
        .sum()
        .item(),
    ).toBe(9);
    expect(() => zeros([2]).expand(3)).toThrow(ShapeError);
    expect(zeros([2, 1, 3, 1]).squeeze().shape).toEqual([2, 3]);
    expect(zeros([2, 1, 3]).squeeze(0).shape).toEqual([2, 1, 3]);
    expect(zeros([2, 3]).unsqueeze(0).shape).toEqual([1, 2, 3]);
    expect(zeros([2, 3]).unsqueeze(-1).shape).toEqual([2, 3, 1]);
    expect(x.flatten(1).shape).toEqual([2, 12]);
    expect(x.flatten().shape).toEqual([24]);
  });

  it('narrow, select, slice share storage and index right', () => {
    const n = x.narrow(2, 1, 2);
    expect(n.values).toBe(x.values);
    expect(n.toArray()).toEqual([
      [
        [1, 2],
        [5, 6],
        [9, 10],
      ],
      [
        [13, 14],
        [17, 18],
        [21, 22],
      ],
    ]);
    expect(x.select(1, -1).toArray()).toEqual([
      [8, 9, 10, 11],
      [20, 21, 22, 23],
    ]);
    expect(arange(10).slice(0, 1, -1, 3).toArray()).toEqual([1, 4, 7]);
    expect(arange(10).slice(0, -3).toArray()).toEqual([7, 8, 9]);
    expect(arange(10).slice(0, 20).shape).toEqual([0]);
    const s = x.slice(2, 0, 4, 2);
    s.fill_(-1);
    expect(x.select(0, 0).select(0, 0).toArray()).toEqual([-1, 1, -1, 3]);
  });
});

describe('factories and closed forms', () => {
  it('arange, linspace, eye, full, like', () => {
    expect(arange(1, 2, 0.25).toArray()).toEqual([1, 1.25, 1.5, 1.75]);
    expect(linspace(0, 1, 5).toArray()).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(eye(2, 3).toArray()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
    ]);
    expect(full([2], 7, { dtype: 'int32' }).toArray()).toEqual([7, 7]);
    expect(zerosLike(ones([2], { dtype: 'float64' })).dtype).toBe('float64');
  });

  it('var/std of 1..4, norm of (3, 4), prod, max/min, argmax', () => {
    const a = tensor([1, 2, 3, 4]);
    expectClose(a.var(), 5 / 3);
    expectClose(a.var({ correction: 0 }), 1.25);
    expectClose(a.std({ correction: 0 }), Math.sqrt(1.25));
    expectClose(tensor([3, 4]).norm(), 5);
    expectClose(tensor([3, -4]).norm(1), 7);
    expectClose(tensor([3, -4]).norm(Number.POSITIVE_INFINITY), 4);
    expect(a.prod().item()).toBe(24);
    const m = tensor([
      [1, 5],
      [7, 2],
    ]);
    expect(m.max().item()).toBe(7);
    const r = m.max(1, { keepdim: true });
    expect(r.values.toArray()).toEqual([[5], [7]]);
    expect(r.indices.toArray()).toEqual([[1], [0]]);
    expect(m.argmax().item()).toBe(2);
    expect(m.argmin({ dim: 0 }).toArray()).toEqual([0, 1]);
    expect(tensor([1, Number.NaN, 3]).max().item()).toBeNaN();
  });

  it('sum/mean over an expanded (stride 0) view and over empty tensors', () => {
    const e = tensor([[1], [2]]).expand(2, 5); // rows of 1s and 2s
    expect(e.sum(1).toArray()).toEqual([5, 10]);
    expect(e.sum(0).toArray()).toEqual([3, 3, 3, 3, 3]);
    expect(e.mean().item()).toBe(1.5);
    expect(zeros([0, 3]).sum().item()).toBe(0);
    expect(zeros([0, 3]).sum(0).toArray()).toEqual([0, 0, 0]);
    expect(zeros([0]).mean().item()).toBeNaN();
  });

  it('maximum with out, where, clamp positional, logical ops', () => {
    const a = tensor([1, 5, 3]);
    const out = zeros([3]);
    const r = a.maximum(tensor([2]), { out });
    expect(r).toBe(out);
    expect(out.toArray()).toEqual([2, 5, 3]);
    expect(out.version).toBe(1);
    expect(where(a.gt(2), a, 0).toArray()).toEqual([0, 5, 3]);
    expect(a.clamp(2, 4).toArray()).toEqual([2, 4, 3]);
    expect(a.gt(2).logicalAnd(a.lt(4)).toArray()).toEqual([0, 0, 1]);
    expect(a.gt(2).logicalNot().toArray()).toEqual([1, 0, 0]);
  });

  it('in-place ops with numbers and no output allocation', () => {
    const p = tensor([1, 2, 3, 4]);
    const values = p.values;
    p.add_(1, { alpha: 2 })
      .mul_(0.5)
      .addcmul_(p, p, { value: 0.5 })
      .lerp_(tensor([0]), 1)
      .fill_(2)
      .pow_(3)
      .sqrt_();
    expect(p.values).toBe(values);
    expectClose(p, [Math.sqrt(8), Math.sqrt(8), Math.sqrt(8), Math.sqrt(8)], { rtol: 1e-6 });
    const q = zeros([2, 2]);
    q.copy_(tensor([1, 2]));
    expect(q.toArray()).toEqual([
      [1, 2],
      [1, 2],
    ]);
    const y = arange(4).view(2, 2);
    const z = arange(4).view(2, 2);
    z.add_(z.t()); // overlapping argument: z + z^T computed from the old values
    expect(z.toArray()).toEqual([
      [0, 3],
      [3, 6],
    ]);
    z.addcmul_(z.t(), z.select(0, 0));
    expect(z.toArray()).toEqual([
      [0, 12],
      [3, 24],
    ]);
    y.copy_(y.t()); // overlapping source is read from a copy
    expect(y.toArray()).toEqual([
      [0, 2],
      [1, 3],
    ]);
  });
});

describe('sum over several dimensions (neighbouring dimensions merged)', () => {
  /** Float64 reference: Σ over `dims` by plain index arithmetic on a dense copy. */
  function refSum(t: ReturnType<typeof arange>, dims: number[]): number[] {
    const shape = t.shape;
    const src = t.contiguous().toTypedArray();
    const kept = shape.map((_, d) => d).filter((d) => !dims.includes(d));
    const outN = kept.reduce((a, d) => a * shape[d]!, 1);
    const out = new Array<number>(outN).fill(0);
    const idx = new Array<number>(shape.length).fill(0);
    for (let flat = 0; flat < src.length; flat++) {
      let o = 0;
      for (const d of kept) o = o * shape[d]! + idx[d]!;
      out[o]! += src[flat]!;
      for (let d = shape.length - 1; d >= 0; d--) {
        if (++idx[d]! < shape[d]!) break;
        idx[d] = 0;
      }
    }
    return out;
  }

  it.each([
    [
      [3, 5, 7, 2],
      [0, 2, 3],
    ],
    [
      [2, 3, 4, 5],
      [2, 3],
    ],
    [
      [2, 3, 4, 5],
      [0, 1],
    ],
    [
      [4, 1, 3, 3],
      [0, 2, 3],
    ],
    [[5, 6], [0]],
    [[2, 3, 4], [1]],
  ])('shape %j over %j, contiguous and transposed', (shape, dims) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const x = arange(n, undefined, undefined, { dtype: 'float32' })
      .mul(0.37)
      .sub(n / 7)
      .view(shape);
    const close = (a: ArrayLike<number>, b: number[]) => {
      for (const [i, v] of b.entries())
        expect(Math.abs(a[i]! - v)).toBeLessThanOrEqual(4e-6 * (1 + Math.abs(v)));
    };
    close(x.sum(dims).toTypedArray(), refSum(x, dims));
    // a non-contiguous receiver: last two dimensions swapped
    const xt = x.transpose(-1, -2);
    close(xt.sum(dims).toTypedArray(), refSum(xt, dims));
  });
});
