import { OptimizerError } from './errors';
import { pyRepr } from './python-repr';

/** `Invalid learning rate: -1`. */
export function checkLr(lr: unknown): void {
  if (typeof lr !== 'number' || !(lr >= 0)) throw new OptimizerError(`Invalid learning rate: ${pyRepr(lr)}`);
}

/** `Invalid epsilon value: -1`. */
export function checkEps(eps: unknown): void {
  if (typeof eps !== 'number' || !(eps >= 0))
    throw new OptimizerError(`Invalid epsilon value: ${pyRepr(eps)}`);
}

/** `Invalid weight_decay value: -1`. */
export function checkWeightDecay(wd: unknown): void {
  if (typeof wd !== 'number' || !(wd >= 0))
    throw new OptimizerError(`Invalid weight_decay value: ${pyRepr(wd)}`);
}

/** `Invalid momentum value: -1`. */
export function checkMomentum(m: unknown): void {
  if (typeof m !== 'number' || !(m >= 0)) throw new OptimizerError(`Invalid momentum value: ${pyRepr(m)}`);
}

/** `Invalid beta parameter at index 0: 1.0` for betas outside [0, 1). */
export function checkBetas(betas: unknown): void {
  if (!Array.isArray(betas) || betas.length !== 2) {
    throw new OptimizerError(
      `Invalid betas: expected an array of two numbers in [0, 1); got ${pyRepr(betas)}`,
    );
  }
  for (const [i, b] of betas.entries()) {
    if (typeof b !== 'number' || !(b >= 0 && b < 1))
      throw new OptimizerError(`Invalid beta parameter at index ${i}: ${pyRepr(b)}`);
  }
}

/** A value in a closed range, with PyTorch's `Invalid <name> value: <v>` wording. */
export function checkRange(
  name: string,
  v: unknown,
  lo: number,
  hi: number,
  loOpen = false,
  hiOpen = false,
): void {
  const ok = typeof v === 'number' && (loOpen ? v > lo : v >= lo) && (hiOpen ? v < hi : v <= hi);
  if (!ok) throw new OptimizerError(`Invalid ${name} value: ${pyRepr(v)}`);
}

/** A boolean option. */
export function checkBool(name: string, v: unknown): void {
  if (typeof v !== 'boolean')
    throw new OptimizerError(`Invalid ${name} value: ${pyRepr(v)} (expected true or false)`);
}

/** PyTorch's implementation switches: `foreach`/`fused` are null or boolean; `capturable`/`differentiable` boolean. */
export function checkSwitches(group: Record<string, unknown>): void {
  for (const k of ['foreach', 'fused']) {
    const v = group[k];
    if (v !== undefined && v !== null && typeof v !== 'boolean') {
      throw new OptimizerError(`Invalid ${k} value: ${pyRepr(v)} (expected null, true or false)`);
    }
  }
  for (const k of ['capturable', 'differentiable', 'maximize'])
    if (group[k] !== undefined) checkBool(k, group[k]);
  if (group.fused === true && group.foreach === true) {
    throw new OptimizerError('`fused` and `foreach` cannot be `True` together.');
  }
  if (group.differentiable === true) {
    throw new OptimizerError(
      'differentiable=True is not supported: @opt/optim updates parameters outside the autograd graph',
    );
  }
}
