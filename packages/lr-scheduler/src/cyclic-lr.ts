import { DEFAULTS } from './defaults';
import { LRScheduler, type SchedulerOptions } from './lr-scheduler';
import { detectBeta1, setMomentum } from './momentum';
import type { OptimizerLike } from './optimizer-like';
import {
  readBoolean,
  readNumber,
  readNumbers,
  readString,
  type SchedulerState,
  type StateValue,
} from './state';
import { check, formatParam } from './validate';

/**
 * The built-in policies of {@link CyclicLR}.
 *
 * @example
 * ```ts
 * const mode: CyclicMode = 'triangular2';
 * ```
 */
export type CyclicMode = 'triangular' | 'triangular2' | 'exp_range';

/**
 * Options of {@link CyclicLR}.
 *
 * @example
 * ```ts
 * const options: CyclicLROptions = { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 2000, mode: 'triangular2' };
 * ```
 */
export interface CyclicLROptions extends SchedulerOptions {
  /** Lower boundary of the cycle, one value or one per group. */
  baseLr: number | number[];
  /** Upper boundary of the cycle, one value or one per group. */
  maxLr: number | number[];
  /** Iterations in the increasing half of a cycle. Default 2000. */
  stepSizeUp?: number;
  /** Iterations in the decreasing half of a cycle. Default `stepSizeUp`. */
  stepSizeDown?: number;
  /** `'triangular'`, `'triangular2'` or `'exp_range'`; ignored when `scaleFn` is given. Default `'triangular'`. */
  mode?: CyclicMode;
  /** Constant of `'exp_range'`: the amplitude scales by `gamma^iterations`. Default 1. */
  gamma?: number;
  /** Custom amplitude scaling, `0 ≤ scaleFn(x) ≤ 1`; replaces `mode`. Not saved by `stateDict()`. */
  scaleFn?: (x: number) => number;
  /** Whether `scaleFn` gets the cycle number or the iteration count. Default `'cycle'`. */
  scaleMode?: 'cycle' | 'iterations';
  /** Cycle momentum (or `betas[0]`) inversely to the lr. Default true. */
  cycleMomentum?: boolean;
  /** Lower momentum boundary, one value or one per group. Default 0.8. */
  baseMomentum?: number | number[];
  /** Upper momentum boundary, one value or one per group. Default 0.9. */
  maxMomentum?: number | number[];
}

const scaleFns: Record<CyclicMode, (gamma: number) => (x: number) => number> = {
  triangular: () => () => 1.0,
  triangular2: () => (x) => 1 / 2.0 ** (x - 1),
  exp_range: (gamma) => (x) => gamma ** x,
};

/**
 * Cyclical learning rates (PyTorch's `CyclicLR`, after Smith 2015): each
 * group's lr cycles between `baseLr` and `maxLr`, one step per batch, and
 * momentum (or `betas[0]` for Adam-like optimizers) cycles inversely between
 * `maxMomentum` and `baseMomentum`.
 *
 * Unlike PyTorch 1.13 (whose state dict holds a bound method),
 * `stateDict()` is plain JSON; a custom `scaleFn` is restored by
 * constructing again with it, then loading.
 *
 * @example
 * ```ts
 * const scheduler = new CyclicLR(optimizer, { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 4, mode: 'triangular2' });
 * for (const batch of batches) {
 *   trainBatch(batch);
 *   scheduler.step();
 * }
 * ```
 */
export class CyclicLR extends LRScheduler {
  /** Upper lr boundary of each group. */
  maxLrs: number[];
  /** Iterations per cycle. */
  totalSize: number;
  /** Fraction of a cycle spent increasing. */
  stepRatio: number;
  /** The built-in policy. */
  mode: CyclicMode;
  /** Constant of `'exp_range'`. */
  gamma: number;
  /** Whether the scale function gets the cycle number or the iteration count. */
  scaleMode: 'cycle' | 'iterations';
  /** Whether momentum is cycled. */
  cycleMomentum: boolean;
  /** Whether momentum lives in `betas[0]` rather than `momentum`. */
  useBeta1: boolean;
  /** Lower momentum boundary of each group. */
  baseMomentums: number[];
  /** Upper momentum boundary of each group. */
  maxMomentums: number[];
  private readonly scaleFnCustom: ((x: number) => number) | undefined;
  private scaleFnBuiltin: (x: number) => number;

