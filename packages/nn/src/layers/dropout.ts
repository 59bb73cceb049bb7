import type { Variable } from '@opt/autograd';
import type { Generator } from '@opt/tensor';
import * as F from '../functional';
import { Module } from '../module';
import { checkInput, pyFloat } from './util';

/** Options of `Dropout` and `Dropout2d`. */
export interface DropoutOptions {
  /** Generator for the masks (default: the global one, see `manualSeed`). */
  generator?: Generator;
}

function checkP(layer: string, p: number): number {
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
    throw new RangeError(`${layer}: dropout probability p must be in [0, 1], got ${String(p)}`);
  }
  return p;
}

/**
 * In training mode, zeroes each element with probability `p` (masks drawn
 * from the seeded generator) and scales the rest by `1 / (1 − p)`; in
 * evaluation mode, the identity. Like `torch.nn.Dropout`.
 *
 * @example
 * ```ts
 * const drop = new Dropout(0.5);
 * drop.forward(x); // training: about half the entries zeroed, the rest doubled
 * drop.eval().forward(x); // x
 * ```
 */
export class Dropout extends Module {
  /** Probability of zeroing an element. */
  readonly p: number;
  /** The generator masks are drawn from; `undefined` means the global one. */
  generator: Generator | undefined;
  /**
   * @param p probability of zeroing an element (default 0.5).
   * @param options `generator`.
   */
  constructor(p = 0.5, options: DropoutOptions = {}) {
    super();
    this.p = checkP('Dropout', p);
    this.generator = options.generator;
  }
  /**
   * Applies dropout (training) or nothing (evaluation).
   *
   * @example
   * ```ts
   * new Dropout(0.2).forward(x);
   * ```
   */
  override forward(input: Variable): Variable {
    if (!this.training || this.p === 0) return input;
    return F.dropout(input, this.p, input.shape, this.generator);
  }
  override extraRepr(): string {
    return `p=${pyFloat(this.p)}, inplace=False`;
  }
}

/**
 * Zeroes whole channels of `[N, C, H, W]` (or `[C, H, W]`) inputs with
 * probability `p` in training mode, scaling the rest by `1 / (1 − p)`, like
 * `torch.nn.Dropout2d`.
 *
 * @example
 * ```ts
 * new Dropout2d(0.1).forward(featureMaps);
 * ```
 */
export class Dropout2d extends Module {
  /** Probability of zeroing a channel. */
  readonly p: number;
  /** The generator masks are drawn from; `undefined` means the global one. */
  generator: Generator | undefined;
  /**
   * @param p probability of zeroing a channel (default 0.5).
   * @param options `generator`.
   */
  constructor(p = 0.5, options: DropoutOptions = {}) {
    super();
    this.p = checkP('Dropout2d', p);
    this.generator = options.generator;
  }
  /**
   * Applies channel dropout (training) or nothing (evaluation).
   *
   * @example
   * ```ts
   * new Dropout2d(0.5).forward(x);
   * ```
   */
  override forward(input: Variable): Variable {
    checkInput('Dropout2d', input.shape, [3, 4], '[N, C, H, W] or [C, H, W]');
    if (!this.training || this.p === 0) return input;
    const s = input.shape;
    const maskShape = s.length === 4 ? [s[0]!, s[1]!, 1, 1] : [s[0]!, 1, 1];
    return F.dropout(input, this.p, maskShape, this.generator);
  }
  override extraRepr(): string {
    return `p=${pyFloat(this.p)}, inplace=False`;
  }
}
