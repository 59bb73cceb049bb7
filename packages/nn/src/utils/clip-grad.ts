import { fromTypedArray, type Tensor } from '@opt/tensor';

/** Anything with a gradient: a `Parameter`, a `Variable`, an optimizer's parameter. */
export interface HasGrad {
  /** The gradient, or `null` when there is none. */
  grad: Tensor | null;
}

function gradsOf(where: string, params: Iterable<HasGrad> | HasGrad): Tensor[] {
  const list: HasGrad[] =
    Symbol.iterator in Object(params) ? [...(params as Iterable<HasGrad>)] : [params as HasGrad];
  const out: Tensor[] = [];
  for (const p of list) {
    if (p.grad === null || p.grad === undefined) continue;
    if (!('toTypedArray' in p.grad)) {
      throw new TypeError(
        `${where}: sparse gradients are not supported; got ${(p.grad as object).constructor.name}`,
      );
    }
    out.push(p.grad);
  }
  return out;
}

function parseNorm(where: string, normType: number | 'inf'): number {
  const p = normType === 'inf' ? Number.POSITIVE_INFINITY : normType;
  if (typeof p !== 'number' || Number.isNaN(p) || p <= 0) {
    throw new RangeError(`${where}: normType must be a positive number or 'inf', got ${String(normType)}`);
  }
  return p;
}

/**
 * Scales the gradients of `params` in place so that their total norm (as
 * if all were concatenated into one vector) is at most `maxNorm`; returns
 * the total norm before clipping. Like `torch.nn.utils.clip_grad_norm_`
 * (same `1e-6` guard in the coefficient). Parameters without a gradient are
 * skipped.
 *
 * @example
 * ```ts
 * loss.backward();
 * utils.clipGradNorm_(net.parameters(), 1.0);
 * optimizer.step();
 * ```
 */
export function clipGradNorm_(
  params: Iterable<HasGrad> | HasGrad,
  maxNorm: number,
  normType: number | 'inf' = 2,
  options: { errorIfNonfinite?: boolean } = {},
): number {
  if (typeof maxNorm !== 'number' || !(maxNorm >= 0)) {
    throw new RangeError(`clipGradNorm_: maxNorm must be a non-negative number, got ${String(maxNorm)}`);
  }
  const p = parseNorm('clipGradNorm_', normType);
  const grads = gradsOf('clipGradNorm_', params);
  if (grads.length === 0) return 0;
  let total = 0;
  for (const g of grads) {
    const v = g.toTypedArray() as ArrayLike<number>;
    if (p === Number.POSITIVE_INFINITY) {
      for (let i = 0; i < v.length; i++) {
        const a = Math.abs(v[i]!);
        if (a > total || Number.isNaN(a)) total = a;
      }
    } else {
      for (let i = 0; i < v.length; i++) total += Math.abs(v[i]!) ** p;
    }
  }
  if (p !== Number.POSITIVE_INFINITY) total **= 1 / p;
  if (options.errorIfNonfinite && !Number.isFinite(total)) {
    throw new RangeError(`clipGradNorm_: the total norm of order ${normType} of the gradients is ${total}`);
  }
  const coef = maxNorm / (total + 1e-6);
  if (coef < 1) for (const g of grads) g.mul_(coef);
  return total;
}

/**
 * Clamps every gradient entry of `params` into `[−clipValue, clipValue]` in
 * place, like `torch.nn.utils.clip_grad_value_`.
 *
 * @example
 * ```ts
 * utils.clipGradValue_(net.parameters(), 0.5);
 * ```
 */
export function clipGradValue_(params: Iterable<HasGrad> | HasGrad, clipValue: number): void {
  if (typeof clipValue !== 'number' || !(clipValue >= 0)) {
    throw new RangeError(`clipGradValue_: clipValue must be a non-negative number, got ${String(clipValue)}`);
  }
  for (const g of gradsOf('clipGradValue_', params)) {
    const v = g.toTypedArray() as Float32Array;
    for (let i = 0; i < v.length; i++) {
      const x = v[i]!;
      v[i] = Math.min(clipValue, Math.max(-clipValue, x));
    }
    g.copy_(fromTypedArray(v, [...g.shape], { dtype: g.dtype }));
  }
}
