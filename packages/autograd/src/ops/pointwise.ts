/**
 * Elementwise ops and their derivatives. Each gradient rule reads like a
 * table row; broadcast gradients are reduced to the input shapes by `Node`.
 */
import {
  type ClampOptions,
  type DType,
  type Tensor,
  thresholdBackward,
  thresholdBackward_,
  where as whereT,
  zerosLike,
} from '@opt/tensor';
import { takeFresh } from '../fresh';
import type { Variable } from '../variable';
import { asVariable, record, type VarLike } from './record';

type Other = VarLike | number;

function binary(
  name: string,
  a: Variable,
  other: Other,
  forward: (x: Tensor, y: Tensor | number) => Tensor,
  grads: (g: Tensor, x: Tensor, y: Tensor | number, out: Tensor) => [Tensor | null, Tensor | null],
  saveOut = false,
): Variable {
  if (typeof other === 'number') {
    const out = forward(a.data, other);
    return record(
      name,
      [a],
      out,
      (g) => [grads(g, a.data, other, out)[0]],
      saveOut ? [a.data, out] : [a.data],
    );
  }
  const b = asVariable(other);
  const out = forward(a.data, b.data);
  return record(
    name,
    [a, b],
    out,
    (g) => grads(g, a.data, b.data, out),
    saveOut ? [a.data, b.data, out] : [a.data, b.data],
  );
}

function unary(
  name: string,
  a: Variable,
  out: Tensor,
  grad: (g: Tensor, out: Tensor) => Tensor,
  saveOut: boolean,
): Variable {
  return record(name, [a], out, (g) => [grad(g, out)], saveOut ? [out] : [a.data]);
}

/** `a + alpha·b`. */
export function add(a: Variable, b: Other, alpha = 1): Variable {
  return binary(
    'AddBackward0',
    a,
    b,
    (x, y) => x.add(y, { alpha }),
    (g) => [g, alpha === 1 ? g : g.mul(alpha)],
  );
}

/** `a − alpha·b`. */
export function sub(a: Variable, b: Other, alpha = 1): Variable {
  return binary(
    'SubBackward0',
    a,
    b,
    (x, y) => x.sub(y, { alpha }),
    (g) => [g, g.mul(-alpha)],
  );
}

/** `a·b`: d/da = b, d/db = a. */
export function mul(a: Variable, b: Other): Variable {
  return binary(
    'MulBackward0',
    a,
    b,
    (x, y) => x.mul(y),
    (g, x, y) => [g.mul(y), typeof y === 'number' ? null : g.mul(x)],
  );
}

/** `a / b`: d/da = 1/b, d/db = −a/b², computed as −g·((a/b)/b) like PyTorch. */
export function div(a: Variable, b: Other): Variable {
  return binary(
    'DivBackward0',
    a,
    b,
    (x, y) => x.div(y),
    // PyTorch's div_tensor_other_backward is −g·((a/b)/b): b² would overflow (1e30² = ∞ gave 0 or
    // NaN where PyTorch has a finite value or ±∞) and rounds differently
    (g, x, y) => [g.div(y), typeof y === 'number' ? null : g.neg().mul(x.div(y).div(y))],
  );
}

/** `a^e`: d/da = e·a^(e−1), d/de = a^e·ln a. */
export function pow(a: Variable, e: Other): Variable {
  return binary(
    'PowBackward0',
    a,
    e,
    (x, y) => x.pow(y),
    (g, x, y, out) => {
      // PyTorch's pow_backward_self: +0 where the exponent is 0 (zeros, not g·0·a⁻¹, which is NaN at
      // a = 0 or −0 for a negative g), else g·(e·a^(e−1))
      if (typeof y === 'number') return [y === 0 ? zerosLike(g) : g.mul(x.pow(y - 1).mul(y)), null];
      const gradA = whereT(y.eq(0), 0, g.mul(y.mul(x.pow(y.sub(1)))));
      // pow_backward_exponent: 0 where a = 0 and e ≥ 0, else g·(aᵉ·ln a), so 0 to a negative
      // power gives g·(∞·−∞) = ∓∞ rather than NaN
      const gradE = g.mul(whereT(x.eq(0).logicalAnd(y.ge(0)), 0, out.mul(x.log())));
      return [gradA, gradE];
    },
    true,
  );
}

/** `max(a, b)`: the gradient goes to the larger input, split evenly on ties, whole to both at NaN. */
export function maximum(a: Variable, b: VarLike): Variable {
  return extreme('MaximumBackward0', a, b, true);
}

/** `min(a, b)`: the gradient goes to the smaller input, split evenly on ties, whole to both at NaN. */
export function minimum(a: Variable, b: VarLike): Variable {
  return extreme('MinimumBackward0', a, b, false);
}

function extreme(name: string, a: Variable, other: VarLike, isMax: boolean): Variable {
  const b = asVariable(other);
  const out = isMax ? a.data.maximum(b.data) : a.data.minimum(b.data);
  return record(
    name,
    [a, b],
    out,
    (g) => {
      // PyTorch's formula: where(a == b, g/2, g), then +0 for the input that loses. A NaN pair is
      // neither a tie nor a loss, so both inputs get the whole g; a loser gets +0, not g·0
      const shared = whereT(a.data.eq(b.data), g.div(2), g);
      const aLoses = isMax ? a.data.lt(b.data) : a.data.gt(b.data);
      const bLoses = isMax ? a.data.gt(b.data) : a.data.lt(b.data);
      return [whereT(aLoses, 0, shared), whereT(bLoses, 0, shared)];
    },
    [a.data, b.data],
  );
}

