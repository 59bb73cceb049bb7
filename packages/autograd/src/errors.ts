import { OptError } from '@opt/tensor';

/**
 * An error of the autograd engine: a backward pass that cannot run (a freed
 * graph, a tensor modified in place, a non-scalar output without a gradient)
 * or an op given inputs it cannot differentiate.
 *
 * @example
 * ```ts
 * try { y.backward(); } catch (e) { if (e instanceof AutogradError) console.error(e.message); }
 * ```
 */
export class AutogradError extends OptError {}
