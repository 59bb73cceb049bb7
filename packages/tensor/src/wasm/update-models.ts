import type { AdamUpdate, SgdUpdate } from './update-kernels';

// For the tests of the update kernels: an independent scalar model of PyTorch's float32 arithmetic.
// Every operation is rounded to float32 (Math.fround of the double result is the correctly rounded
// float32 result for + − × ÷ √ of float32 operands), in the order torch.optim's single-tensor
// updates apply them.
const f = Math.fround;

/** One element of `torch.optim.SGD`'s update: the new parameter and momentum buffer. */
export function sgdModel(x: number, g: number, b: number, h: SgdUpdate): [number, number] {
  let d = h.maximize ? -g : g;
  if (h.weightDecay !== 0) d = f(d + f(f(h.weightDecay) * x));
  if (h.momentum !== 0) {
    b = h.first ? d : f(f(b * f(h.momentum)) + f(f(1 - h.dampening) * d));
    d = h.nesterov ? f(d + f(f(h.momentum) * b)) : b;
  }
  return [f(x + f(f(-h.lr) * d)), b];
}

/** One element of `torch.optim.Adam`'s update: the new parameter, m, v and max v. */
export function adamModel(
  x: number,
  g: number,
  m: number,
  v: number,
  vmax: number,
  h: AdamUpdate,
): [number, number, number, number] {
  if (h.maximize) g = -g;
  if (h.weightDecay !== 0 && !h.decoupled) g = f(g + f(f(h.weightDecay) * x));
  if (h.weightDecay !== 0 && h.decoupled) x = f(x * f(1 - h.lr * h.weightDecay));
  const w = f(1 - h.beta1);
  m = Math.abs(w) < 0.5 ? f(m + f(w * f(g - m))) : f(g - f(f(g - m) * f(h.beta1)));
  v = f(f(v * f(h.beta2)) + f(f(f(1 - h.beta2) * g) * g));
  let vi = v;
  if (h.amsgrad) vi = vmax = Math.max(vmax, v);
  const denom = f(f(f(Math.sqrt(vi)) / f(Math.sqrt(1 - h.beta2 ** h.step))) + f(h.eps));
  x = f(x + f(f(-h.lr / (1 - h.beta1 ** h.step)) * f(m / denom)));
  return [x, m, v, vmax];
}

/** The first index where `a` and `b` differ in bits, or −1 (a failure reports an index, not two huge arrays). */
export function firstDifference(a: Float32Array, b: Float32Array): number {
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  if (ua.length !== ub.length) return Math.min(ua.length, ub.length);
  for (let i = 0; i < ua.length; i++) if (ua[i] !== ub[i]) return i;
  return -1;
}
