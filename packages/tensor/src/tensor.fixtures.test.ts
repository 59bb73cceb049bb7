import { describe, expect, it } from 'vitest';
import ops from '../test/fixtures/ops.json';
import type { DType } from './dtype';
import { tensor } from './factories';
import type { Tensor, ValuesIndices } from './tensor';
import { where } from './tensor';
import { expectClose } from './testing/index';

interface Enc {
  data: (number | boolean)[];
  shape: number[];
  dtype: string;
  t?: boolean;
}
interface Case {
  op: string;
  inputs: Enc[];
  args: Record<string, unknown>;
  out: Enc | Enc[];
}

function build(e: Enc): Tensor {
  const dtype = (e.dtype === 'int64' ? 'int32' : e.dtype) as DType;
  const flat = e.data.map((v) => (typeof v === 'boolean' ? (v ? 1 : 0) : v));
  const x = tensor(flat, e.shape, { dtype });
  return e.t ? x.transpose(-1, -2) : x;
}

function run(c: Case): Tensor | ValuesIndices {
  const [a, b, c3] = c.inputs.map(build);
  const args = c.args as Record<string, never>;
  const red =
    args.dim === undefined ? {} : { dim: args.dim as number | number[], keepdim: args.keepdim as boolean };
  const p = (args.p as unknown) === 'inf' ? Number.POSITIVE_INFINITY : (args.p as number);
  switch (c.op) {
    case 'add_alpha':
      return a.add(b, { alpha: args.alpha });
    case 'sub_alpha':
      return a.sub(b, { alpha: args.alpha });
    case 'pow_scalar':
      return a.pow(args.exponent);
    case 'div_int':
      return a.div(2);
    case 'clamp':
    case 'clamp_min':
      return a.clamp({ min: args.min, max: args.max });
    case 'where':
      return where(a.gt(0), b, c3);
    case 'add_':
      return a.add_(b, { alpha: args.alpha });
    case 'addcmul_':
      return a.addcmul_(b, c3, { value: args.value });
    case 'addcdiv_':
      return a.addcdiv_(b, c3, { value: args.value });
    case 'lerp_':
      return a.lerp_(b, args.weight);
    case 'clamp_':
      return a.clamp_(args.min, args.max);
    case 'sqrt_':
      return a.sqrt_();
    case 'mul_':
      return a.mul_(b);
    case 'div_':
      return a.div_(b);
    case 'var':
      return a.var({ ...red, correction: args.correction as number });
    case 'std':
      return a.std({ ...red, correction: args.correction as number });
    case 'norm':
      return a.norm(p, red);
    case 'sum':
    case 'mean':
    case 'prod':
      return a[c.op](red);
    case 'max':
      return a.max({ dim: args.dim as number, keepdim: args.keepdim as boolean });
    case 'min':
      return a.min({ dim: args.dim as number, keepdim: args.keepdim as boolean });
    case 'argmax':
      return a.argmax(red);
    case 'max_all':
      return a.max();
    case 'min_all':
      return a.min();
    case 'argmax_all':
      return a.argmax();
    case 'argmin_all':
      return a.argmin();
    default: {
      const m = (a as unknown as Record<string, (...x: unknown[]) => Tensor>)[c.op];
      if (typeof m !== 'function') throw new Error(`no op ${c.op}`);
      return b === undefined ? m.call(a) : m.call(a, b);
    }
  }
}

describe('ops against PyTorch fixtures (test/fixtures/ops.json)', () => {
  const cases = ops as unknown as Case[];
  it('has cases', () => expect(cases.length).toBeGreaterThan(200));
  cases.forEach((c, i) => {
    const label = `${i} ${c.op} ${c.inputs.map((x) => `${x.dtype}[${x.shape}]${x.t ? 'ᵀ' : ''}`).join(' ')} ${JSON.stringify(c.args)}`;
    it(label, () => {
      const got = run(c);
      const outs = Array.isArray(c.out) ? c.out : [c.out];
      const results = 'indices' in got ? [got.values, got.indices] : [got as Tensor];
      outs.forEach((o, k) => {
        const r = results[k];
        expect(r.shape).toEqual(o.shape);
        const dt = o.dtype === 'int64' ? 'int32' : o.dtype;
        expect(r.dtype).toBe(dt);
        const isFloat = dt === 'float32' || dt === 'float64';
        const expected = o.data.map((v) => (typeof v === 'boolean' ? (v ? 1 : 0) : v));
        if (isFloat)
          expectClose(r, expected as number[], {
            rtol: dt === 'float64' ? 1e-10 : 2e-6,
            atol: dt === 'float64' ? 1e-12 : 1e-6,
          });
        else expect(Array.from(r.toTypedArray())).toEqual(expected);
      });
    });
  });
});
