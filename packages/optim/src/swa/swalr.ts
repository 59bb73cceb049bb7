import { OptimizerError } from '../errors';
import { pyRepr } from '../python-repr';

/** What SWALR drives: anything with parameter groups that carry `lr`. */
export interface SwaOptimizerLike {
  paramGroups: { lr: number; [key: string]: unknown }[];
}

/**
 * Options of {@link SWALR}.
 *
 * @example
 * ```ts
 * const o: SWALROptions = { swaLr: 0.05, annealEpochs: 5, annealStrategy: 'cos' };
 * ```
 */
export interface SWALROptions {
  /** The learning rate(s) to anneal to: one, or one per group. */
  swaLr: number | number[];
  /** Epochs of the annealing (default 10). */
  annealEpochs?: number;
  /** `'cos'` (default) or `'linear'`. */
  annealStrategy?: 'cos' | 'linear';
  /** The epoch to resume from (default −1: a fresh start). */
  lastEpoch?: number;
}

/**
 * The SWA learning-rate schedule, like `torch.optim.swa_utils.SWALR`:
 * anneals each group's lr to `swaLr` over `annealEpochs` (cosine or
 * linear), then holds it. Steps per epoch; like every scheduler it only
 * needs `paramGroups`.
 *
 * @example
 * ```ts
 * const swaScheduler = new SWALR(optimizer, { swaLr: 0.05, annealEpochs: 5 });
 * swaScheduler.step(); swaScheduler.getLastLr();
 * ```
 */
export class SWALR {
  /** The optimizer whose groups are driven. */
  readonly optimizer: SwaOptimizerLike;
  /** Annealing epochs. */
  readonly annealEpochs: number;
  /** Annealing shape. */
  readonly annealStrategy: 'cos' | 'linear';
  /** Epoch counter (PyTorch's `last_epoch`). */
  lastEpoch: number;
  /** Number of `step()` calls, the constructor's included (PyTorch's `_step_count`). */
  stepCount = 0;
  #lastLr: number[] = [];

  /**
   * @param optimizer the optimizer (its groups get `swaLr` and `initialLr`).
   * @param options `swaLr`, `annealEpochs`, `annealStrategy`.
   */
  constructor(optimizer: SwaOptimizerLike, options: SWALROptions) {
    const groups = optimizer.paramGroups;
    const swaLrs = Array.isArray(options.swaLr) ? options.swaLr : groups.map(() => options.swaLr as number);
    if (swaLrs.length !== groups.length) {
      throw new OptimizerError(
        `swa_lr must have the same length as optimizer.param_groups: swa_lr has ${swaLrs.length}, optimizer.param_groups has ${groups.length}`,
      );
    }
    const annealEpochs = options.annealEpochs ?? 10;
    if (!Number.isInteger(annealEpochs) || annealEpochs < 0) {
      throw new OptimizerError(`anneal_epochs must be equal or greater than 0, got ${pyRepr(annealEpochs)}`);
    }
    const strategy = options.annealStrategy ?? 'cos';
    if (strategy !== 'cos' && strategy !== 'linear') {
      throw new OptimizerError(
        `anneal_strategy must by one of 'cos' or 'linear', instead got ${pyRepr(strategy)}`,
      );
    }
    groups.forEach((g, i) => {
      g.swaLr = swaLrs[i];
      if (g.initialLr === undefined) g.initialLr = g.lr;
    });
    this.optimizer = optimizer;
    this.annealEpochs = annealEpochs;
    this.annealStrategy = strategy;
    this.lastEpoch = options.lastEpoch ?? -1;
    this.step();
  }

  #anneal(t: number): number {
    return this.annealStrategy === 'cos' ? (1 - Math.cos(Math.PI * t)) / 2 : t;
  }

  /**
   * Advances one epoch and sets every group's lr.
   *
   * lr = swaLr·α(t) + lr_prev·(1 − α(t)) with t = step/annealEpochs clamped to
   * [0, 1], where lr_prev is recovered from the current lr and α(t_prev).
   *
   * @example
   * ```ts
   * swaScheduler.step();
   * ```
   */
  step(): void {
    this.stepCount++;
    this.lastEpoch++;
    let step = this.stepCount - 1;
    if (this.annealEpochs === 0) step = Math.max(1, step);
    const prevT = Math.max(0, Math.min(1, (step - 1) / Math.max(1, this.annealEpochs)));
    const prevAlpha = this.#anneal(prevT);
    const t = Math.max(0, Math.min(1, step / Math.max(1, this.annealEpochs)));
    const alpha = this.#anneal(t);
    this.#lastLr = this.optimizer.paramGroups.map((g) => {
      const swaLr = g.swaLr as number;
      const prev = prevAlpha === 1 ? swaLr : (g.lr - prevAlpha * swaLr) / (1 - prevAlpha);
      const lr = swaLr * alpha + prev * (1 - alpha);
      g.lr = lr;
      return lr;
    });
  }

  /**
   * The lr of every group after the last `step()`.
   *
   * @example
   * ```ts
   * swaScheduler.getLastLr(); // [0.05]
   * ```
   */
  getLastLr(): number[] {
    return [...this.#lastLr];
  }

  /**
   * Plain-data state (PyTorch's keys).
   *
   * @example
   * ```ts
   * const sd = swaScheduler.stateDict();
   * ```
   */
  stateDict(): Record<string, unknown> {
    return {
      anneal_epochs: this.annealEpochs,
      anneal_strategy: this.annealStrategy,
      last_epoch: this.lastEpoch,
      _step_count: this.stepCount,
      _last_lr: [...this.#lastLr],
    };
  }

  /**
   * Restores {@link SWALR.stateDict}.
   *
   * @example
   * ```ts
   * swaScheduler.loadStateDict(sd);
   * ```
   */
  loadStateDict(sd: Record<string, unknown>): void {
    if (typeof sd.last_epoch !== 'number' || typeof sd._step_count !== 'number') {
      throw new OptimizerError('SWALR.loadStateDict: expected last_epoch and _step_count numbers');
    }
    this.lastEpoch = sd.last_epoch;
    this.stepCount = sd._step_count;
    this.#lastLr = Array.isArray(sd._last_lr) ? [...(sd._last_lr as number[])] : this.#lastLr;
  }
}