/** `where(condition, a, b)`: the gradient flows to `a` where the condition holds, else to `b`. */
export function where(condition: Tensor, a: VarLike | number, b: VarLike | number): Variable {
  const va = typeof a === 'number' ? null : asVariable(a);
  const vb = typeof b === 'number' ? null : asVariable(b);
  const out = whereT(condition, va?.data ?? (a as number), vb?.data ?? (b as number));
  const inputs = [va, vb].filter((v): v is Variable => v !== null);
  return record('WhereBackward0', inputs, out, (g) => {
    const grads: Tensor[] = [];
    if (va) grads.push(whereT(condition, g, 0));
    if (vb) grads.push(whereT(condition, 0, g));
    return grads;
  });
}

/** `−a`. */
export function neg(a: Variable): Variable {
  return unary('NegBackward0', a, a.data.neg(), (g) => g.neg(), false);
}

/** `|a|`: d/da = sign(a). */
export function abs(a: Variable): Variable {
  return unary('AbsBackward0', a, a.data.abs(), (g) => g.mul(a.data.sign()), false);
}

/** `sign(a)`: zero gradient everywhere. */
export function sign(a: Variable): Variable {
  // +0 everywhere, as PyTorch's zeros_like (g·0 would give −0 for a negative g and NaN for ±∞)
  return unary('SignBackward0', a, a.data.sign(), (g) => zerosLike(g), false);
}

/** `eᵃ`: d/da = eᵃ. */
export function exp(a: Variable): Variable {
  return unary('ExpBackward0', a, a.data.exp(), (g, out) => g.mul(out), true);
}

/** `ln a`: d/da = 1/a. */
export function log(a: Variable): Variable {
  return unary('LogBackward0', a, a.data.log(), (g) => g.div(a.data), false);
}

/** `√a`: d/da = 1/(2√a). */
export function sqrt(a: Variable): Variable {
  return unary('SqrtBackward0', a, a.data.sqrt(), (g, out) => g.div(out.mul(2)), true);
}

/** `1/√a`: d/da = −½·a^(−3/2). */
export function rsqrt(a: Variable): Variable {
  return unary('RsqrtBackward0', a, a.data.rsqrt(), (g, out) => g.mul(out.pow(3)).mul(-0.5), true);
}

/** `sin a`: d/da = cos a. */
export function sin(a: Variable): Variable {
  return unary('SinBackward0', a, a.data.sin(), (g) => g.mul(a.data.cos()), false);
}

/** `cos a`: d/da = −sin a. */
export function cos(a: Variable): Variable {
  return unary('CosBackward0', a, a.data.cos(), (g) => g.mul(a.data.sin()).neg(), false);
}

/** `tanh a`: d/da = 1 − tanh²a. */
export function tanh(a: Variable): Variable {
  return unary('TanhBackward0', a, a.data.tanh(), (g, out) => g.mul(out.mul(out).neg().add(1)), true);
}

/** `σ(a)`: d/da = σ(a)(1 − σ(a)). */
export function sigmoid(a: Variable): Variable {
  return unary('SigmoidBackward0', a, a.data.sigmoid(), (g, out) => g.mul(out.mul(out.neg().add(1))), true);
}

/** `max(a, 0)`: d/da = 1 where a > 0, else 0. */
export function relu(a: Variable): Variable {
  return unary(
    'ReluBackward0',
    a,
    a.data.relu(),
    // overwrite the incoming gradient when no one else can see it (see fresh.ts)
    (g, out) => (takeFresh(g) ? thresholdBackward_(g, out, 0) : thresholdBackward(g, out, 0)),
    true,
  );
}

/** `clamp(a, min, max)`: the gradient passes where min ≤ a ≤ max, else +0. */
export function clamp(a: Variable, min?: ClampOptions | number, max?: number): Variable {
  const out = a.data.clamp(min, max);
  const lo = typeof min === 'object' ? min.min : min;
  const hi = typeof min === 'object' ? min.max : max;
  return unary(
    'ClampBackward1',
    a,
    out,
    (g) => {
      let pass = a.data.eq(a.data); // true except NaN
      if (lo !== undefined) pass = pass.logicalAnd(a.data.ge(lo));
      if (hi !== undefined) pass = pass.logicalAnd(a.data.le(hi));
      // PyTorch's clamp_backward selects: where(min ≤ a ≤ max, g, 0), so a blocked gradient is +0
      // (g·0 would give −0 for a negative g, and NaN for an infinite one)
      return whereT(pass, g, 0);
    },
    false,
  );
}

/** A dtype cast; the gradient is cast back. */
export function to(a: Variable, dtype: DType): Variable {
  if (a.dtype === dtype) return a;
  const from = a.dtype;
  return record('ToCopyBackward0', [a], a.data.to(dtype), (g) => [g.to(from)]);
}
