import { InvalidArgumentError } from 'commander';

/** A commander parser for a number within bounds (message names the expectation). */
export function num(
  opts: { min?: number; max?: number; minOpen?: boolean; maxOpen?: boolean; integer?: boolean } = {},
) {
  return (value: string): number => {
    const v = Number(value);
    const kind = opts.integer ? 'an integer' : 'a number';
    const what =
      opts.min !== undefined && opts.max !== undefined
        ? `${kind} in ${opts.minOpen ? '(' : '['}${opts.min}, ${opts.max}${opts.maxOpen ? ')' : ']'}`
        : opts.min !== undefined
          ? `${kind} ${opts.minOpen ? '>' : '≥'} ${opts.min}`
          : opts.max !== undefined
            ? `${kind} ${opts.maxOpen ? '<' : '≤'} ${opts.max}`
            : kind;
    const bad =
      value.trim() === '' ||
      !Number.isFinite(v) ||
      (opts.integer && !Number.isInteger(v)) ||
      (opts.min !== undefined && (opts.minOpen ? v <= opts.min : v < opts.min)) ||
      (opts.max !== undefined && (opts.maxOpen ? v >= opts.max : v > opts.max));
    if (bad) throw new InvalidArgumentError(`expected ${what}.`);
    return v;
  };
}

/** A commander parser for a comma-separated list of numbers, each checked by `each`. */
export function numList(each: (v: string) => number) {
  return (value: string): number[] => value.split(',').map((s) => each(s.trim()));
}

/** Learning rates: positive numbers. */
export const lrParser = num({ min: 0, minOpen: true });
/** β / momentum: in [0, 1). */
export const betaParser = num({ min: 0, max: 1, maxOpen: true });
/** Positive integers. */
export const countParser = num({ min: 1, integer: true });
