import { OptError } from '@opt/tensor';

/**
 * A bad optimizer argument, parameter group or state dict. The message is
 * PyTorch's where PyTorch has one (`Invalid learning rate: -1`).
 *
 * @example
 * ```ts
 * try { new SGD(params, { lr: -1 }); } catch (e) { e instanceof OptimizerError; } // true
 * ```
 */
export class OptimizerError extends OptError {}
