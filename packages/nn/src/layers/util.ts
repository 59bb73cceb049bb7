import { zeros } from '@opt/tensor';
import { formatShape, NnInputError } from '../errors';
import { Parameter } from '../parameter';

/** A parameter of the given shape (zeros until an init fills it). */
export function emptyParam(shape: number[]): Parameter {
  return new Parameter(zeros(shape));
}

/** Checks a positive integer constructor argument. */
export function positiveInt(layer: string, name: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) {
    throw new RangeError(`${layer}: ${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

/** Checks a non-negative integer constructor argument. */
export function nonNegativeInt(layer: string, name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(`${layer}: ${name} must be a non-negative integer, got ${String(value)}`);
  }
  return value;
}

/** Expands `k` or `[kh, kw]` into a checked pair. */
export function pair(
  layer: string,
  name: string,
  value: number | readonly number[],
  min: number,
): [number, number] {
  const v = typeof value === 'number' ? [value, value] : value;
  if (v.length !== 2 || !v.every((x) => Number.isInteger(x) && x >= min)) {
    throw new RangeError(
      `${layer}: ${name} must be an integer ≥ ${min} or a pair of them, got ${JSON.stringify(value)}`,
    );
  }
  return [v[0]!, v[1]!];
}

/** PyTorch's tuple formatting: `(5, 5)`, `(4,)`. */
export function tuple(values: readonly number[]): string {
  return values.length === 1 ? `(${values[0]},)` : `(${values.join(', ')})`;
}

/** PyTorch's number formatting in reprs (`0.1`, `1e-05`). */
export function pyFloat(x: number): string {
  if (Number.isInteger(x)) return `${x}.0`;
  const s = String(x);
  const m = /^(-?[\d.]+)e([+-])(\d+)$/.exec(s);
  if (m) return `${m[1]}e${m[2]}${m[3]!.padStart(2, '0')}`;
  if (Math.abs(x) < 1e-4) {
    const [mant, exp] = x.toExponential().split('e');
    return `${mant}e${exp![0]}${exp!.slice(1).padStart(2, '0')}`;
  }
  return s;
}

/** Checks the rank of a layer's input and, optionally, the size of one dimension. */
export function checkInput(
  layer: string,
  shape: readonly number[],
  ranks: readonly number[],
  expected: string,
  dim?: number,
  size?: number,
): void {
  const rankOk = ranks.includes(shape.length);
  const dimOk = dim === undefined || shape[dim] === size;
  if (!rankOk || !dimOk)
    throw new NnInputError(`${layer}: expected input ${expected}, got ${formatShape(shape)}`);
}
