import { fromTypedArray, ShapeError, Tensor } from '@opt/tensor';

/**
 * Stacks a list of samples into a batch, like PyTorch's `default_collate`:
 * tensors of equal shape and dtype are stacked along a new first dimension;
 * numbers become a 1-D tensor (int32 when all are integers, else float32);
 * booleans a 1-D bool tensor;
 * arrays (tuples) and plain objects are collated position by position or
 * key by key; anything else is returned as the list.
 *
 * @example
 * ```ts
 * defaultCollate([[x0, 3], [x1, 7]]); // [stack([x0, x1]), tensor([3, 7], int32)]
 * ```
 */
export function defaultCollate(samples: readonly unknown[]): any {
  if (samples.length === 0) throw new RangeError('defaultCollate: expected at least one sample, got none');
  const first = samples[0];
  if (first instanceof Tensor) return stackTensors(samples as Tensor[]);
  if (typeof first === 'boolean' && samples.every((v) => typeof v === 'boolean')) {
    return fromTypedArray(Uint8Array.from(samples as boolean[], Number), [samples.length], { dtype: 'bool' });
  }
  if (typeof first === 'number' || typeof first === 'boolean') {
    // Booleans mixed with numbers count as 0/1, as torch.tensor([True, 1.5]) does.
    const nums = samples.map((v) => (typeof v === 'boolean' ? Number(v) : (v as number)));
    const ints = nums.every((v) => Number.isInteger(v) && v >= -2147483648 && v <= 2147483647);
    return fromTypedArray(ints ? Int32Array.from(nums) : Float32Array.from(nums), [nums.length], {
      dtype: ints ? 'int32' : 'float32',
    });
  }
  if (Array.isArray(first)) {
    const width = first.length;
    samples.forEach((s, i) => {
      if (!Array.isArray(s) || s.length !== width) {
        throw new ShapeError(`defaultCollate: sample ${i} is not an array of length ${width} like sample 0`);
      }
    });
    const out: unknown[] = [];
    for (let j = 0; j < width; j++) out.push(defaultCollate(samples.map((s) => (s as unknown[])[j])));
    return out;
  }
  if (first !== null && typeof first === 'object' && Object.getPrototypeOf(first) === Object.prototype) {
    const out: Record<string, unknown> = {};
    const keys = Object.keys(first);
    samples.forEach((s, i) => {
      if (s === null || typeof s !== 'object') {
        throw new TypeError(`defaultCollate: sample ${i} is ${String(s)}, expected an object like sample 0`);
      }
      const missing = keys.find((k) => !(k in s));
      if (missing !== undefined) {
        throw new TypeError(
          `defaultCollate: sample ${i} has no key ${JSON.stringify(missing)}, expected the keys of sample 0 (${keys.map((k) => JSON.stringify(k)).join(', ')})`,
        );
      }
    });
    for (const k of keys) out[k] = defaultCollate(samples.map((s) => (s as Record<string, unknown>)[k]));
    return out;
  }
  return [...samples];
}

function stackTensors(ts: readonly Tensor[]): Tensor {
  const t0 = ts[0]!;
  const numel = t0.numel;
  const shape = t0.shape;
  const Ctor = t0.toTypedArray().constructor as new (n: number) => Float32Array;
  const out = new Ctor(ts.length * numel);
  ts.forEach((t, i) => {
    if (
      !(t instanceof Tensor) ||
      t.dtype !== t0.dtype ||
      t.shape.length !== shape.length ||
      t.shape.some((d, k) => d !== shape[k])
    ) {
      throw new ShapeError(
        `defaultCollate: sample ${i} is ${t instanceof Tensor ? `a ${t.dtype} tensor of shape [${t.shape.join(', ')}]` : String(t)}, expected a ${t0.dtype} tensor of shape [${shape.join(', ')}] like sample 0`,
      );
    }
    out.set(t.toTypedArray() as Float32Array, i * numel);
  });
  return fromTypedArray(out, [ts.length, ...shape], { dtype: t0.dtype });
}
