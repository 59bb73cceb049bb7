import { DEFAULTS } from './defaults';
import { SchedulerStateError, SchedulerValueError } from './errors';
import { LRScheduler, type SchedulerOptions } from './lr-scheduler';
import { detectBeta1, setMomentum } from './momentum';
import { groupRecord, type OptimizerLike } from './optimizer-like';
import { readBoolean, readNumber, readString, type SchedulerState, type StateValue } from './state';
import { check, describe, formatParam } from './validate';

/**
 * Options of {@link OneCycleLR}. Give `totalSteps`, or `epochs` and
 * `stepsPerEpoch` (then `totalSteps = epochs · stepsPerEpoch`).
 *
 * @example
 * ```ts
 * const options: OneCycleLROptions = { maxLr: 0.1, epochs: 10, stepsPerEpoch: 100 };
 * ```
 */
export interface OneCycleLROptions extends SchedulerOptions {
  /** Peak learning rate, one value or one per group. */
  maxLr: number | number[];
  /** Steps in the cycle (a positive integer); takes precedence over `epochs`/`stepsPerEpoch`. */
  totalSteps?: number;
  /** Epochs to train for (with `stepsPerEpoch`). */
  epochs?: number;
  /** Steps per epoch (with `epochs`). */
  stepsPerEpoch?: number;
  /** Fraction of the cycle spent increasing the lr, in [0, 1]. Default 0.3. */
  pctStart?: number;
  /** `'cos'` or `'linear'` annealing. Default `'cos'`. */
  annealStrategy?: 'cos' | 'linear';
  /** Cycle momentum (or `betas[0]`) inversely to the lr. Default true. */
  cycleMomentum?: boolean;
  /** Momentum at the lr peak, one value or one per group. Default 0.85. */
  baseMomentum?: number | number[];
  /** Momentum at the start and the end, one value or one per group. Default 0.95. */
  maxMomentum?: number | number[];
  /** `initialLr = maxLr / divFactor`. Default 25. */
  divFactor?: number;
  /** `minLr = initialLr / finalDivFactor`. Default 1e4. */
  finalDivFactor?: number;
  /** Use three phases (up, down to `initialLr`, down to `minLr`) as in the paper. Default false. */
  threePhase?: boolean;
}

/** One phase of the cycle; lr/momentum names are PyTorch's group keys. @internal */
interface Phase {
  end_step: number;
  start_lr: string;
  end_lr: string;
  start_momentum: string;
  end_momentum: string;
}

/** PyTorch's group key → ours. */
const groupKey: Record<string, string> = {
  initial_lr: 'initialLr',
  max_lr: 'maxLr',
  min_lr: 'minLr',
  max_momentum: 'maxMomentum',
  base_momentum: 'baseMomentum',
};

/**
 * The 1cycle policy (PyTorch's `OneCycleLR`, after Smith & Topin): the lr
 * rises from `maxLr / divFactor` to `maxLr`, then anneals to
 * `initialLr / finalDivFactor`, one step per batch; momentum (or `betas[0]`)
 * moves the opposite way. Like PyTorch it writes `initialLr`, `maxLr`,
 * `minLr` (and `maxMomentum`, `baseMomentum`) into each group. Stepping
 * beyond `totalSteps` throws, as does a step that falls in a phase of zero
 * length, where PyTorch divides by zero: step 0 when `pctStart · totalSteps`
 * is 1, and the step to `totalSteps` when `pctStart` is 1.
 *
 * @example
 * ```ts
 * const scheduler = new OneCycleLR(optimizer, { maxLr: 0.01, epochs: 10, stepsPerEpoch: loader.length });
 * for (let epoch = 0; epoch < 10; epoch++) {
 *   for (const batch of loader) {
 *     trainBatch(batch);
 *     scheduler.step();
 *   }
 * }
 * ```
 */
export class OneCycleLR extends LRScheduler {
  /** Steps in the cycle. */
  totalSteps: number;
  /** `'cos'` or `'linear'`. */
  annealStrategy: 'cos' | 'linear';
  /** Whether momentum is cycled. */
  cycleMomentum: boolean;
  /** Whether momentum lives in `betas[0]` rather than `momentum`. */
  useBeta1: boolean;
  private phases: Phase[];

