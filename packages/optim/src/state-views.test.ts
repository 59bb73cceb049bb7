import { Generator, randn, sparseCooTensor, type Tensor, tensor, zeros } from '@opt/tensor';
import { describe, expect, it } from 'vitest';
import {
  Adadelta,
  Adafactor,
  Adagrad,
  Adam,
  Adamax,
  AdamW,
  ASGD,
  Lion,
  Muon,
  NAdam,
  type Optimizer,
  OptimizerError,
  type ParamLike,
  RAdam,
  RMSprop,
  Rprop,
  SGD,
  SparseAdam,
} from './index';

// `optimizer.state` is a public Map: a state tensor put there may be a view that starts inside a
// larger storage (PyTorch takes any tensor there). The update loops indexed state storage from 0,
// so such a state read and wrote the elements before the view; the fused kernels already took the
// offset. A copy of the same values in fresh storage is the reference.

type Make = (params: ParamLike[]) => Optimizer<object>;

const CASES: [string, Make][] = [
  ['SGD momentum', (p) => new SGD(p, { lr: 0.1, momentum: 0.9, foreach: false })],
  ['SGD momentum fused', (p) => new SGD(p, { lr: 0.1, momentum: 0.9 })],
  [
    'SGD nesterov, decay',
    (p) => new SGD(p, { lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.1, foreach: false }),
  ],
  ['Adam', (p) => new Adam(p, { lr: 0.1, foreach: false })],
  ['Adam fused', (p) => new Adam(p, { lr: 0.1 })],
  ['Adam amsgrad', (p) => new Adam(p, { lr: 0.1, amsgrad: true, foreach: false })],
  ['AdamW amsgrad fused', (p) => new AdamW(p, { lr: 0.1, amsgrad: true })],
  ['Adamax', (p) => new Adamax(p, { lr: 0.1 })],
  ['Adadelta', (p) => new Adadelta(p, { lr: 1 })],
  ['Adagrad', (p) => new Adagrad(p, { lr: 0.1 })],
  ['ASGD', (p) => new ASGD(p, { lr: 0.1, t0: 1 })],
  ['Lion', (p) => new Lion(p, { lr: 0.1 })],
  ['NAdam', (p) => new NAdam(p, { lr: 0.1 })],
  ['RAdam', (p) => new RAdam(p, { lr: 0.1 })],
  ['RMSprop centered momentum', (p) => new RMSprop(p, { lr: 0.1, momentum: 0.9, centered: true })],
  ['Rprop', (p) => new Rprop(p, { lr: 0.1 })],
  ['Adafactor', (p) => new Adafactor(p, { lr: 0.1 })],
  ['Muon', (p) => new Muon(p.slice(0, 1), { lr: 0.1 })],
];

/** `t`'s values in a view at offset 3 of a larger storage whose other elements are 7. */
function offsetView(t: Tensor): Tensor {
  const big = zeros([t.numel + 5], { dtype: t.dtype }).fill_(7);
  return big
    .narrow(0, 3, t.numel)
    .reshape([...t.shape])
    .copy_(t);
}

function params(): ParamLike[] {
  const gen = new Generator().manualSeed(3);
  return [
    { data: randn([3, 4], { generator: gen }), grad: null },
    { data: randn([5], { generator: gen }), grad: null },
  ];
}

function setGrads(ps: ParamLike[], step: number): void {
  const gen = new Generator().manualSeed(100 + step);
  for (const p of ps) p.grad = randn([...p.data.shape], { generator: gen });
}

describe('optimizer state tensors that are views with an offset', () => {
  it.each(CASES)('%s updates like fresh state', (_, make) => {
    const ref = params();
    const mine = params();
    const a = make(ref);
    const b = make(mine);
    setGrads(ref, 0);
    setGrads(mine, 0);
    a.step();
    b.step();
    for (const s of b.state.values())
      for (const [k, v] of Object.entries(s))
        if (v instanceof Object && 'offset' in v) s[k] = offsetView(v as Tensor);
    for (let step = 1; step < 3; step++) {
      setGrads(ref, step);
      setGrads(mine, step);
      a.step();
      b.step();
    }
    for (const [i, p] of ref.entries()) expect(mine[i]!.data.toArray()).toEqual(p.data.toArray());
    for (const [p, s] of a.state) {
      const other = b.state.get(mine[ref.indexOf(p)]!)!;
      for (const [k, v] of Object.entries(s))
        if (v instanceof Object && 'offset' in v)
          expect((other[k] as Tensor).toArray(), k).toEqual((v as Tensor).toArray());
    }
  });

  it('a strided state tensor is refused, not misread', () => {
    const p: ParamLike = { data: randn([3, 3]), grad: randn([3, 3]) };
    for (const foreach of [false, null]) {
      const opt = new SGD([p], { lr: 0.1, momentum: 0.9, foreach });
      opt.step();
      opt.state.get(p)!.momentum_buffer = randn([3, 3]).t();
      expect(() => opt.step()).toThrow(OptimizerError);
    }
  });

  it('SparseAdam reads its state views and refuses a strided parameter', () => {
    const grad = () =>
      sparseCooTensor(
        tensor([[0, 2]], undefined, { dtype: 'int32' }),
        tensor([
          [1, 2],
          [3, -4],
        ]),
        [3, 2],
      );
    const ref: ParamLike = {
      data: tensor([
        [1, 2],
        [3, 4],
        [5, 6],
      ]),
      grad: grad(),
    };
    const mine: ParamLike = { data: ref.data.clone(), grad: grad() };
    const a = new SparseAdam([ref], { lr: 0.1 });
    const b = new SparseAdam([mine], { lr: 0.1 });
    a.step();
    b.step();
    const s = b.state.get(mine)!;
    s.exp_avg = offsetView(s.exp_avg as Tensor);
    s.exp_avg_sq = offsetView(s.exp_avg_sq as Tensor);
    a.step();
    b.step();
    expect(mine.data.toArray()).toEqual(ref.data.toArray());
    expect((s.exp_avg as Tensor).toArray()).toEqual((a.state.get(ref)!.exp_avg as Tensor).toArray());
    const strided: ParamLike = { data: zeros([2, 3]).t(), grad: grad() };
    expect(() => new SparseAdam([strided]).step()).toThrow(OptimizerError);
  });
});
