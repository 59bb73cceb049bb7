import { DEFAULTS } from './defaults';
import { SchedulerStateError } from './errors';
import { encodeState } from './lr-scheduler';
import type { OptimizerLike } from './optimizer-like';
import {
  assertState,
  readNullableNumber,
  readNumber,
  readNumbers,
  readString,
  type SchedulerState,
} from './state';
import { assertOptimizer, check, describe } from './validate';

/**
 * Options of {@link ReduceLROnPlateau}.
 *
 * @example
 * ```ts
 * const options: ReduceLROnPlateauOptions = { factor: 0.1, patience: 10, cooldown: 10, minLr: 1e-4 };
 * ```
 */
export interface ReduceLROnPlateauOptions {
  /** `'min'`: reduce when the metric stops decreasing; `'max'`: when it stops increasing. Default `'min'`. */
  mode?: 'min' | 'max';
  /** `newLr = lr · factor`, with `0 ≤ factor < 1`. Default 0.1. */
  factor?: number;
  /** Epochs without improvement tolerated before reducing. Default 10. */
  patience?: number;
  /** Minimum change that counts as an improvement. Default 1e-4. */
  threshold?: number;
  /** `'rel'`: relative to the best value; `'abs'`: absolute. Default `'rel'`. */
  thresholdMode?: 'rel' | 'abs';
  /** Epochs to wait after a reduction before counting bad epochs again. Default 0. */
  cooldown?: number;
  /** Lower bound of the lr, one value or one per group. Default 0. */
  minLr?: number | number[];
  /** Reductions smaller than `eps` are skipped. Default 1e-8. */
  eps?: number;
}

/**
 * A metric value: a number, or anything with `item()` (a 0-d tensor).
 *
 * @example
 * ```ts
 * const metric: Metric = 0.42;
 * ```
 */
export type Metric =
  | number
  | {
      /** The value as a number. */
      item(): number;
    };

/**
 * Reduces each group's lr by `factor` when a metric has stopped improving
 * for `patience` epochs (PyTorch's `ReduceLROnPlateau`). Call
 * `step(metric)` once per epoch with the validation loss (or accuracy in
 * `'max'` mode).
 *
 * Groups added to the optimizer later: with a single `minLr` they are
 * included (as in PyTorch 2.x); with one `minLr` per group a reduction
 * throws a {@link SchedulerStateError}.
 *
 * @example
 * ```ts
 * const scheduler = new ReduceLROnPlateau(optimizer, { factor: 0.1, patience: 10, cooldown: 10, minLr: 1e-4 });
 * for (let epoch = 0; epoch < 200; epoch++) {
 *   train();
 *   scheduler.step(validationLoss());
 * }
 * ```
 */
export class ReduceLROnPlateau {
  /** The optimizer whose groups this scheduler drives. */
  readonly optimizer: OptimizerLike;
  /** Reduction factor. */
  factor: number;
  /** Lower bound of each group's lr. */
  minLrs: number[];
  /** The single `minLr` given, or `null` when one per group was given. */
  defaultMinLr: number | null;
  /** Epochs without improvement tolerated. */
  patience: number;
  /** Cooldown length after a reduction. */
  cooldown: number;
  /** Remaining cooldown epochs. */
  cooldownCounter = 0;
  /** `'min'` or `'max'`. */
  mode: 'min' | 'max';
  /** Improvement threshold. */
  threshold: number;
  /** `'rel'` or `'abs'`. */
  thresholdMode: 'rel' | 'abs';
  /** The best metric seen (±Infinity before the first step). */
  best: number;
  /** Consecutive epochs without improvement. */
  numBadEpochs = 0;
  /** Minimal effective reduction. */
  eps: number;
  /** Number of `step(metric)` calls. */
  lastEpoch = 0;
  private lastLr: number[];

  /**
   * @param optimizer - anything with `paramGroups`.
   * @param options - {@link ReduceLROnPlateauOptions}.
   */
  constructor(optimizer: OptimizerLike, options: ReduceLROnPlateauOptions = {}) {
    const d = DEFAULTS.reduceLROnPlateau;
    const where = 'ReduceLROnPlateau';
    const factor = options.factor ?? d.factor;
    check(
      typeof factor === 'number' && factor >= 0 && factor < 1,
      where,
      'factor',
      factor,
      '>= 0 and < 1.0 (Factor should be < 1.0.)',
    );
    assertOptimizer(optimizer, where);
    this.optimizer = optimizer;
    this.factor = factor;
    const minLr = options.minLr ?? d.minLr;
    const n = optimizer.paramGroups.length;
    if (Array.isArray(minLr)) {
      check(
        minLr.length === n,
        where,
        'minLr',
        minLr,
        `an array of ${n} values (expected ${n} min_lrs, got ${minLr.length})`,
      );
      minLr.forEach((m, i) => {
        check(typeof m === 'number', where, `minLr[${i}]`, m, 'a number');
      });
      this.minLrs = [...minLr];
      this.defaultMinLr = null;
    } else {
      check(typeof minLr === 'number', where, 'minLr', minLr, 'a number or an array of numbers');
      this.minLrs = new Array<number>(n).fill(minLr);
      this.defaultMinLr = minLr;
    }
    const patience = options.patience ?? d.patience;
    const cooldown = options.cooldown ?? d.cooldown;
    check(Number.isInteger(patience) && patience >= 0, where, 'patience', patience, 'a non-negative integer');
    check(Number.isInteger(cooldown) && cooldown >= 0, where, 'cooldown', cooldown, 'a non-negative integer');
    const mode = options.mode ?? (d.mode as 'min' | 'max');
    const thresholdMode = options.thresholdMode ?? (d.thresholdMode as 'rel' | 'abs');
    check(mode === 'min' || mode === 'max', where, 'mode', mode, "'min' or 'max' (mode is unknown!)");
    check(
      thresholdMode === 'rel' || thresholdMode === 'abs',
      where,
      'thresholdMode',
      thresholdMode,
      "'rel' or 'abs' (threshold mode is unknown!)",
    );
    const threshold = options.threshold ?? d.threshold;
    const eps = options.eps ?? d.eps;
    check(typeof threshold === 'number', where, 'threshold', threshold, 'a number');
    check(typeof eps === 'number', where, 'eps', eps, 'a number');
    this.patience = patience;
    this.cooldown = cooldown;
    this.mode = mode;
    this.threshold = threshold;
    this.thresholdMode = thresholdMode;
    this.eps = eps;
    this.best = this.modeWorse;
    this.lastLr = optimizer.paramGroups.map((g) => g.lr);
  }

