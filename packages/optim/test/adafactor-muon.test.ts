import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromTypedArray, type Tensor, zeros } from '@opt/tensor';
import { describe, expect, it } from 'vitest';
import { Adafactor } from '../src/adafactor';
import { Muon } from '../src/muon';
import type { Optimizer } from '../src/optimizer';
import type { ParamLike } from '../src/types';
import { closeness } from './helpers';

/** One run of fixtures/adafactor_muon.json (written by make_adafactor_muon_fixtures.py). */
interface Run {
  options: Record<string, unknown>;
  /** [step][param] → flat values after that step */
  trajectory: number[][][];
  /** per parameter: state key → flat values (or the number, for `step`) */
  final_state: Record<string, number[] | number>[];
  state_keys: string[][];
}
interface Family {
  shapes: number[][];
  initial: number[][];
  consts: number[][];
  cases: Run[];
}
const fx = JSON.parse(readFileSync(join(__dirname, 'fixtures/adafactor_muon.json'), 'utf8')) as {
  steps: number;
  adafactor: Family;
  muon: Family;
};

const RTOL = 1e-5;
const ATOL = 1e-6;

function fresh(f: Family): ParamLike[] {
  return f.shapes.map((s, i) => ({ data: fromTypedArray(Float32Array.from(f.initial[i]!), s), grad: null }));
}

/** g = 0.2p³ − p + c in float64, rounded to float32 (the fixture's gradient). */
function setGrads(f: Family, params: ParamLike[]): void {
  params.forEach((p, i) => {
    const x = p.data.toTypedArray();
    const c = f.consts[i]!;
    const g = new Float32Array(x.length);
    for (let k = 0; k < x.length; k++) {
      const v = x[k]!;
      g[k] = 0.2 * v * v * v - v + c[k]!;
    }
    p.grad = fromTypedArray(g, [...p.data.shape]);
  });
}

type Make = (params: ParamLike[], options: Record<string, unknown>) => Optimizer<object>;
const makers: Record<'adafactor' | 'muon', Make> = {
  adafactor: (ps, o) => new Adafactor(ps, o) as unknown as Optimizer<object>,
  muon: (ps, o) => new Muon(ps, o) as unknown as Optimizer<object>,
};

function expectStep(params: ParamLike[], expected: number[][], at: string): void {
  params.forEach((p, i) => {
    const bad = closeness(p.data, expected[i]!, RTOL, ATOL);
    expect(bad, `${at}, parameter ${i}`).toBeNull();
  });
}

for (const family of ['adafactor', 'muon'] as const) {
  const f = fx[family];
  describe(`${family === 'adafactor' ? 'Adafactor' : 'Muon'} against the 2.x algorithm (make_adafactor_muon_fixtures.py)`, () => {
    it.each(f.cases.map((c) => [JSON.stringify(c.options), c] as const))(
      '%s: %# trajectory, final state and state keys',
      (_n, c) => {
        const params = fresh(f);
        const opt = makers[family](params, c.options);
        for (let s = 0; s < fx.steps; s++) {
          setGrads(f, params);
          opt.step();
          expectStep(params, c.trajectory[s]!, `step ${s + 1}`);
        }
        params.forEach((p, i) => {
          const st = opt.state.get(p)!;
          expect(Object.keys(st).sort()).toEqual(c.state_keys[i]);
          for (const [k, v] of Object.entries(c.final_state[i]!)) {
            const t = st[k] as Tensor;
            if (typeof v === 'number') expect(t.item()).toBe(v);
            else expect(closeness(t, v, RTOL, ATOL), `state ${k} of parameter ${i}`).toBeNull();
          }
        });
      },
    );

    it.each(f.cases.map((c) => [JSON.stringify(c.options), c] as const))(
      '%s: stateDict after 13 steps, loadStateDict into a fresh optimizer, continues identically',
      (_n, c) => {
        const params = fresh(f);
        const first = makers[family](params, c.options);
        for (let s = 0; s < 13; s++) {
          setGrads(f, params);
          first.step();
        }
        const sd = first.stateDict();
        // keep going with the first optimizer: the saved dict must not alias its state
        setGrads(f, params);
        first.step();
        const resumed = fresh(f);
        resumed.forEach((p, i) => {
          p.data = fromTypedArray(Float32Array.from(c.trajectory[12]![i]!), f.shapes[i]!);
        });
        const second = makers[family](resumed, {});
        second.loadStateDict(sd);
        expect(second.paramGroups[0]!.lr).toBe(first.paramGroups[0]!.lr);
        for (let s = 13; s < fx.steps; s++) {
          setGrads(f, resumed);
          second.step();
          expectStep(resumed, c.trajectory[s]!, `resumed step ${s + 1}`);
        }
      },
    );
  });
}

