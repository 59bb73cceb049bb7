import { SchedulerStateError } from './errors';
import { describe } from './validate';

/**
 * A scheduler's saved state: plain JSON (numbers, strings, booleans, `null`,
 * arrays and objects). Keys follow PyTorch's `state_dict()` names
 * (`last_epoch`, `base_lrs`, `_step_count`, `_last_lr`, `step_size`, …).
 * Non-finite numbers are stored as the strings `'Infinity'`, `'-Infinity'`
 * and `'NaN'` so that `JSON.stringify` keeps them.
 *
 * @example
 * ```ts
 * const saved: SchedulerState = JSON.parse(JSON.stringify(scheduler.stateDict()));
 * ```
 */
export type SchedulerState = { [key: string]: StateValue };

/**
 * One value inside a {@link SchedulerState}.
 *
 * @example
 * ```ts
 * const value: StateValue = [0.1, 0.01];
 * ```
 */
export type StateValue = number | string | boolean | null | StateValue[] | { [key: string]: StateValue };

/** Encodes a number for JSON (non-finite numbers become strings). @internal */
export function encodeNumber(x: number): number | string {
  if (Number.isFinite(x)) return x;
  return Number.isNaN(x) ? 'NaN' : x > 0 ? 'Infinity' : '-Infinity';
}

/** Decodes what {@link encodeNumber} wrote. @internal */
export function decodeNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (value === 'Infinity') return Number.POSITIVE_INFINITY;
  if (value === '-Infinity') return Number.NEGATIVE_INFINITY;
  if (value === 'NaN') return Number.NaN;
  return undefined;
}

/** Reads a numeric field of a state dict, or throws naming the field. @internal */
export function readNumber(state: SchedulerState, key: string, where: string): number {
  const n = decodeNumber(state[key]);
  if (n === undefined) {
    throw new SchedulerStateError(
      `${where}: ${key} must be a number, got ${JSON.stringify(state[key]) ?? 'undefined'}`,
    );
  }
  return n;
}

/** Reads an optional numeric field (absent or null gives `null`). @internal */
export function readNullableNumber(state: SchedulerState, key: string, where: string): number | null {
  if (state[key] === null || state[key] === undefined) return null;
  return readNumber(state, key, where);
}

/** Reads a numeric array field of a state dict, or throws naming the field. @internal */
export function readNumbers(state: SchedulerState, key: string, where: string, length?: number): number[] {
  const value = state[key];
  const out = Array.isArray(value) ? value.map(decodeNumber) : undefined;
  if (!out || out.some((x) => x === undefined)) {
    throw new SchedulerStateError(
      `${where}: ${key} must be an array of numbers, got ${JSON.stringify(value) ?? 'undefined'}`,
    );
  }
  if (length !== undefined && out.length !== length) {
    throw new SchedulerStateError(
      `${where}: ${key} must have ${length} entries (one per parameter group), got ${out.length}`,
    );
  }
  return out as number[];
}

/** Reads a string field of a state dict, or throws naming the field. @internal */
export function readString(state: SchedulerState, key: string, where: string): string {
  const value = state[key];
  if (typeof value !== 'string') {
    throw new SchedulerStateError(
      `${where}: ${key} must be a string, got ${JSON.stringify(value) ?? 'undefined'}`,
    );
  }
  return value;
}

/** Reads a boolean field of a state dict, or throws naming the field. @internal */
export function readBoolean(state: SchedulerState, key: string, where: string): boolean {
  const value = state[key];
  if (typeof value !== 'boolean') {
    throw new SchedulerStateError(
      `${where}: ${key} must be a boolean, got ${JSON.stringify(value) ?? 'undefined'}`,
    );
  }
  return value;
}

/** Reads a nested state field (an object), or throws naming the field. @internal */
export function readObject(state: SchedulerState, key: string, where: string): SchedulerState {
  const value = state[key];
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new SchedulerStateError(
      `${where}: ${key} must be an object, got ${JSON.stringify(value) ?? 'undefined'}`,
    );
  }
  return value;
}

/** Checks that a state dict is an object. @internal */
export function assertState(state: unknown, where: string): asserts state is SchedulerState {
  if (state === null || typeof state !== 'object' || Array.isArray(state)) {
    throw new SchedulerStateError(`${where}: expected a state object, got ${JSON.stringify(state)}`);
  }
}

/** The `_schedulers` entry of a composite scheduler's state: exactly `count` child states. */
export function readChildStates(state: SchedulerState, where: string, count: number): SchedulerState[] {
  const children = state._schedulers;
  if (!Array.isArray(children) || children.length !== count) {
    throw new SchedulerStateError(
      `${where}: _schedulers must hold ${count} child states, got ${describe(children)}`,
    );
  }
  return children as SchedulerState[];
}