  /**
   * @param optimizer - anything with `paramGroups` (with `momentum` or `betas` when `cycleMomentum`).
   * @param options - {@link OneCycleLROptions}.
   */
  constructor(optimizer: OptimizerLike, options: OneCycleLROptions) {
    const d = DEFAULTS.oneCycleLR;
    const o = options ?? ({} as OneCycleLROptions);
    const where = 'OneCycleLR';
    const lastEpoch = o.lastEpoch ?? -1;
    let totalSteps: number;
    if (o.totalSteps !== undefined) {
      check(
        Number.isInteger(o.totalSteps) && o.totalSteps > 0,
        where,
        'totalSteps',
        o.totalSteps,
        'a positive integer',
      );
      totalSteps = o.totalSteps;
    } else if (o.epochs !== undefined && o.stepsPerEpoch !== undefined) {
      check(Number.isInteger(o.epochs) && o.epochs > 0, where, 'epochs', o.epochs, 'a positive integer');
      check(
        Number.isInteger(o.stepsPerEpoch) && o.stepsPerEpoch > 0,
        where,
        'stepsPerEpoch',
        o.stepsPerEpoch,
        'a positive integer',
      );
      totalSteps = o.epochs * o.stepsPerEpoch;
    } else {
      throw new SchedulerValueError(
        `${where}: totalSteps, or both epochs and stepsPerEpoch, must be given ` +
          `(You must define either total_steps OR (epochs AND steps_per_epoch)), got totalSteps ${describe(o.totalSteps)}, ` +
          `epochs ${describe(o.epochs)}, stepsPerEpoch ${describe(o.stepsPerEpoch)}`,
      );
    }
    const pctStart = o.pctStart ?? d.pctStart;
    check(
      typeof pctStart === 'number' && pctStart >= 0 && pctStart <= 1,
      where,
      'pctStart',
      pctStart,
      'a number between 0 and 1',
    );
    const annealStrategy = o.annealStrategy ?? (d.annealStrategy as 'cos' | 'linear');
    check(
      annealStrategy === 'cos' || annealStrategy === 'linear',
      where,
      'annealStrategy',
      annealStrategy,
      "'cos' or 'linear'",
    );
    const divFactor = o.divFactor ?? d.divFactor;
    const finalDivFactor = o.finalDivFactor ?? d.finalDivFactor;
    check(typeof divFactor === 'number' && divFactor > 0, where, 'divFactor', divFactor, 'a positive number');
    check(
      typeof finalDivFactor === 'number' && finalDivFactor > 0,
      where,
      'finalDivFactor',
      finalDivFactor,
      'a positive number',
    );
    const maxLrs = formatParam(where, 'maxLr', optimizer, o.maxLr);
    const cycleMomentum = o.cycleMomentum ?? d.cycleMomentum;
    let useBeta1 = false;
    if (cycleMomentum) {
      useBeta1 = detectBeta1(where, optimizer);
      const maxMomentums = formatParam(where, 'maxMomentum', optimizer, o.maxMomentum ?? d.maxMomentum);
      const baseMomentums = formatParam(where, 'baseMomentum', optimizer, o.baseMomentum ?? d.baseMomentum);
      if (lastEpoch === -1) {
        optimizer.paramGroups.forEach((g, i) => {
          setMomentum(optimizer, i, useBeta1, maxMomentums[i]!);
          groupRecord(g).maxMomentum = maxMomentums[i];
          groupRecord(g).baseMomentum = baseMomentums[i];
        });
      }
    }
    if (lastEpoch === -1) {
      optimizer.paramGroups.forEach((g, i) => {
        g.initialLr = maxLrs[i]! / divFactor;
        groupRecord(g).maxLr = maxLrs[i];
        groupRecord(g).minLr = g.initialLr / finalDivFactor;
      });
    }
    super(optimizer, lastEpoch);
    this.totalSteps = totalSteps;
    this.annealStrategy = annealStrategy;
    this.cycleMomentum = cycleMomentum;
    this.useBeta1 = useBeta1;
    this.phases =
      (o.threePhase ?? d.threePhase) ? threePhases(pctStart, totalSteps) : twoPhases(pctStart, totalSteps);
    this._initialStep();
  }

  private anneal(start: number, end: number, pct: number): number {
    if (this.annealStrategy === 'cos') return end + ((start - end) / 2.0) * (Math.cos(Math.PI * pct) + 1);
    return (end - start) * pct + start;
  }

  /** The lr of each group at step `lastEpoch`; also writes the cycled momentum. */
  protected getLr(): number[] {
    const stepNum = this.lastEpoch;
    if (stepNum > this.totalSteps) {
      throw new SchedulerValueError(
        `OneCycleLR: Tried to step ${stepNum} times. The specified number of total steps is ${this.totalSteps}`,
      );
    }
    return this.optimizer.paramGroups.map((group, gi) => {
      const read = (key: string): number => {
        const value = groupRecord(group)[groupKey[key]!];
        if (typeof value !== 'number') {
          throw new SchedulerStateError(
            `OneCycleLR: optimizer.paramGroups[${gi}].${groupKey[key]} must be a number, got ${describe(value)}`,
          );
        }
        return value;
      };
      let startStep = 0.0;
      for (let i = 0; i < this.phases.length; i++) {
        const phase = this.phases[i]!;
        const endStep = phase.end_step;
        if (stepNum <= endStep || i === this.phases.length - 1) {
          if (endStep === startStep) throw this.emptyPhase(i, stepNum);
          const pct = (stepNum - startStep) / (endStep - startStep);
          if (this.cycleMomentum) {
            const m = this.anneal(read(phase.start_momentum), read(phase.end_momentum), pct);
            setMomentum(this.optimizer, gi, this.useBeta1, m);
          }
          return this.anneal(read(phase.start_lr), read(phase.end_lr), pct);
        }
        startStep = endStep;
      }
      return group.lr;
    });
  }

