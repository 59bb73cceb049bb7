import { Generator, randn, type Tensor, tensor } from '@opt/tensor';
import { describe, expect, it } from 'vitest';
import { gradcheck } from './gradcheck';
import {
  adaptiveAvgPool2d,
  avgPool2d,
  cat,
  conv2d,
  embedding,
  gelu,
  maxPool2d,
  stack,
  Variable,
  where,
} from './index';

const gen = new Generator(7);
/** A random float64 leaf that requires grad. */
function v(...shape: number[]): Variable {
  return new Variable(randn(shape, { dtype: 'float64', generator: gen }), { requiresGrad: true });
}
/** A float64 leaf away from 0 (for log, sqrt, div, pow with real exponents). */
function pos(...shape: number[]): Variable {
  return new Variable(randn(shape, { dtype: 'float64', generator: gen }).abs().add(0.5), {
    requiresGrad: true,
  });
}
const int = (values: number[] | number[][], shape?: number[]): Tensor =>
  tensor(values, shape, { dtype: 'int32' });

type Case = [string, (...xs: Variable[]) => Variable, () => Variable[]];

const cases: Case[] = [
  ['add (broadcast)', (a, b) => a.add(b, { alpha: 2 }), () => [v(2, 3), v(3)]],
  ['sub (broadcast both)', (a, b) => a.sub(b), () => [v(2, 1), v(1, 3)]],
  ['mul', (a, b) => a.mul(b), () => [v(2, 3), v(2, 1)]],
  ['mul scalar', (a) => a.mul(3), () => [v(4)]],
  ['div', (a, b) => a.div(b), () => [v(3), pos(3)]],
  ['pow scalar', (a) => a.pow(3), () => [v(4)]],
  ['pow tensor', (a, b) => a.pow(b), () => [pos(3), v(3)]],
  ['neg', (a) => a.neg(), () => [v(3)]],
  ['abs', (a) => a.abs(), () => [pos(3)]],
  ['exp', (a) => a.exp(), () => [v(3)]],
  ['log', (a) => a.log(), () => [pos(3)]],
  ['sqrt', (a) => a.sqrt(), () => [pos(3)]],
  ['rsqrt', (a) => a.rsqrt(), () => [pos(3)]],
  ['sin', (a) => a.sin(), () => [v(3)]],
  ['cos', (a) => a.cos(), () => [v(3)]],
  ['tanh', (a) => a.tanh(), () => [v(3)]],
  ['sigmoid', (a) => a.sigmoid(), () => [v(3)]],
  ['relu', (a) => a.relu(), () => [pos(3), v(2)].slice(0, 1)],
  [
    'clamp',
    (a) => a.clamp(-0.5, 0.5),
    () => [
      new Variable(tensor([-1.2, -0.2, 0.3, 0.9], undefined, { dtype: 'float64' }), { requiresGrad: true }),
    ],
  ],
  ['maximum', (a, b) => a.maximum(b), () => [v(4), v(4)]],
  ['minimum', (a, b) => a.minimum(b), () => [v(4), v(4)]],
  [
    'where',
    (a, b) => where(tensor([true, false, true], undefined, { dtype: 'bool' }), a, b),
    () => [v(3), v(3)],
  ],
  ['sum all', (a) => a.sum(), () => [v(2, 3)]],
  ['sum dims keepdim', (a) => a.sum([0, 2], { keepdim: true }), () => [v(2, 3, 2)]],
  ['mean dim', (a) => a.mean(1), () => [v(2, 3)]],
  [
    'prod with a zero',
    (a) => a.prod(1),
    () => [
      new Variable(
        tensor(
          [
            [1, 0, 3],
            [2, 4, 0.5],
          ],
          undefined,
          { dtype: 'float64' },
        ),
        { requiresGrad: true },
      ),
    ],
  ],
  ['var', (a) => a.var(1), () => [v(2, 4)]],
  ['std correction 0', (a) => a.std(0, { correction: 0 }), () => [v(4, 2)]],
  ['norm 2', (a) => a.norm(), () => [v(5)]],
  ['norm 1 dim', (a) => a.norm(1, 1), () => [pos(2, 3)]],
  ['norm 3', (a) => a.norm(3), () => [v(4)]],
  ['max all', (a) => a.max(), () => [v(5)]],
  ['max dim', (a) => a.max(1).values, () => [v(3, 4)]],
  ['min dim keepdim', (a) => a.min(0, { keepdim: true }).values, () => [v(3, 4)]],
  ['matmul 2-D', (a, b) => a.matmul(b), () => [v(3, 4), v(4, 2)]],
  ['matmul batched broadcast', (a, b) => a.matmul(b), () => [v(2, 3, 4), v(4, 2)]],
  ['matmul vector', (a, b) => a.matmul(b), () => [v(3, 4), v(4)]],
  ['matmul vector-matrix', (a, b) => a.matmul(b), () => [v(4), v(2, 4, 3)]],
  ['dot', (a, b) => a.matmul(b), () => [v(4), v(4)]],
  ['view', (a) => a.view(-1).mul(a.view(-1)), () => [v(2, 3)]],
  ['reshape of a transpose', (a) => a.t().reshape(6), () => [v(2, 3)]],
  ['permute', (a) => a.permute(2, 0, 1), () => [v(2, 3, 4)]],
  ['expand', (a) => a.expand(3, 2, 4), () => [v(2, 1)]],
  ['squeeze/unsqueeze', (a) => a.unsqueeze(0).squeeze(), () => [v(3, 1)]],
  ['flatten', (a) => a.flatten(1), () => [v(2, 3, 2)]],
  ['narrow', (a) => a.narrow(1, 1, 2), () => [v(2, 4)]],
  ['select', (a) => a.select(0, 1), () => [v(3, 2)]],
  ['slice step', (a) => a.slice(1, 0, 5, 2), () => [v(2, 5)]],
  ['cat', (a, b) => cat([a, b], 1), () => [v(2, 3), v(2, 1)]],
  ['cat skipping a 1-d empty tensor', (a, b, c) => cat([a, b, c], 1), () => [v(0), v(2, 3), v(2, 1)]],
  ['stack', (a, b) => stack([a, b], 1), () => [v(2, 3), v(2, 3)]],
  ['softmax', (a) => a.softmax(1), () => [v(2, 4)]],
  ['logSoftmax', (a) => a.logSoftmax(0), () => [v(3, 2)]],
  [
    'gather',
    (a) =>
      a.gather(
        1,
        int([
          [0, 0],
          [2, 1],
        ]),
      ),
    () => [v(2, 3)],
  ],
  ['indexSelect repeated', (a) => a.indexSelect(0, int([2, 0, 2])), () => [v(3, 2)]],
  ['gelu', (a) => gelu(a), () => [v(5)]],
  ['gelu tanh', (a) => gelu(a, { approximate: 'tanh' }), () => [v(5)]],
  [
    'conv2d stride/padding/bias',
    (x, w, b) => conv2d(x, w, b, { stride: 2, padding: 1 }),
    () => [v(2, 2, 5, 5), v(3, 2, 3, 3), v(3)],
  ],
  [
    'conv2d dilation groups',
    (x, w) => conv2d(x, w, null, { dilation: 2, groups: 2 }),
    () => [v(1, 4, 6, 6), v(2, 2, 2, 2)],
  ],
  [
    "conv2d 'same' even kernel",
    (x, w) => conv2d(x, w, null, { padding: 'same' }),
    () => [v(1, 1, 4, 5), v(2, 1, 2, 2)],
  ],
  ['conv2d unbatched', (x, w) => conv2d(x, w), () => [v(2, 4, 4), v(1, 2, 3, 3)]],
  ['maxPool2d', (x) => maxPool2d(x, 2), () => [v(1, 2, 4, 4)]],
  [
    'maxPool2d padding ceil',
    (x) => maxPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true }),
    () => [v(1, 1, 6, 6)],
  ],
  [
    'avgPool2d no pad count',
    (x) => avgPool2d(x, 3, { stride: 2, padding: 1, countIncludePad: false }),
    () => [v(1, 2, 5, 5)],
  ],
  ['adaptiveAvgPool2d', (x) => adaptiveAvgPool2d(x, [2, 3]), () => [v(1, 2, 5, 7)]],
  [
    'embedding dense',
    (w) =>
      embedding(
        int([
          [0, 2],
          [2, 3],
        ]),
        w,
      ),
    () => [v(4, 3)],
  ],
];

describe('gradcheck: analytic gradients match central differences', () => {
  it.each(cases)('%s', (_name, fn, make) => {
    expect(gradcheck(fn, make())).toBe(true);
  });

  it('reports a wrong gradient (the check can fail)', () => {
    // a deliberately wrong rule: d/dx x³ claimed as x² via detach trickery
    const x = v(3);
    const wrong = (a: Variable) => a.pow(2).mul(a.detach());
    expect(() => gradcheck(wrong, [x])).toThrow(/Jacobian mismatch/);
    expect(gradcheck(wrong, [x], { raiseException: false })).toBe(false);
  });

  it('to(float32) and back: the cast passes the gradient through (coarse steps for float32 rounding)', () => {
    expect(gradcheck((a) => a.to('float32').mul(2).to('float64'), [v(3)], { eps: 1e-2, atol: 1e-3 })).toBe(
      true,
    );
  });

  it('asks for float64 inputs', () => {
    const x = new Variable(randn([2]), { requiresGrad: true });
    expect(() => gradcheck((a) => a.mul(2), [x])).toThrow(/float64/);
  });
});
