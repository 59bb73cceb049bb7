/**
 * A warning raised by a scheduler. `code` identifies the kind:
 * `'step-before-optimizer'` when `scheduler.step()` runs before the first
 * `optimizer.step()` (PyTorch's UserWarning of the same meaning).
 *
 * @example
 * ```ts
 * setWarningHandler((w: SchedulerWarning) => log.push(w.code));
 * ```
 */
export interface SchedulerWarning {
  /** The kind of warning. */
  code: 'step-before-optimizer';
  /** The class name of the scheduler that warned. */
  scheduler: string;
  /** The human-readable text. */
  message: string;
}

/**
 * A function that receives scheduler warnings.
 *
 * @example
 * ```ts
 * const handler: WarningHandler = (w) => console.warn(w.message);
 * ```
 */
export type WarningHandler = (warning: SchedulerWarning) => void;

const consoleHandler: WarningHandler = (warning) => {
  console.warn(`${warning.scheduler}: ${warning.message}`);
};

let current: WarningHandler | null = consoleHandler;

/**
 * Routes scheduler warnings to `handler` (`null` silences them) and returns
 * the previous handler, so that it can be restored. The default handler is a
 * single `console.warn`.
 *
 * @example
 * ```ts
 * const seen: SchedulerWarning[] = [];
 * const previous = setWarningHandler((w) => seen.push(w));
 * // ... build and step schedulers ...
 * setWarningHandler(previous);
 * ```
 */
export function setWarningHandler(handler: WarningHandler | null): WarningHandler | null {
  const previous = current;
  current = handler;
  return previous;
}

/**
 * Restores the default warning handler (one `console.warn` per warning).
 *
 * @example
 * ```ts
 * resetWarningHandler();
 * ```
 */
export function resetWarningHandler(): void {
  current = consoleHandler;
}

/** Sends a warning to the current handler. @internal */
export function emitWarning(warning: SchedulerWarning): void {
  current?.(warning);
}
