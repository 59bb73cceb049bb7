import { describe, expect, it } from 'vitest';
import { expectClose, fixture, type TJson, toTensor } from '../../test/helpers';
import { clipGradNorm_, clipGradValue_ } from './clip-grad';

const fx = fixture<{
  grads: TJson[];
  cases: { maxNorm: number; normType: number | 'inf'; total: number; clipped: TJson[] }[];
  value: { clipValue: number; clipped: TJson[] };
}>('clip.json');

const params = () => fx.grads.map((g) => ({ grad: toTensor(g) }));

describe('clipGradNorm_ matches torch.nn.utils.clip_grad_norm_', () => {
  it('for norms 2, 1 and inf, clipping or not', () => {
    for (const c of fx.cases) {
      const ps = params();
      const total = clipGradNorm_(ps, c.maxNorm, c.normType);
      expect(total).toBeCloseTo(c.total, 5);
      for (const [i, p] of ps.entries()) expectClose(p.grad, c.clipped[i]!, 1e-5, 1e-6, `clip ${c.normType}`);
    }
  });
  it('skips parameters without gradients and checks its arguments', () => {
    expect(clipGradNorm_([{ grad: null }], 1)).toBe(0);
    expect(() => clipGradNorm_(params(), -1)).toThrow(
      'clipGradNorm_: maxNorm must be a non-negative number, got -1',
    );
    expect(() => clipGradNorm_(params(), 1, 0)).toThrow("normType must be a positive number or 'inf', got 0");
  });
});

describe('clipGradValue_ matches torch.nn.utils.clip_grad_value_', () => {
  it('clamps every entry', () => {
    const ps = params();
    clipGradValue_(ps, fx.value.clipValue);
    for (const [i, p] of ps.entries()) expectClose(p.grad, fx.value.clipped[i]!, 1e-6, 1e-7, 'clip value');
  });
});
