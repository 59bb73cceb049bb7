import { join } from 'node:path';
import { fromBytes, load, toBytes } from '@opt/checkpoint';
import { fromTypedArray, Tensor, zeros } from '@opt/tensor';
import { describe, expect, it } from 'vitest';
import type { OptimizerStateDict } from '../src/index';
import * as optim from '../src/index';
import { build, type Case, closeness, freshParams, fx, setGrads } from './helpers';

/** A JSON round trip: integer keys become strings, tensors travel as { shape, dtype, values }. */
function throughJson(sd: OptimizerStateDict): OptimizerStateDict {
  const text = JSON.stringify(sd, (_k, v: unknown) =>
    v instanceof Tensor
      ? { __tensor__: true, shape: v.shape, dtype: v.dtype, values: Array.from(v.toTypedArray()) }
      : v,
  );
  return JSON.parse(
    text,
    (_k, v: { __tensor__?: boolean; shape: number[]; dtype: string; values: number[] }) =>
      v?.__tensor__
        ? fromTypedArray(
            v.dtype === 'float64' ? Float64Array.from(v.values) : Float32Array.from(v.values),
            v.shape,
          )
        : v,
  ) as OptimizerStateDict;
}

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
    expect(Object.keys(sd.state).sort()).toEqual(Object.keys(c.final_state).sort());
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

  it.each([
    [
      'a .pt byte round trip (@opt/checkpoint: string keys, frozen tuples)',
      (sd: OptimizerStateDict) => fromBytes(toBytes(sd)) as OptimizerStateDict,
    ],
    ['a JSON round trip', throughJson],
  ])(
    'resumes exactly from a state dict saved at step 12 through %s into a brand-new optimizer',
    (_how, roundTrip) => {
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
      const saved = roundTrip(b.stateDict());
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
    },
  );
});

describe('no allocation after the first step', () => {
  it.each(fx.cases.map((c) => [label(c), c] as const))(
    '%s updates parameters and state in their own storage',
    (_name, c) => {
      const params = freshParams();
      const storage = params.map((p) => p.data.values);
      const opt = build(c, params);
      setGrads(params, 0);
      opt.step();
      setGrads(params, 1);
      opt.step(); // p2 gets its first gradient on step 3: its state is created then
      setGrads(params, 2);
      opt.step();
      const stateStorage = params.map((p) =>
        Object.values(opt.state.get(p) ?? {}).map((v) => (v instanceof Tensor ? v.values : v)),
      );
      for (let step = 3; step < 10; step++) {
        setGrads(params, step);
        opt.step();
      }
      for (const [i, p] of params.entries()) expect(p.data.values, `param ${i}`).toBe(storage[i]);
      for (const [i, p] of params.entries()) {
        for (const [k, v] of Object.values(opt.state.get(p) ?? {}).entries()) {
          if (v instanceof Tensor) expect(v.values, `state ${k} of param ${i}`).toBe(stateStorage[i]![k]);
        }
      }
    },
  );
});

describe("PyTorch's print-out (1.13's str(optimizer) with 2.x's extra keys)", () => {
  it.each(fx.printouts.map((p) => [p.expected_2x.split(' ')[0]!, JSON.stringify(p.options), p] as const))(
    '%s %s',
    (_name, _o, p) => {
      const Ctor = (optim as unknown as Record<string, new (p: unknown, o: unknown) => object>)[p.optimizer]!;
      const groups = p.groups.map(({ shape, ...rest }) => ({
        params: [{ data: zeros(shape), grad: null }],
        ...rest,
      }));
      expect(String(new Ctor(groups, p.options))).toBe(p.expected_2x);
    },
  );
});

describe("resuming from a state dict PyTorch 1.13's torch.save wrote, read by @opt/checkpoint's load()", () => {
  it.each(fx.resumes.map((r) => [r.optimizer, JSON.stringify(r.options), r] as const))(
    '%s %s continues as PyTorch did',
    async (_name, _o, r) => {
      const sd = (await load(join(__dirname, 'fixtures', r.file))) as OptimizerStateDict;
      const params = freshParams();
      for (const [i, p] of params.entries())
        p.data.copy_(fromTypedArray(Float32Array.from(r.params_at_stop[i]!), [...p.data.shape]));
      // different hyperparameters: they must come from the file
      const opt = build({ optimizer: r.optimizer, options: { ...r.options, lr: 0.5 }, lr1: 0.7 }, params);
      opt.loadStateDict(sd);
      expect(opt.paramGroups.map((g) => g.lr)).toEqual([r.options.lr, r.lr1]);
      for (const [k, step] of r.trajectory.entries()) {
        setGrads(params, r.stop + k);
        opt.step();
        for (const [i, p] of params.entries()) {
          expect(
            closeness(p.data, step[i]!, 1e-5, 1e-6),
            `param ${i} after step ${r.stop + k + 1}`,
          ).toBeNull();
        }
      }
    },
  );
});
