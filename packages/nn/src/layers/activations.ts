import type { Variable } from '@opt/autograd';
import * as F from '../functional';
import { Module } from '../module';
import { pyFloat } from './util';

/**
 * `max(0, x)` elementwise, like `torch.nn.ReLU`.
 *
 * @example
 * ```ts
 * new ReLU().forward(x);
 * ```
 */
export class ReLU extends Module {
  /**
   * Applies the activation.
   *
   * @example
   * ```ts
   * new ReLU().forward(x);
   * ```
   */
  override forward(input: Variable): Variable {
    return input.relu();
  }
}

/**
 * `x` for `x ≥ 0`, `negativeSlope·x` otherwise, like `torch.nn.LeakyReLU`.
 *
 * @example
 * ```ts
 * new LeakyReLU(0.1).forward(x);
 * ```
 */
export class LeakyReLU extends Module {
  /** Slope for negative inputs. */
  readonly negativeSlope: number;
  /**
   * @param negativeSlope slope for negative inputs (default 0.01).
   */
  constructor(negativeSlope = 0.01) {
    super();
    if (typeof negativeSlope !== 'number' || !Number.isFinite(negativeSlope)) {
      throw new RangeError(`LeakyReLU: negativeSlope must be a finite number, got ${String(negativeSlope)}`);
    }
    this.negativeSlope = negativeSlope;
  }
  /**
   * Applies the activation.
   *
   * @example
   * ```ts
   * new LeakyReLU().forward(x);
   * ```
   */
  override forward(input: Variable): Variable {
    return F.leakyRelu(input, this.negativeSlope);
  }
  override extraRepr(): string {
    return `negative_slope=${pyFloat(this.negativeSlope)}`;
  }
}

/**
 * The Gaussian error linear unit `x·Φ(x)` (exact, with erf), like
 * `torch.nn.GELU()`; `{ approximate: 'tanh' }` uses the tanh formula.
 *
 * @example
 * ```ts
 * new GELU().forward(x);
 * ```
 */
export class GELU extends Module {
  /** `'none'` (exact) or `'tanh'`. */
  readonly approximate: 'none' | 'tanh';
  /**
   * @param options `approximate`: `'none'` (default) or `'tanh'`.
   */
  constructor(options: { approximate?: 'none' | 'tanh' } = {}) {
    super();
    const a = options.approximate ?? 'none';
    if (a !== 'none' && a !== 'tanh') {
      throw new RangeError(`GELU: approximate must be 'none' or 'tanh', got ${String(a)}`);
    }
    this.approximate = a;
  }
  /**
   * Applies the activation.
   *
   * @example
   * ```ts
   * new GELU().forward(x);
   * ```
   */
  override forward(input: Variable): Variable {
    return F.gelu(input, this.approximate);
  }
  override extraRepr(): string {
    return `approximate='${this.approximate}'`;
  }
}

/**
 * `1 / (1 + e^(−x))` elementwise, like `torch.nn.Sigmoid`.
 *
 * @example
 * ```ts
 * new Sigmoid().forward(x);
 * ```
 */
export class Sigmoid extends Module {
  /**
   * Applies the activation.
   *
   * @example
   * ```ts
   * new Sigmoid().forward(x);
   * ```
   */
  override forward(input: Variable): Variable {
    return input.sigmoid();
  }
}

/**
 * `tanh(x)` elementwise, like `torch.nn.Tanh`.
 *
 * @example
 * ```ts
 * new Tanh().forward(x);
 * ```
 */
export class Tanh extends Module {
  /**
   * Applies the activation.
   *
   * @example
   * ```ts
   * new Tanh().forward(x);
   * ```
   */
  override forward(input: Variable): Variable {
    return input.tanh();
  }
}

function checkDim(layer: string, dim: number): number {
  if (!Number.isInteger(dim)) throw new RangeError(`${layer}: dim must be an integer, got ${String(dim)}`);
  return dim;
}

/**
 * Softmax along `dim`, like `torch.nn.Softmax(dim)`.
 *
 * @example
 * ```ts
 * new Softmax(1).forward(logits); // rows sum to 1
 * ```
 */
export class Softmax extends Module {
  /** The dimension that sums to one. */
  readonly dim: number;
  /**
   * @param dim the dimension that sums to one.
   */
  constructor(dim: number) {
    super();
    this.dim = checkDim('Softmax', dim);
  }
  /**
   * Applies the softmax.
   *
   * @example
   * ```ts
   * new Softmax(-1).forward(x);
   * ```
   */
  override forward(input: Variable): Variable {
    return F.softmax(input, this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/**
 * Log-softmax along `dim`, like `torch.nn.LogSoftmax(dim)`.
 *
 * @example
 * ```ts
 * new LogSoftmax(1).forward(logits);
 * ```
 */
export class LogSoftmax extends Module {
  /** The dimension normalised over. */
  readonly dim: number;
  /**
   * @param dim the dimension normalised over.
   */
  constructor(dim: number) {
    super();
    this.dim = checkDim('LogSoftmax', dim);
  }
  /**
   * Applies the log-softmax.
   *
   * @example
   * ```ts
   * new LogSoftmax(1).forward(x);
   * ```
   */
  override forward(input: Variable): Variable {
    return F.logSoftmax(input, this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/**
 * Returns its input unchanged, like `torch.nn.Identity` (a placeholder).
 *
 * @example
 * ```ts
 * net.head = new Identity();
 * ```
 */
export class Identity extends Module {
  /**
   * Returns `input`.
   *
   * @example
   * ```ts
   * new Identity().forward(x) === x; // true
   * ```
   */
  override forward<T>(input: T): T {
    return input;
  }
}

/**
 * Flattens dimensions `startDim … endDim` into one, like `torch.nn.Flatten`
 * (default: everything but the batch dimension).
 *
 * @example
 * ```ts
 * new Flatten().forward(x); // [N, 16, 5, 5] → [N, 400]
 * ```
 */
export class Flatten extends Module {
  /** First dimension to flatten. */
  readonly startDim: number;
  /** Last dimension to flatten. */
  readonly endDim: number;
  /**
   * @param options `startDim` (default 1), `endDim` (default −1).
   */
  constructor(options: { startDim?: number; endDim?: number } = {}) {
    super();
    this.startDim = checkDim('Flatten', options.startDim ?? 1);
    this.endDim = checkDim('Flatten', options.endDim ?? -1);
  }
  /**
   * Flattens the input.
   *
   * @example
   * ```ts
   * new Flatten().forward(x);
   * ```
   */
  override forward(input: Variable): Variable {
    return F.flatten(input, this.startDim, this.endDim);
  }
  override extraRepr(): string {
    return `start_dim=${this.startDim}, end_dim=${this.endDim}`;
  }
}
