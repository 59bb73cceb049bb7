/**
 * Base class of every error this package throws.
 *
 * @example
 * ```ts
 * try {
 *   new StepLR(optimizer, { stepSize: 0 });
 * } catch (e) {
 *   if (e instanceof SchedulerError) console.error(e.message);
 * }
 * ```
 */
export class SchedulerError extends Error {
  /** The error's class name. */
  override readonly name: string = 'SchedulerError';
}

/**
 * A bad option or argument (PyTorch raises `ValueError` for these). The
 * message names the scheduler, the argument, the value and what was expected.
 *
 * @example
 * ```ts
 * // throws SchedulerValueError: ReduceLROnPlateau: factor must be < 1.0 (Factor should be < 1.0.), got 2
 * new ReduceLROnPlateau(optimizer, { factor: 2 });
 * ```
 */
export class SchedulerValueError extends SchedulerError {
  /** The error's class name. */
  override readonly name: string = 'SchedulerValueError';
}

/**
 * A state that cannot be used: a malformed `stateDict`, or an optimizer whose
 * `paramGroups` changed in a way the scheduler cannot follow.
 *
 * @example
 * ```ts
 * // throws SchedulerStateError: StepLR.loadStateDict: last_epoch must be a number, got undefined
 * scheduler.loadStateDict({});
 * ```
 */
export class SchedulerStateError extends SchedulerError {
  /** The error's class name. */
  override readonly name: string = 'SchedulerStateError';
}
