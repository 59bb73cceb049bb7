let enabled = true;

/**
 * Whether operations on Variables currently record a graph for backward.
 *
 * @example
 * ```ts
 * isGradEnabled(); // true
 * noGrad(() => isGradEnabled()); // false
 * ```
 */
export function isGradEnabled(): boolean {
  return enabled;
}

/**
 * Switches graph recording on or off globally (prefer {@link noGrad} and
 * {@link enableGrad}, which restore the previous mode).
 *
 * @example
 * ```ts
 * setGradEnabled(false); // evaluation only from here on
 * ```
 */
export function setGradEnabled(flag: boolean): void {
  enabled = flag;
}

function withMode<T>(flag: boolean, fn: () => T): T {
  const previous = enabled;
  enabled = flag;
  try {
    return fn();
  } finally {
    enabled = previous;
  }
}

/**
 * Runs `fn` without recording a graph, like `with torch.no_grad():`; the
 * previous mode is restored afterwards, also when `fn` throws.
 *
 * @example
 * ```ts
 * const logits = noGrad(() => net.forward(x)); // no graph kept, less memory
 * ```
 */
export function noGrad<T>(fn: () => T): T {
  return withMode(false, fn);
}

/**
 * Runs `fn` with graph recording on, even inside {@link noGrad}, like
 * `with torch.enable_grad():`.
 *
 * @example
 * ```ts
 * noGrad(() => enableGrad(() => x.mul(2))).requiresGrad; // true when x requires grad
 * ```
 */
export function enableGrad<T>(fn: () => T): T {
  return withMode(true, fn);
}
