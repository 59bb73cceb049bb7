import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  arange,
  cat,
  type DType,
  eye,
  linspace,
  OptError,
  oneHot,
  stack,
  type Tensor,
  tensor,
  where,
  zeros,
} from '../src/index';
import { unmatchedPatterns } from '../src/testing/audit';

/** A tensor of fixtures/shape-edge.json: flat row-major values (NaN/±Infinity as strings), int64 for our int32. */
interface TJson {
  shape: number[];
  dtype: string;
  values: (number | string)[];
  /** view ops applied after building an input, as [name, ...args] */
  prep?: [string, ...unknown[]][];
  /** PyTorch's is_contiguous() of a result */
  contiguous?: boolean;
}

/** One case of fixtures/shape-edge.json (written by fixtures/make_shape_edge_fixtures.py). */
interface Case {
  name: string;
  op: string;
  inputs: TJson[];
  args: Record<string, any>;
  /** computed from 1.13 as PyTorch 2.x does it (squeeze with a list of dims) */
  torch2?: boolean;
  out?: TJson;
  /** PyTorch's error (first line) and exception class where it rejects the case */
  error?: string;
  errorType?: string;
  /** what our message must name besides the op: the offending values */
  bad?: string[];
  /** input 0's storage after the op, and after writing -1, -2, … into the result */
  baseAfterOp?: (number | string)[];
  baseAfterWrite?: (number | string)[];
  /** PyTorch refuses that write (the result's elements overlap) */
  writeError?: string;
}
const fx = JSON.parse(readFileSync(join(__dirname, 'fixtures/shape-edge.json'), 'utf8')) as {
  torch: string;
  cases: Case[];
};

const dtypeOf = (d: string): DType => (d === 'int64' ? 'int32' : (d as DType));
const nums = (v: (number | string)[]): number[] => v.map(Number);
const numArg = (v: unknown): number | undefined => (v === undefined || v === null ? undefined : Number(v));
const values = (t: Tensor): number[] => Array.from(t.toTypedArray());

/** Input `spec` as PyTorch built it: the base tensor, and the view of it after `prep`. */
function build(spec: TJson): { base: Tensor; x: Tensor } {
  const base = tensor(nums(spec.values), spec.shape, { dtype: dtypeOf(spec.dtype) });
  let x = base;
  for (const [name, ...a] of spec.prep ?? []) {
    const n = a as number[];
    if (name === 'transpose') x = x.transpose(n[0]!, n[1]!);
    else if (name === 'permute') x = x.permute(a[0] as number[]);
    else if (name === 'narrow') x = x.narrow(n[0]!, n[1]!, n[2]!);
    else if (name === 'slice') x = x.slice(n[0]!, n[1], n[2], n[3]);
    else if (name === 'expand') x = x.expand(a[0] as number[]);
    else if (name === 'select') x = x.select(n[0]!, n[1]!);
    else throw new Error(`unknown prep ${name}`);
  }
  return { base, x };
}

type Op = (xs: Tensor[], a: Record<string, any>) => Tensor;
const OPS: Record<string, Op> = {
  view: ([x], a) => x!.view(a.shape),
  reshape: ([x], a) => x!.reshape(a.shape),
  transpose: ([x], a) => x!.transpose(a.dim0, a.dim1),
  t: ([x]) => x!.t(),
  permute: ([x], a) => x!.permute(a.dims),
  squeeze: ([x], a) => x!.squeeze(a.dim ?? undefined),
  unsqueeze: ([x], a) => x!.unsqueeze(a.dim),
  expand: ([x], a) => x!.expand(a.sizes),
  expandAs: ([x, y]) => x!.expandAs(y!),
  flatten: ([x], a) => x!.flatten(a.startDim, a.endDim),
  narrow: ([x], a) => x!.narrow(a.dim, a.start, a.length),
  select: ([x], a) => x!.select(a.dim, a.index),
  slice: ([x], a) => x!.slice(a.dim, a.start, a.end ?? undefined, a.step),
  contiguous: ([x]) => x!.contiguous(),
  clone: ([x]) => x!.clone(),
  cat: (xs, a) => cat(xs, a.dim),
  stack: (xs, a) => stack(xs, a.dim),
  indexSelect: ([x, i], a) => x!.indexSelect(a.dim, i!),
  gather: ([x, i], a) => x!.gather(a.dim, i!),
  scatter: ([x, i, s], a) => x!.scatter(a.dim, i!, s ?? a.value),
  scatterAdd: ([x, i, s], a) => x!.scatterAdd(a.dim, i!, s!),
  indexAdd: ([x, i, s], a) => x!.indexAdd(a.dim, i!, s!, { alpha: a.alpha }),
  indexAdd_: ([x, i, s], a) => x!.indexAdd_(a.dim, i!, s!, { alpha: a.alpha }),
  where: ([c, ...rest], a) => {
    let k = 0;
    const x = a.x ?? rest[k++];
    const y = a.y ?? rest[k++];
    return where(c!, x, y);
  },
  whereMethod: ([x, c, y]) => x!.where(c!, y!),
  fill_: ([x], a) => x!.fill_(a.value),
  add_: ([x], a) => x!.add_(a.value),
  oneHot: ([i], a) => oneHot(i!, a.numClasses),
  arange: (_, a) => arange(numArg(a.start)!, numArg(a.end), numArg(a.step), { dtype: a.dtype ?? undefined }),
  linspace: (_, a) => linspace(a.start, a.end, a.steps, { dtype: a.dtype }),
  eye: (_, a) => eye(a.n, a.m, { dtype: a.dtype }),
  tensor: (_, a) => tensor(a.values),
};