describe('Adafactor details', () => {
  it('keeps factored state for ≥ 2-D parameters and a full variance for vectors', () => {
    const w: ParamLike = { data: zeros([2, 3, 4]), grad: zeros([2, 3, 4]).add(1) };
    const v: ParamLike = { data: zeros([5]), grad: zeros([5]).add(1) };
    const opt = new Adafactor([w, v]);
    opt.step();
    expect((opt.state.get(w)!.row_var as Tensor).shape).toEqual([2, 3, 1]);
    expect((opt.state.get(w)!.col_var as Tensor).shape).toEqual([2, 1, 4]);
    expect((opt.state.get(v)!.variance as Tensor).shape).toEqual([5]);
    expect((opt.state.get(w)!.step as Tensor).item()).toBe(1);
  });

  it("rejects bad hyperparameters with PyTorch's wording", () => {
    const p: ParamLike = { data: zeros([2]), grad: null };
    expect(() => new Adafactor([p], { lr: -1 })).toThrow('Learning rate should be >= 0 but is: -1');
    expect(() => new Adafactor([p], { beta2Decay: 0.5 })).toThrow('beta2_decay should be <= 0 but is: 0.5');
    expect(() => new Adafactor([p], { eps: [-1, 1e-3] })).toThrow('epsilon1 should be >= 0 but is: -1');
    expect(() => new Adafactor([p], { eps: [null, -1] })).toThrow('epsilon2 should be >= 0 but is: -1');
    expect(() => new Adafactor([p], { d: 0.5 })).toThrow('Clipping threshold d should be >= 1 but is: 0.5');
    expect(() => new Adafactor([p], { weightDecay: -0.1 })).toThrow(
      'weight_decay should be >= 0 but is: -0.1',
    );
    expect(() => new Adafactor([p], { eps: 1e-3 as never })).toThrow(/eps should be a pair/);
  });

  it('refuses a loaded row_var of the wrong shape', () => {
    const w: ParamLike = { data: zeros([3, 4]), grad: zeros([3, 4]).add(1) };
    const opt = new Adafactor([w]);
    opt.step();
    const sd = opt.stateDict();
    (sd.state as Record<number, Record<string, unknown>>)[0]!.row_var = zeros([3, 4]);
    expect(() => new Adafactor([w]).loadStateDict(sd)).toThrow(
      "Adafactor state 'row_var' of parameter 0 of group 0 has shape [3, 4]; expected [3, 1]",
    );
  });

  it("prints PyTorch's group layout", () => {
    const s = String(new Adafactor([{ data: zeros([2]), grad: null }]));
    expect(s).toContain('    beta2_decay: -0.8\n');
    expect(s).toContain('    d: 1.0\n');
    expect(s).toContain('    eps: (None, 0.001)\n');
    expect(s).toContain('    weight_decay: 0.0\n');
  });
});

describe('Muon details', () => {
  it('refuses a parameter that is not 2-D, naming it', () => {
    const w: ParamLike = { data: zeros([3, 4]), grad: null };
    const b: ParamLike = { data: zeros([4]), grad: null };
    expect(() => new Muon([w, b])).toThrow(
      'Muon only supports 2-D parameters (matrices), but parameter 1 of the group has shape [4]',
    );
    const opt = new Muon([w]);
    expect(() => opt.addParamGroup({ params: [{ data: zeros([2, 2, 2]), grad: null }] })).toThrow(
      /parameter 0 of the group has shape \[2, 2, 2\]/,
    );
  });

  it('rejects bad hyperparameters', () => {
    const p: ParamLike = { data: zeros([2, 2]), grad: null };
    expect(() => new Muon([p], { lr: -1 })).toThrow('Learning rate should be >= 0 but is: -1');
    expect(() => new Muon([p], { momentum: -0.1 })).toThrow('momentum should be >= 0 but is: -0.1');
    expect(() => new Muon([p], { weightDecay: -1 })).toThrow('weight decay should be >= 0 but is: -1');
    expect(() => new Muon([p], { adjustLrFn: 'spectral' as never })).toThrow(
      'Adjust learning rate function spectral is not supported',
    );
    expect(() => new Muon([p], { nsSteps: 100 })).toThrow(/nsSteps must be an integer in \[0, 100\)/);
    expect(() => new Muon([p], { nsCoefficients: [1, 2] as never })).toThrow(
      /nsCoefficients must be exactly 3 finite numbers/,
    );
  });

  it('orthogonalizes: many Newton–Schulz steps with the cubic (1.5, -0.5, 0) give singular values ≈ 1', () => {
    // no momentum, no decay, lr 1: θ₁ = θ₀ − O with O = NS(g); start from θ₀ = 0 so O = −θ₁
    const g = Float32Array.from([3, 1, 0.5, -1, 2, 0.25]);
    const p: ParamLike = { data: zeros([2, 3]), grad: fromTypedArray(g, [2, 3]) };
    new Muon([p], {
      lr: 1,
      momentum: 0,
      nesterov: false,
      weightDecay: 0,
      nsCoefficients: [1.5, -0.5, 0],
      nsSteps: 30,
    }).step();
    const o = p.data.toTypedArray();
    // O Oᵀ ≈ I (to bfloat16 precision)
    const oot = [0, 0, 0, 0];
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 2; j++)
        for (let k = 0; k < 3; k++) oot[i * 2 + j]! += o[i * 3 + k]! * o[j * 3 + k]!;
    expect(oot[0]).toBeCloseTo(1, 1);
    expect(oot[3]).toBeCloseTo(1, 1);
    expect(Math.abs(oot[1]!)).toBeLessThan(0.03);
    // every value is a bfloat16 (low 16 bits of the float32 zero) times −1
    const u = new Uint32Array(Float32Array.from(o, (v) => -v).buffer);
    for (const bitsOf of u) expect(bitsOf & 0xffff).toBe(0);
  });
});