  /** The worst value for the mode: `Infinity` for `'min'`, `-Infinity` for `'max'`. */
  get modeWorse(): number {
    return this.mode === 'min' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  }

  /** Whether a cooldown is running. */
  get inCooldown(): boolean {
    return this.cooldownCounter > 0;
  }

  /** Whether `a` improves on `best` by more than the threshold. */
  isBetter(a: number, best: number): boolean {
    if (this.mode === 'min' && this.thresholdMode === 'rel') return a < best * (1.0 - this.threshold);
    if (this.mode === 'min') return a < best - this.threshold;
    if (this.thresholdMode === 'rel') return a > best * (this.threshold + 1.0);
    return a > best + this.threshold;
  }

  /**
   * Records one epoch's metric and reduces the lr if it has not improved for
   * more than `patience` epochs.
   *
   * @param metric - the monitored value (a number or anything with `item()`).
   */
  step(metric: Metric): void {
    const current = typeof metric === 'number' ? metric : (metric as { item?: () => number })?.item?.();
    check(
      typeof current === 'number',
      'ReduceLROnPlateau.step',
      'metric',
      metric,
      'a number or an object with item()',
    );
    const value = current as number;
    this.lastEpoch += 1;
    if (this.isBetter(value, this.best)) {
      this.best = value;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs += 1;
    }
    if (this.inCooldown) {
      this.cooldownCounter -= 1;
      this.numBadEpochs = 0;
    }
    if (this.numBadEpochs > this.patience) {
      this.reduceLr();
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  private reduceLr(): void {
    const groups = this.optimizer.paramGroups;
    if (groups.length !== this.minLrs.length) {
      if (this.defaultMinLr === null) {
        throw new SchedulerStateError(
          `ReduceLROnPlateau.step(): optimizer.paramGroups has ${groups.length} groups but minLr was given for ${this.minLrs.length}; ` +
            'a group was added after construction: set scheduler.minLrs to one value per group',
        );
      }
      this.minLrs = new Array<number>(groups.length).fill(this.defaultMinLr);
    }
    groups.forEach((group, i) => {
      const oldLr = group.lr;
      const newLr = Math.max(oldLr * this.factor, this.minLrs[i]!);
      if (oldLr - newLr > this.eps) group.lr = newLr;
    });
  }

  /** The learning rate of each group after the last step (a copy). */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /** The state as plain JSON with PyTorch's keys (`best` may be `'Infinity'`). */
  stateDict(): SchedulerState {
    return encodeState({
      factor: this.factor,
      min_lrs: this.minLrs,
      default_min_lr: this.defaultMinLr,
      patience: this.patience,
      cooldown: this.cooldown,
      cooldown_counter: this.cooldownCounter,
      mode: this.mode,
      threshold: this.threshold,
      threshold_mode: this.thresholdMode,
      best: this.best,
      num_bad_epochs: this.numBadEpochs,
      mode_worse: this.modeWorse,
      eps: this.eps,
      last_epoch: this.lastEpoch,
      _last_lr: this.lastLr,
    });
  }

  /**
   * Restores what {@link ReduceLROnPlateau.stateDict} returned, and writes
   * the saved learning rates back into the optimizer's groups.
   */
  loadStateDict(state: SchedulerState): void {
    const where = 'ReduceLROnPlateau.loadStateDict';
    assertState(state, where);
    const n = this.optimizer.paramGroups.length;
    const mode = readString(state, 'mode', where);
    const thresholdMode = readString(state, 'threshold_mode', where);
    if ((mode !== 'min' && mode !== 'max') || (thresholdMode !== 'rel' && thresholdMode !== 'abs')) {
      throw new SchedulerStateError(
        `${where}: mode/threshold_mode not understood: ${describe([mode, thresholdMode])}`,
      );
    }
    const lastLr = readNumbers(state, '_last_lr', where, n);
    this.factor = readNumber(state, 'factor', where);
    this.minLrs = readNumbers(state, 'min_lrs', where);
    this.defaultMinLr = readNullableNumber(state, 'default_min_lr', where);
    this.patience = readNumber(state, 'patience', where);
    this.cooldown = readNumber(state, 'cooldown', where);
    this.cooldownCounter = readNumber(state, 'cooldown_counter', where);
    this.mode = mode;
    this.threshold = readNumber(state, 'threshold', where);
    this.thresholdMode = thresholdMode;
    this.best = readNumber(state, 'best', where);
    this.numBadEpochs = readNumber(state, 'num_bad_epochs', where);
    this.eps = readNumber(state, 'eps', where);
    this.lastEpoch = readNumber(state, 'last_epoch', where);
    this.lastLr = lastLr;
    this.optimizer.paramGroups.forEach((g, i) => {
      g.lr = lastLr[i]!;
    });
  }
}
