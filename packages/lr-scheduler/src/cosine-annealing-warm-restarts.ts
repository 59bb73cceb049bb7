import { DEFAULTS } from './defaults';
import { checkGroups, LRScheduler, type SchedulerOptions } from './lr-scheduler';
import type { OptimizerLike } from './optimizer-like';
import { readNumber, type SchedulerState, type StateValue } from './state';
import { check } from './validate';

/**
 * Options of {@link CosineAnnealingWarmRestarts}.
 *
 * @example
 * ```ts
 * const options: CosineAnnealingWarmRestartsOptions = { t0: 10, tMult: 2, etaMin: 1e-5 };
 * ```
 */
export interface CosineAnnealingWarmRestartsOptions extends SchedulerOptions {
  /** Epochs until the first restart (a positive integer). */
  t0: number;
  /** Factor by which the period grows after each restart (an integer ≥ 1). Default 1. */
  tMult?: number;
  /** Minimum learning rate. Default 0. */
  etaMin?: number;
}

/**
 * Cosine annealing with warm restarts (SGDR; PyTorch's
 * `CosineAnnealingWarmRestarts`): `lr = etaMin + (initialLr − etaMin) · (1 + cos(π · tCur / tI)) / 2`,
 * where `tCur` counts epochs since the last restart and the period `tI`
 * starts at `t0` and is multiplied by `tMult` at each restart.
 * `step(epoch)` accepts a fractional epoch, for stepping every batch.
 *
 * @example
 * ```ts
 * const scheduler = new CosineAnnealingWarmRestarts(optimizer, { t0: 10, tMult: 2 });
 * const itersPerEpoch = 20;
 * for (let epoch = 0; epoch < 30; epoch++) {
 *   for (let i = 0; i < itersPerEpoch; i++) {
 *     trainBatch();
 *     scheduler.step(epoch + i / itersPerEpoch);
 *   }
 * }
 * ```
 */
export class CosineAnnealingWarmRestarts extends LRScheduler {
  /** Epochs until the first restart. */
  t0: number;
  /** The current period. */
  tI: number;
  /** Growth factor of the period. */
  tMult: number;
  /** Minimum learning rate. */
  etaMin: number;
  /** Epochs (possibly fractional) since the last restart. */
  tCur: number;

  /**
   * @param optimizer - anything with `paramGroups`.
   * @param options - {@link CosineAnnealingWarmRestartsOptions}.
   */
  constructor(optimizer: OptimizerLike, options: CosineAnnealingWarmRestartsOptions) {
    const d = DEFAULTS.cosineAnnealingWarmRestarts;
    const {
      t0,
      tMult = d.tMult,
      etaMin = d.etaMin,
      lastEpoch = -1,
    } = options ?? ({} as CosineAnnealingWarmRestartsOptions);
    const where = 'CosineAnnealingWarmRestarts';
    check(
      Number.isInteger(t0) && t0 > 0,
      where,
      't0',
      t0,
      'a positive integer (Expected positive integer T_0)',
    );
    check(
      Number.isInteger(tMult) && tMult >= 1,
      where,
      'tMult',
      tMult,
      'an integer >= 1 (Expected integer T_mult >= 1)',
    );
    check(typeof etaMin === 'number', where, 'etaMin', etaMin, 'a number');
    super(optimizer, lastEpoch);
    this.t0 = t0;
    this.tI = t0;
    this.tMult = tMult;
    this.etaMin = etaMin;
    this.tCur = lastEpoch;
    this._initialStep();
  }

  /** `etaMin + (initialLr − etaMin) · (1 + cos(π · tCur / tI)) / 2`. */
  protected getLr(): number[] {
    const c = 1 + Math.cos((Math.PI * this.tCur) / this.tI);
    return this.baseLrs.map((b) => this.etaMin + ((b - this.etaMin) * c) / 2);
  }

  /**
   * Advances one epoch, or jumps to `epoch` (fractional allowed, ≥ 0), and
   * writes the new learning rates.
   *
   * @param epoch - the (possibly fractional) epoch to jump to; omitted: the next epoch.
   */
  override step(epoch?: number): void {
    checkGroups(this, this.baseLrs.length);
    if (epoch === undefined && this.lastEpoch < 0) epoch = 0;
    if (epoch === undefined) {
      epoch = this.lastEpoch + 1;
      this.tCur = this.tCur + 1;
      if (this.tCur >= this.tI) {
        this.tCur = this.tCur % this.tI;
        this.tI = this.tI * this.tMult;
      }
    } else {
      check(
        typeof epoch === 'number' && epoch >= 0,
        'CosineAnnealingWarmRestarts.step',
        'epoch',
        epoch,
        'a non-negative number (Expected non-negative epoch)',
      );
      if (epoch >= this.t0) {
        if (this.tMult === 1) {
          this.tCur = epoch % this.t0;
        } else {
          const n = Math.trunc(Math.log((epoch / this.t0) * (this.tMult - 1) + 1) / Math.log(this.tMult));
          this.tCur = epoch - (this.t0 * (this.tMult ** n - 1)) / (this.tMult - 1);
          this.tI = this.t0 * this.tMult ** n;
        }
      } else {
        this.tI = this.t0;
        this.tCur = epoch;
      }
    }
    this.lastEpoch = Math.floor(epoch);
    this.applyLrs(this.getLr());
  }

  /** `T_0`, `T_i`, `T_mult`, `eta_min` and `T_cur`. */
  protected override extraState(): Record<string, StateValue> {
    return { T_0: this.t0, T_i: this.tI, T_mult: this.tMult, eta_min: this.etaMin, T_cur: this.tCur };
  }

  /** Restores `T_0`, `T_i`, `T_mult`, `eta_min` and `T_cur`. */
  protected override loadExtraState(state: SchedulerState, where: string): void {
    this.t0 = readNumber(state, 'T_0', where);
    this.tI = readNumber(state, 'T_i', where);
    this.tMult = readNumber(state, 'T_mult', where);
    this.etaMin = readNumber(state, 'eta_min', where);
    this.tCur = readNumber(state, 'T_cur', where);
  }
}
