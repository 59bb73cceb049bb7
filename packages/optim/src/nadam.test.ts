import { type Tensor, tensor } from '@opt/tensor';
import { describe, expect, it } from 'vitest';
import { NAdam } from './nadam';
import type { ParamLike } from './types';

describe('NAdam weight decay', () => {
  it('adds λθ only for λ ≠ 0, so an infinite parameter stays infinite without weight decay', () => {
    // PyTorch 1.13: p = [inf, 1], grad [0.5, −0.25], NAdam(lr=0.01).step() leaves p[0] = inf and
    // exp_avg = [0.05, −0.025] (0.1·g in float32); 0·θ would make both NaN
    const p: ParamLike = { data: tensor([Number.POSITIVE_INFINITY, 1]), grad: tensor([0.5, -0.25]) };
    const opt = new NAdam([p], { lr: 0.01 });
    opt.step();
    expect(p.data.toTypedArray()[0]).toBe(Number.POSITIVE_INFINITY);
    const expAvg = opt.state.get(p)!.exp_avg as Tensor;
    expect(Array.from(expAvg.toTypedArray())).toEqual([Math.fround(0.05), Math.fround(-0.025)]);
  });
});
