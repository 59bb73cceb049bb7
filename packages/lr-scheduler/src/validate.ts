import { SchedulerValueError } from './errors';
import type { OptimizerLike } from './optimizer-like';

/** Checks that `optimizer` has an array of groups with numeric `lr`. @internal */
export function assertOptimizer(optimizer: unknown, where: string): asserts optimizer is OptimizerLike {
  const groups = (optimizer as OptimizerLike | null)?.paramGroups;
  if (!Array.isArray(groups)) {
    throw new TypeError(
      `${where}: optimizer must be an object with a paramGroups array, got ${describe(optimizer)}`,
    );
  }
  groups.forEach((g, i) => {
    if (typeof g?.lr !== 'number') {
      throw new TypeError(
        `${where}: optimizer.paramGroups[${i}].lr must be a number, got ${describe(g?.lr)}`,
      );
    }
  });
}

/** Throws a SchedulerValueError unless `ok`. @internal */
export function check(ok: boolean, where: string, name: string, value: unknown, expected: string): void {
  if (!ok) throw new SchedulerValueError(`${where}: ${name} must be ${expected}, got ${describe(value)}`);
}

/** A number or one number per group, expanded to one per group. @internal */
export function formatParam(
  where: string,
  name: string,
  optimizer: OptimizerLike,
  value: number | readonly number[],
): number[] {
  const n = optimizer.paramGroups.length;
  if (Array.isArray(value)) {
    if (value.length !== n) {
      throw new SchedulerValueError(
        `${where}: ${name} must have one value per parameter group (${n}), got ${value.length} values`,
      );
    }
    value.forEach((v, i) => {
      check(typeof v === 'number', where, `${name}[${i}]`, v, 'a number');
    });
    return [...value];
  }
  check(typeof value === 'number', where, name, value, 'a number or an array of numbers');
  return new Array<number>(n).fill(value as number);
}

/** A short description of a value for error messages. @internal */
export function describe(value: unknown): string {
  if (typeof value === 'function') return 'a function';
  if (value === undefined) return 'undefined';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  try {
    const s = JSON.stringify(value);
    return s.length > 80 ? `${s.slice(0, 77)}...` : s;
  } catch {
    return String(value);
  }
}