/** The op name our error messages start with, where it is not the case's op. */
const OP_NAME: Record<string, string> = { expandAs: 'expand', whereMethod: 'where' };

/**
 * Differences from PyTorch we keep, by case name; those cases are not run (see the skipped tests for
 * what PyTorch does and why we differ).
 */
const LEFT: { name: RegExp; why: string }[] = [
  {
    name: /^arange 5 \(PyTorch: int64\)$/,
    why: 'arange with integer arguments: PyTorch infers int64, ours is float32 unless a dtype is given (JS has one number type, so factories default to float32)',
  },
  {
    name: /^(cat|stack) dtypes float32 and float64 \(PyTorch promotes\)$/,
    why: 'cat/stack of float32 and float64 tensors: PyTorch promotes to float64, ours throws a DTypeError (ops between different dtypes throw instead of promoting; cast with .to(dtype))',
  },
  {
    name: /^where x and y of different dtypes \(PyTorch promotes\)$/,
    why: 'where with float32 x and float64 y: PyTorch promotes to float64, ours throws a DTypeError (no implicit promotion)',
  },
  {
    name: /^where both numbers \(PyTorch: float32\)$/,
    why: 'where(cond, 1, 0): PyTorch gives the default dtype, ours throws a DTypeError asking for a tensor to fix the dtype (a JS number has no dtype)',
  },
  {
    name: /^where int32 x, number 1\.5 y \(PyTorch: float32\)$/,
    why: 'where(cond, int32 tensor, 1.5): PyTorch promotes to float32, ours gives int32 with 1.5 truncated to 1 (numbers adopt the tensor’s dtype)',
  },
  {
    name: /^where condition float \(PyTorch wants bool\)$/,
    why: 'where with a float32 condition: PyTorch requires bool, ours takes any nonzero value as true (documented)',
  },
];

/**
 * Cases where PyTorch's result keeps the strided layout of its inputs (TensorIterator and clone's
 * preserve_format) and so is not contiguous; ours is always a fresh contiguous tensor. Everything but
 * isContiguous() is compared.
 */
const LAYOUT: { name: RegExp; why: string }[] = [
  {
    name: /^where transposed operands$/,
    why: 'where of transposed operands: PyTorch’s output is laid out like its inputs (not contiguous), ours is contiguous',
  },
  {
    name: /^clone of transposed \(PyTorch keeps the layout\)$/,
    why: 'clone of a transposed tensor: PyTorch keeps the transposed strides (preserve_format), ours is contiguous',
  },
];

/** -1, -2, … in the result's shape and dtype (for bool: false, true, …), as the script writes it. */
function pattern(r: Tensor): Tensor {
  const v = Array.from({ length: r.numel }, (_, i) =>
    r.dtype === 'bool' ? (i % 2 === 1 ? 1 : 0) : -(i + 1),
  );
  return tensor(v, r.shape, { dtype: r.dtype });
}