  /**
   * @param optimizer - anything with `paramGroups` (with `momentum` or `betas` when `cycleMomentum`).
   * @param options - {@link CyclicLROptions}.
   */
  constructor(optimizer: OptimizerLike, options: CyclicLROptions) {
    const d = DEFAULTS.cyclicLR;
    const o = options ?? ({} as CyclicLROptions);
    const where = 'CyclicLR';
    const lastEpoch = o.lastEpoch ?? -1;
    const baseLrs = formatParam(where, 'baseLr', optimizer, o.baseLr);
    const maxLrs = formatParam(where, 'maxLr', optimizer, o.maxLr);
    const up = o.stepSizeUp ?? d.stepSizeUp;
    const down = o.stepSizeDown ?? up;
    check(typeof up === 'number' && up > 0, where, 'stepSizeUp', up, 'a positive number');
    check(typeof down === 'number' && down > 0, where, 'stepSizeDown', down, 'a positive number');
    const mode = o.mode ?? (d.mode as CyclicMode);
    check(
      o.scaleFn === undefined || typeof o.scaleFn === 'function',
      where,
      'scaleFn',
      o.scaleFn,
      'a function or undefined',
    );
    check(
      o.scaleFn !== undefined || Object.hasOwn(scaleFns, mode),
      where,
      'mode',
      mode,
      "one of 'triangular', 'triangular2', 'exp_range' when scaleFn is not given (mode is invalid and scale_fn is None)",
    );
    const scaleMode = o.scaleMode ?? (d.scaleMode as 'cycle' | 'iterations');
    check(
      scaleMode === 'cycle' || scaleMode === 'iterations',
      where,
      'scaleMode',
      scaleMode,
      "'cycle' or 'iterations'",
    );
    const gamma = o.gamma ?? d.gamma;
    check(typeof gamma === 'number', where, 'gamma', gamma, 'a number');
    const cycleMomentum = o.cycleMomentum ?? d.cycleMomentum;
    let useBeta1 = false;
    let baseMomentums: number[] = [];
    let maxMomentums: number[] = [];
    if (cycleMomentum) {
      useBeta1 = detectBeta1(where, optimizer);
      baseMomentums = formatParam(where, 'baseMomentum', optimizer, o.baseMomentum ?? d.baseMomentum);
      maxMomentums = formatParam(where, 'maxMomentum', optimizer, o.maxMomentum ?? d.maxMomentum);
    }
    if (lastEpoch === -1) {
      optimizer.paramGroups.forEach((g, i) => {
        g.lr = baseLrs[i]!;
        if (cycleMomentum) setMomentum(optimizer, i, useBeta1, maxMomentums[i]!);
      });
    }
    super(optimizer, lastEpoch);
    this.maxLrs = maxLrs;
    this.totalSize = up + down;
    this.stepRatio = up / this.totalSize;
    this.mode = mode;
    this.gamma = gamma;
    this.scaleFnCustom = o.scaleFn;
    this.scaleMode = scaleMode;
    this.scaleFnBuiltin = scaleFns.triangular(gamma);
    this.initScaleFn();
    this.cycleMomentum = cycleMomentum;
    this.useBeta1 = useBeta1;
    this.baseMomentums = baseMomentums;
    this.maxMomentums = maxMomentums;
    this._initialStep();
    this.baseLrs = baseLrs;
  }

  private initScaleFn(): void {
    if (this.scaleFnCustom !== undefined) return;
    this.scaleFnBuiltin = scaleFns[this.mode](this.gamma);
    this.scaleMode = this.mode === 'exp_range' ? 'iterations' : 'cycle';
  }

  /** The amplitude scale at `x` (cycle number or iteration count). */
  scaleFn(x: number): number {
    return (this.scaleFnCustom ?? this.scaleFnBuiltin)(x);
  }

  /** The lr of each group at batch `lastEpoch`; also writes the cycled momentum. */
  protected getLr(): number[] {
    const cycle = Math.floor(1 + this.lastEpoch / this.totalSize);
    const x = 1 + this.lastEpoch / this.totalSize - cycle;
    const scaleFactor = x <= this.stepRatio ? x / this.stepRatio : (x - 1) / (this.stepRatio - 1);
    const scale = this.scaleFn(this.scaleMode === 'cycle' ? cycle : this.lastEpoch);
    const lrs = this.baseLrs.map((base, i) => {
      const baseHeight = (this.maxLrs[i]! - base) * scaleFactor;
      return base + baseHeight * scale;
    });
    if (this.cycleMomentum) {
      this.baseMomentums.forEach((base, i) => {
        const max = this.maxMomentums[i]!;
        const baseHeight = (max - base) * scaleFactor;
        setMomentum(this.optimizer, i, this.useBeta1, max - baseHeight * scale);
      });
    }
    return lrs;
  }

  /** Cycle geometry, policy and momentum bounds (PyTorch 2.x keys; no functions). */
  protected override extraState(): Record<string, StateValue> {
    return {
      max_lrs: this.maxLrs,
      total_size: this.totalSize,
      step_ratio: this.stepRatio,
      mode: this.mode,
      gamma: this.gamma,
      scale_mode: this.scaleMode,
      cycle_momentum: this.cycleMomentum,
      use_beta1: this.useBeta1,
      base_momentums: this.baseMomentums,
      max_momentums: this.maxMomentums,
      _scale_fn_custom: null,
    };
  }

  /** Restores the cycle; the scale function comes from the constructor or `mode`. */
  protected override loadExtraState(state: SchedulerState, where: string): void {
    const n = this.optimizer.paramGroups.length;
    this.maxLrs = readNumbers(state, 'max_lrs', where, n);
    this.totalSize = readNumber(state, 'total_size', where);
    this.stepRatio = readNumber(state, 'step_ratio', where);
    const mode = readString(state, 'mode', where);
    check(
      Object.hasOwn(scaleFns, mode),
      where,
      'mode',
      mode,
      "one of 'triangular', 'triangular2', 'exp_range'",
    );
    this.mode = mode as CyclicMode;
    this.gamma = readNumber(state, 'gamma', where);
    const scaleMode = readString(state, 'scale_mode', where);
    check(
      scaleMode === 'cycle' || scaleMode === 'iterations',
      where,
      'scale_mode',
      scaleMode,
      "'cycle' or 'iterations'",
    );
    this.scaleMode = scaleMode as 'cycle' | 'iterations';
    this.cycleMomentum = readBoolean(state, 'cycle_momentum', where);
    this.useBeta1 = readBoolean(state, 'use_beta1', where);
    this.baseMomentums = this.cycleMomentum ? readNumbers(state, 'base_momentums', where, n) : [];
    this.maxMomentums = this.cycleMomentum ? readNumbers(state, 'max_momentums', where, n) : [];
    this.initScaleFn();
    // the optimizer's momentum at the saved step (PyTorch restores it with the optimizer's state)
    if (this.cycleMomentum) this.getLr();
  }
}
