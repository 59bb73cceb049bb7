import { zeros } from '@opt/tensor';
import { AutogradError } from './errors';
import { noGrad } from './grad-mode';
import type { Variable } from './variable';

/**
 * Options of {@link gradcheck}.
 *
 * @example
 * ```ts
 * gradcheck(f, [x], { eps: 1e-6, atol: 1e-5, rtol: 1e-3 });
 * ```
 */
export interface GradcheckOptions {
  /** Finite-difference step (default 1e-6). */
  eps?: number;
  /** Absolute tolerance (default 1e-5). */
  atol?: number;
  /** Relative tolerance (default 1e-3). */
  rtol?: number;
  /** Throw on a mismatch (default true); false returns `false` instead. */
  raiseException?: boolean;
}

/**
 * Checks the analytic gradients of `fn` against central finite differences,
 * like `torch.autograd.gradcheck`: the full Jacobian of every output element
 * with respect to every element of every input that requires grad. Inputs
 * should be float64 (float32 differences are too coarse). Returns `true`, or
 * throws an {@link AutogradError} naming the input, element and both values.
 *
 * @example
 * ```ts
 * const x = new Variable(randn([3], { dtype: 'float64' }), { requiresGrad: true });
 * gradcheck((v) => v.mul(v).sum(), [x]); // true
 * ```
 */
export function gradcheck(
  fn: (...inputs: Variable[]) => Variable,
  inputs: readonly Variable[],
  options: GradcheckOptions = {},
): boolean {
  const eps = options.eps ?? 1e-6;
  const atol = options.atol ?? 1e-5;
  const rtol = options.rtol ?? 1e-3;
  const fail = (message: string): false => {
    if (options.raiseException ?? true) throw new AutogradError(`gradcheck: ${message}`);
    return false;
  };
  for (const [i, v] of inputs.entries()) {
    if (v.requiresGrad && v.dtype !== 'float64') {
      return fail(
        `input ${i} has dtype ${v.dtype}; gradcheck needs float64 inputs for accurate finite differences`,
      );
    }
  }
  const out = fn(...inputs);
  const m = out.numel;
  // analytic Jacobian rows: one backward per output element
  const analytic = inputs.map((v) => (v.requiresGrad ? new Float64Array(m * v.numel) : null));
  for (let j = 0; j < m; j++) {
    for (const v of inputs) v.grad = null;
    const seed = zeros([...out.shape], { dtype: out.dtype });
    seed.values[j] = 1;
    if (out.requiresGrad) out.backward(seed, { retainGraph: true });
    for (const [i, v] of inputs.entries()) {
      const row = analytic[i];
      if (!row) continue;
      const g = v.grad?.toTypedArray();
      for (let k = 0; k < v.numel; k++) row[j * v.numel + k] = g ? g[k]! : 0;
    }
  }
  for (const v of inputs) v.grad = null;
  // numeric Jacobian columns: central differences, perturbing the data in place
  for (const [i, v] of inputs.entries()) {
    const row = analytic[i];
    if (!row) continue;
    const data = v.data.contiguous();
    if (data !== v.data) return fail(`input ${i} must be contiguous`);
    const values = data.values as Float64Array;
    for (let k = 0; k < v.numel; k++) {
      const at = data.offset + k;
      const keep = values[at]!;
      values[at] = keep + eps;
      const plus = noGrad(() => fn(...inputs)).data.toTypedArray();
      values[at] = keep - eps;
      const minus = noGrad(() => fn(...inputs)).data.toTypedArray();
      values[at] = keep;
      for (let j = 0; j < m; j++) {
        const numeric = (plus[j]! - minus[j]!) / (2 * eps);
        const exact = row[j * v.numel + k]!;
        if (!(Math.abs(numeric - exact) <= atol + rtol * Math.abs(numeric))) {
          return fail(
            `Jacobian mismatch for output ${j} with respect to input ${i}, element ${k}: numerical ${numeric} vs analytical ${exact}`,
          );
        }
      }
    }
  }
  return true;
}