  /** The error for a step that falls in a phase of zero length (PyTorch divides by zero there). */
  private emptyPhase(i: number, stepNum: number): SchedulerValueError {
    const pctStart = (this.phases[0]!.end_step + 1) / this.totalSteps;
    return new SchedulerValueError(
      `OneCycleLR: pctStart ${pctStart} with totalSteps ${this.totalSteps} makes phase ${i + 1} of ` +
        `${this.phases.length} zero steps long (it starts and ends at step ${this.phases[i]!.end_step}), and step ` +
        `${stepNum} falls in it (PyTorch raises ZeroDivisionError here); choose pctStart so that no phase is empty`,
    );
  }

  /** `total_steps`, `_schedule_phases`, `_anneal_func_type`, `cycle_momentum`, `use_beta1`. */
  protected override extraState(): Record<string, StateValue> {
    return {
      total_steps: this.totalSteps,
      _schedule_phases: this.phases.map((p) => ({ ...p })),
      _anneal_func_type: this.annealStrategy,
      cycle_momentum: this.cycleMomentum,
      use_beta1: this.useBeta1,
    };
  }

  /** Restores the cycle. */
  protected override loadExtraState(state: SchedulerState, where: string): void {
    this.totalSteps = readNumber(state, 'total_steps', where);
    const strategy = readString(state, '_anneal_func_type', where);
    check(
      strategy === 'cos' || strategy === 'linear',
      where,
      '_anneal_func_type',
      strategy,
      "'cos' or 'linear'",
    );
    this.annealStrategy = strategy as 'cos' | 'linear';
    this.cycleMomentum = readBoolean(state, 'cycle_momentum', where);
    this.useBeta1 = readBoolean(state, 'use_beta1', where);
    const phases = state._schedule_phases;
    if (!Array.isArray(phases)) {
      throw new SchedulerStateError(`${where}: _schedule_phases must be an array, got ${describe(phases)}`);
    }
    this.phases = phases.map((p, i) => {
      const ps = p as SchedulerState;
      const name = (key: string): string => {
        const v = readString(ps, key, `${where} _schedule_phases[${i}]`);
        if (!Object.hasOwn(groupKey, v))
          throw new SchedulerStateError(
            `${where}: _schedule_phases[${i}].${key} is not a known group key: ${v}`,
          );
        return v;
      };
      return {
        end_step: readNumber(ps, 'end_step', `${where} _schedule_phases[${i}]`),
        start_lr: name('start_lr'),
        end_lr: name('end_lr'),
        start_momentum: name('start_momentum'),
        end_momentum: name('end_momentum'),
      };
    });
    // the optimizer's momentum at the saved step (PyTorch restores it with the optimizer's state)
    if (this.cycleMomentum) this.getLr();
  }
}

function twoPhases(pctStart: number, totalSteps: number): Phase[] {
  return [
    {
      end_step: pctStart * totalSteps - 1,
      start_lr: 'initial_lr',
      end_lr: 'max_lr',
      start_momentum: 'max_momentum',
      end_momentum: 'base_momentum',
    },
    {
      end_step: totalSteps - 1,
      start_lr: 'max_lr',
      end_lr: 'min_lr',
      start_momentum: 'base_momentum',
      end_momentum: 'max_momentum',
    },
  ];
}

function threePhases(pctStart: number, totalSteps: number): Phase[] {
  return [
    {
      end_step: pctStart * totalSteps - 1,
      start_lr: 'initial_lr',
      end_lr: 'max_lr',
      start_momentum: 'max_momentum',
      end_momentum: 'base_momentum',
    },
    {
      end_step: 2 * pctStart * totalSteps - 2,
      start_lr: 'max_lr',
      end_lr: 'initial_lr',
      start_momentum: 'base_momentum',
      end_momentum: 'max_momentum',
    },
    {
      end_step: totalSteps - 1,
      start_lr: 'initial_lr',
      end_lr: 'min_lr',
      start_momentum: 'max_momentum',
      end_momentum: 'max_momentum',
    },
  ];
}
