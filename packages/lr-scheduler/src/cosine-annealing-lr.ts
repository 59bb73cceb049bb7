import { DEFAULTS } from './defaults';
import { LRScheduler, type SchedulerOptions } from './lr-scheduler';
import type { OptimizerLike } from './optimizer-like';
import { readNumber, type SchedulerState, type StateValue } from './state';
import { check } from './validate';

/**
 * Options of {@link CosineAnnealingLR}.
 *
 * @example
 * ```ts
 * const options: CosineAnnealingLROptions = { tMax: 50, etaMin: 0 };
 * ```
 */
export interface CosineAnnealingLROptions extends SchedulerOptions {
  /** Half period of the cosine, in epochs. */
  tMax: number;
  /** Minimum learning rate. Default 0. */
  etaMin?: number;
}

/**
 * Anneals each group's lr along a cosine from `initialLr` down to `etaMin`
 * over `tMax` epochs, and back up over the next `tMax` (PyTorch's
 * `CosineAnnealingLR`). It uses PyTorch's recursive (chainable) form, so the
 * numbers match PyTorch's to the last bits; left alone it equals
 * `etaMin + (initialLr − etaMin) · (1 + cos(π · epoch / tMax)) / 2`.
 *
 * @example
 * ```ts
 * const scheduler = new CosineAnnealingLR(optimizer, { tMax: 50 });
 * ```
 */
export class CosineAnnealingLR extends LRScheduler {
  /** Half period of the cosine, in epochs. */
  tMax: number;
  /** Minimum learning rate. */
  etaMin: number;

  /**
   * @param optimizer - anything with `paramGroups`.
   * @param options - {@link CosineAnnealingLROptions}.
   */
  constructor(optimizer: OptimizerLike, options: CosineAnnealingLROptions) {
    const {
      tMax,
      etaMin = DEFAULTS.cosineAnnealingLR.etaMin,
      lastEpoch,
    } = options ?? ({} as CosineAnnealingLROptions);
    check(typeof tMax === 'number' && tMax > 0, 'CosineAnnealingLR', 'tMax', tMax, 'a positive number');
    check(typeof etaMin === 'number', 'CosineAnnealingLR', 'etaMin', etaMin, 'a number');
    super(optimizer, lastEpoch);
    this.tMax = tMax;
    this.etaMin = etaMin;
    this._initialStep();
  }

  /** PyTorch's recursive cosine step. */
  protected getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    const { tMax, etaMin, lastEpoch } = this;
    if (this._isInitial) return groups.map((g) => g.lr);
    if (this._stepCount === 1 && lastEpoch > 0) {
      return this.baseLrs.map(
        (b) => etaMin + ((b - etaMin) * (1 + Math.cos((lastEpoch * Math.PI) / tMax))) / 2,
      );
    }
    if (pyMod(lastEpoch - 1 - tMax, 2 * tMax) === 0) {
      return groups.map((g, i) => g.lr + ((this.baseLrs[i]! - etaMin) * (1 - Math.cos(Math.PI / tMax))) / 2);
    }
    return groups.map(
      (g) =>
        ((1 + Math.cos((Math.PI * lastEpoch) / tMax)) / (1 + Math.cos((Math.PI * (lastEpoch - 1)) / tMax))) *
          (g.lr - etaMin) +
        etaMin,
    );
  }

  /** `etaMin + (initialLr − etaMin) · (1 + cos(π · epoch / tMax)) / 2`. */
  protected override closedFormLr(): number[] {
    const c = 1 + Math.cos((Math.PI * this.lastEpoch) / this.tMax);
    return this.baseLrs.map((b) => this.etaMin + ((b - this.etaMin) * c) / 2);
  }

  /** `T_max` and `eta_min`. */
  protected override extraState(): Record<string, StateValue> {
    return { T_max: this.tMax, eta_min: this.etaMin };
  }

  /** Restores `T_max` and `eta_min`. */
  protected override loadExtraState(state: SchedulerState, where: string): void {
    this.tMax = readNumber(state, 'T_max', where);
    this.etaMin = readNumber(state, 'eta_min', where);
  }
}

/** Python's `%` (the result has the sign of the divisor). @internal */
export function pyMod(a: number, b: number): number {
  const r = a % b;
  return r !== 0 && r < 0 !== b < 0 ? r + b : r;
}
