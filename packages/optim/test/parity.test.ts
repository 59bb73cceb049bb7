import { fromBytes, toBytes } from '@opt/checkpoint';
import type { Tensor } from '@opt/tensor';
import { describe, expect, it } from 'vitest';
import type { OptimizerStateDict } from '../src/index';
import { build, type Case, closeness, freshParams, fx, setGrads } from './helpers';

const label = (c: Case) => `${c.optimizer} ${JSON.stringify(c.options)}`;

describe.each(fx.cases.map((c) => [label(c), c] as const))('%s', (_name, c) => {
  it(`follows PyTorch's trajectory for ${fx.steps} steps (torch.allclose, rtol 1e-5, atol 1e-6)`, () => {
    const params = freshParams();
    const opt = build(c, params);
    for (let step = 0; step < fx.steps; step++) {
      setGrads(params, step);
      opt.step();
      for (const [i, p] of params.entries()) {
        const bad = closeness(p.data, c.trajectory[step]![i]!, 1e-5, 1e-6);
        expect(bad, `param ${i} after step ${step + 1}`).toBeNull();
      }
    }
    // PyTorch 2.x's state layout: the same keys per parameter and in every group
    const sd = opt.stateDict();
    for (const s of Object.values(sd.state)) expect(Object.keys(s).sort()).toEqual([...c.state_keys].sort());
    for (const [gi, g] of sd.param_groups.entries()) {
      expect(Object.keys(g).sort()).toEqual([...c.group_keys, 'params'].sort());
      for (const [k, v] of Object.entries(c.param_group_values[gi]!)) {
        if (k in g && !['foreach', 'differentiable', 'capturable', 'fused'].includes(k))
          expect(g[k], k).toEqual(v);
      }
    }
    expect(sd.param_groups.map((g) => g.params)).toEqual(fx.groups);
    for (const [idx, s] of Object.entries(c.final_state)) {
      for (const [k, v] of Object.entries(s)) {
        const mine = sd.state[idx]![k];
        if (v === null) expect(mine).toBeNull();
        else if (Array.isArray(v))
          expect(closeness(mine as Tensor, v, 1e-4, 1e-6), `state ${idx}.${k}`).toBeNull();
        else expect((mine as Tensor).item()).toBeCloseTo(v, 4);
      }
    }
  });

  it('resumes exactly from a state dict saved at step 12 (through a .pt byte round trip) into a brand-new optimizer', () => {
    const whole = freshParams();
    const a = build(c, whole);
    const part = freshParams();
    const b = build(c, part);
    for (let step = 0; step < fx.steps; step++) {
      setGrads(whole, step);
      a.step();
      if (step < 12) {
        setGrads(part, step);
        b.step();
      }
    }
    const saved = fromBytes(toBytes(b.stateDict())) as OptimizerStateDict;
    const resumed = freshParams();
    for (const [i, p] of resumed.entries()) p.data.copy_(part[i]!.data);
    const c2 = build({ ...c, lr1: 123 }, resumed); // hyperparameters come from the state dict
    c2.loadStateDict(saved);
    expect(c2.paramGroups[1]!.lr).toBe(c.lr1);
    for (let step = 12; step < fx.steps; step++) {
      setGrads(resumed, step);
      c2.step();
    }
    for (const [i, p] of resumed.entries())
      expect(Array.from(p.data.toTypedArray())).toEqual(Array.from(whole[i]!.data.toTypedArray()));
  });
});
