import { type AdamUpdate, type SgdUpdate, UpdateBatch, type UpdateKernels } from './update-kernels';

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
function firstDifference(a: Float32Array, b: Float32Array): number {
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  if (ua.length !== ub.length) return Math.min(ua.length, ub.length);
  for (let i = 0; i < ua.length; i++) if (ua[i] !== ub[i]) return i;
  return -1;
}

/** One operand of a batch of tensors: per tensor its storage and where the tensor starts in it. */
export interface Operand {
  arrays: Float32Array[];
  offsets: number[];
}

/**
 * Runs `kernels.sgd` over tensors of `sizes` (parameter `xs`, gradient `gs`, buffer `bs`) and
 * compares whole storages, bit for bit, with {@link sgdModel}: the elements around each tensor must
 * stay untouched. Returns the differences found ("x of tensor 2 at 37"), none when right.
 */
export function sgdAgainstModel(
  kernels: UpdateKernels,
  sizes: readonly number[],
  [xs, gs, bs]: readonly [Operand, Operand, Operand],
  h: SgdUpdate,
): string[] {
  const expected = xs.arrays.map((xa, t) => {
    const out = { x: Float32Array.from(xa), b: Float32Array.from(bs.arrays[t]!) };
    for (let i = 0; i < sizes[t]!; i++) {
      const k = xs.offsets[t]! + i;
      const [x, b] = sgdModel(
        xa[k]!,
        gs.arrays[t]![gs.offsets[t]! + i]!,
        bs.arrays[t]![bs.offsets[t]! + i]!,
        h,
      );
      out.x[k] = x;
      if (h.momentum !== 0) out.b[bs.offsets[t]! + i] = b;
    }
    return out;
  });
  const batch = new UpdateBatch();
  for (let t = 0; t < sizes.length; t++) {
    batch.add(
      sizes[t]!,
      xs.arrays[t]!,
      xs.offsets[t]!,
      gs.arrays[t]!,
      gs.offsets[t]!,
      bs.arrays[t]!,
      bs.offsets[t]!,
    );
  }
  kernels.sgd(batch, h);
  return differences({ x: xs, b: bs }, expected);
}

/**
 * Runs `kernels.adam` over tensors of `sizes` (parameter, gradient, m, v, max v) and compares whole
 * storages, bit for bit, with {@link adamModel}; max v must stay untouched without AMSGrad. Returns
 * the differences found, none when right.
 */
export function adamAgainstModel(
  kernels: UpdateKernels,
  sizes: readonly number[],
  [xs, gs, ms, vs, maxes]: readonly [Operand, Operand, Operand, Operand, Operand],
  h: AdamUpdate,
): string[] {
  const expected = xs.arrays.map((xa, t) => {
    const out = {
      x: Float32Array.from(xa),
      m: Float32Array.from(ms.arrays[t]!),
      v: Float32Array.from(vs.arrays[t]!),
      vmax: Float32Array.from(maxes.arrays[t]!),
    };
    for (let i = 0; i < sizes[t]!; i++) {
      const at = (o: Operand) => o.offsets[t]! + i;
      const [x, m, v, vmax] = adamModel(
        xa[at(xs)]!,
        gs.arrays[t]![at(gs)]!,
        ms.arrays[t]![at(ms)]!,
        vs.arrays[t]![at(vs)]!,
        maxes.arrays[t]![at(maxes)]!,
        h,
      );
      out.x[at(xs)] = x;
      out.m[at(ms)] = m;
      out.v[at(vs)] = v;
      if (h.amsgrad) out.vmax[at(maxes)] = vmax;
    }
    return out;
  });
  const batch = new UpdateBatch();
  for (let t = 0; t < sizes.length; t++) {
    const args = [
      sizes[t]!,
      xs.arrays[t]!,
      xs.offsets[t]!,
      gs.arrays[t]!,
      gs.offsets[t]!,
      ms.arrays[t]!,
      ms.offsets[t]!,
      vs.arrays[t]!,
      vs.offsets[t]!,
    ] as const;
    if (h.amsgrad) batch.add(...args, maxes.arrays[t]!, maxes.offsets[t]!);
    else batch.add(...args);
  }
  kernels.adam(batch, h);
  return differences({ x: xs, m: ms, v: vs, vmax: maxes }, expected);
}

/** Where each named operand's storages differ from `expected`'s, as "name of tensor t at i". */
function differences(
  actual: Record<string, Operand>,
  expected: readonly Record<string, Float32Array>[],
): string[] {
  const found: string[] = [];
  for (const [name, operand] of Object.entries(actual)) {
    for (let t = 0; t < expected.length; t++) {
      const i = firstDifference(operand.arrays[t]!, expected[t]![name]!);
      if (i >= 0) found.push(`${name} of tensor ${t} at ${i}`);
    }
  }
  return found;
}