describe(`shape and indexing ops at their edges against PyTorch ${fx.torch} (fixtures/make_shape_edge_fixtures.py)`, () => {
  it('has the cases, and every LEFT and LAYOUT entry matches one', () => {
    expect(fx.cases.length).toBeGreaterThan(300);
    expect(
      unmatchedPatterns(
        [...LEFT, ...LAYOUT],
        fx.cases.map((c) => c.name),
      ),
    ).toEqual([]);
    for (const c of fx.cases) expect(OPS[c.op], c.op).toBeDefined();
  });

  for (const c of fx.cases) {
    if (LEFT.some((l) => l.name.test(c.name))) continue;
    const label = `${c.name}${c.torch2 ? ' (PyTorch 2.x)' : ''}`;
    if (c.error !== undefined) {
      it(`${label}: throws as PyTorch does (${c.errorType}: ${c.error})`, () => {
        const xs = c.inputs.map((s) => build(s).x);
        let err: unknown;
        try {
          OPS[c.op]!(xs, c.args);
        } catch (e) {
          err = e;
        }
        expect(err, 'an OptError').toBeInstanceOf(OptError);
        const msg = (err as Error).message;
        expect(msg, 'names the op').toContain(OP_NAME[c.op] ?? c.op);
        for (const b of c.bad!) expect(msg, `names ${b}`).toContain(b);
      });
      continue;
    }
    it(`${label}: shape, dtype, values, contiguity and writes through the result`, () => {
      const built = c.inputs.map(build);
      const r = OPS[c.op]!(
        built.map((b) => b.x),
        c.args,
      );
      const out = c.out!;
      expect(r.shape, 'shape').toEqual(out.shape);
      expect(r.dtype, 'dtype').toBe(dtypeOf(out.dtype));
      expect(values(r), 'values').toEqual(nums(out.values));
      if (!LAYOUT.some((l) => l.name.test(c.name)))
        expect(r.isContiguous(), 'isContiguous').toBe(out.contiguous);
      if (built.length === 0) return;
      const base = built[0]!.base;
      expect(values(base), 'input 0 after the op').toEqual(nums(c.baseAfterOp!));
      if (r.numel === 0) return;
      if (c.writeError !== undefined) {
        expect(() => r.copy_(pattern(r)), 'writing into overlapping elements').toThrow(OptError);
        return;
      }
      r.copy_(pattern(r));
      expect(values(base), 'input 0 after writing into the result').toEqual(nums(c.baseAfterWrite!));
    });
  }

  for (const { name, why } of LEFT) it.skip(`${name.source}: ${why}`, () => {});
  for (const { name, why } of LAYOUT) it.skip(`${name.source} isContiguous(): ${why}`, () => {});
});

describe('beyond the fixtures', () => {
  it('every in-place op but fill_/zero_ refuses a receiver whose elements overlap', () => {
    const e = () => tensor([1, 2, 3]).expand(2, 3);
    const ops: [string, (t: Tensor) => unknown][] = [
      ['add_', (t) => t.add_(1)],
      ['sub_', (t) => t.sub_(tensor([1, 1, 1]))],
      ['mul_', (t) => t.mul_(2)],
      ['div_', (t) => t.div_(2)],
      ['pow_', (t) => t.pow_(2)],
      ['addcmul_', (t) => t.addcmul_(1, 2)],
      ['addcdiv_', (t) => t.addcdiv_(1, 2)],
      ['lerp_', (t) => t.lerp_(0, 0.5)],
      ['sqrt_', (t) => t.sqrt_()],
      ['exp_', (t) => t.exp_()],
      ['neg_', (t) => t.neg_()],
      ['abs_', (t) => t.abs_()],
      ['clamp_', (t) => t.clamp_(0, 1)],
      ['copy_', (t) => t.copy_(zeros([2, 3]))],
    ];
    for (const [name, op] of ops)
      expect(() => op(e()), name).toThrow(new RegExp(`^${name}: more than one element`));
    expect(e().fill_(4).toArray()).toEqual([
      [4, 4, 4],
      [4, 4, 4],
    ]);
    expect(e().zero_().sum().item()).toBe(0);
  });

  it('indexSelect of a 0-d input takes exactly one index (PyTorch 1.13 quietly returns the element for [0, 0]; we refuse)', () => {
    const idx = tensor([0, 0], undefined, { dtype: 'int32' });
    expect(() => tensor(5).indexSelect(0, idx)).toThrow(
      /indexSelect: a 0-d input takes exactly one index; got 2/,
    );
  });

  // inferring the number of classes spread the indices into Math.max's arguments, which overflowed
  // the stack from about 120k elements
  it('oneHot infers numClasses of a large index tensor', () => {
    const idx = zeros([300_000], { dtype: 'int32' });
    idx.values[123_456] = 4;
    const r = oneHot(idx);
    expect(r.shape).toEqual([300_000, 5]);
    expect(r.values[123_456 * 5 + 4]).toBe(1);
  });
});
