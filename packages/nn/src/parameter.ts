import { Variable } from '@opt/autograd';
import type { Tensor } from '@opt/tensor';

/**
 * A learnable tensor of a `Module`: a `Variable` whose `requiresGrad` is true
 * by default. Assigning one as a field of a module registers it.
 *
 * @example
 * ```ts
 * class Scale extends Module {
 *   w = new Parameter(ones([3]));
 *   forward(x: Variable) { return x.mul(this.w); }
 * }
 * ```
 */
export class Parameter extends Variable {
  /**
   * @param data the tensor to learn (kept, not copied).
   * @param options `requiresGrad` (default true).
   */
  constructor(data: Tensor, options: { requiresGrad?: boolean } = {}) {
    super(data, { requiresGrad: options.requiresGrad ?? true });
  }
}
