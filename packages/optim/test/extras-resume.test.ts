import { fromBytes, toBytes } from '@opt/checkpoint';
import { fromTypedArray, sparseCooTensor, tensor } from '@opt/tensor';
import { describe, expect, it } from 'vitest';
import { LBFGS } from '../src/lbfgs';
import { Lion } from '../src/lion';
import { SparseAdam } from '../src/sparse-adam';
import type { OptimizerStateDict, ParamLike } from '../src/types';

/** Round trip through the .pt bytes PyTorch would read (integer keys come back as strings). */
const viaPt = (sd: OptimizerStateDict) => fromBytes(toBytes(sd)) as OptimizerStateDict;

describe('save at step k, load into a brand-new optimizer, continue: identical to the uninterrupted run', () => {
  it('LBFGS with strong Wolfe (history, directions and line-search state)', () => {
    const rosen = (p: ParamLike) => () => {
      const [u, v] = Array.from(p.data.toTypedArray());
      p.grad = fromTypedArray(
        Float64Array.from([-2 * (1 - u!) - 400 * u! * (v! - u! * u!), 200 * (v! - u! * u!)]),
        [2],
      );
      return (1 - u!) ** 2 + 100 * (v! - u! * u!) ** 2;
    };
    const make = () => ({ data: fromTypedArray(Float64Array.from([-1.5, 2]), [2]), grad: null }) as ParamLike;
    const opts = { lineSearchFn: 'strong_wolfe' as const, maxIter: 4, historySize: 5 };
    const whole = make();
    const a = new LBFGS([whole], opts);
    for (let s = 0; s < 6; s++) a.step(rosen(whole));
    const part = make();
    const b = new LBFGS([part], opts);
    for (let s = 0; s < 3; s++) b.step(rosen(part));
    const resumed: ParamLike = { data: part.data.clone(), grad: null };
    const c = new LBFGS([resumed], opts);
    c.loadStateDict(viaPt(b.stateDict()));
    for (let s = 3; s < 6; s++) c.step(rosen(resumed));
    expect(Array.from(resumed.data.toTypedArray())).toEqual(Array.from(whole.data.toTypedArray()));
  });

  it('SparseAdam', () => {
    const rows = [
      [0, 2, 2],
      [1, 3, 0],
      [2, 2, 1],
      [3, 0, 0],
    ];
    const run = (p: ParamLike, opt: SparseAdam, from: number, to: number) => {
      for (let k = from; k < to; k++) {
        p.grad = sparseCooTensor(
          tensor([rows[k]!], undefined, { dtype: 'int32' }),
          tensor([
            [k + 1, -1],
            [0.5, k],
            [2, 2],
          ]),
          [4, 2],
        );
        opt.step();
      }
    };
    const make = () =>
      ({
        data: tensor([
          [1, 2],
          [3, 4],
          [5, 6],
          [7, 8],
        ]),
        grad: null,
      }) as ParamLike;
    const whole = make();
    run(whole, new SparseAdam([whole], { lr: 0.1 }), 0, 4);
    const part = make();
    const b = new SparseAdam([part], { lr: 0.1 });
    run(part, b, 0, 2);
    const resumed: ParamLike = { data: part.data.clone(), grad: null };
    const c = new SparseAdam([resumed], { lr: 0.7 });
    c.loadStateDict(viaPt(b.stateDict()));
    run(resumed, c, 2, 4);
    expect(resumed.data.toArray()).toEqual(whole.data.toArray());
  });

  it('Lion', () => {
    const grads = [
      [0.3, -1],
      [0.2, 0.5],
      [-0.7, 0.1],
      [1, 1],
      [0, -2],
    ];
    const make = () => ({ data: tensor([1, -1]), grad: null }) as ParamLike;
    const run = (p: ParamLike, opt: Lion, from: number, to: number) => {
      for (let k = from; k < to; k++) {
        p.grad = tensor(grads[k]!);
        opt.step();
      }
    };
    const whole = make();
    run(whole, new Lion([whole], { lr: 0.01, weightDecay: 0.1 }), 0, 5);
    const part = make();
    const b = new Lion([part], { lr: 0.01, weightDecay: 0.1 });
    run(part, b, 0, 2);
    const resumed: ParamLike = { data: part.data.clone(), grad: null };
    const c = new Lion([resumed]);
    c.loadStateDict(viaPt(b.stateDict()));
    run(resumed, c, 2, 5);
    expect(resumed.data.toArray()).toEqual(whole.data.toArray());
  });
});
