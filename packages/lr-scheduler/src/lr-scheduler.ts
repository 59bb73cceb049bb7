import { SchedulerStateError, SchedulerValueError } from './errors';
import type { OptimizerLike } from './optimizer-like';
import {
  assertState,
  encodeNumber,
  readNumber,
  readNumbers,
  type SchedulerState,
  type StateValue,
} from './state';
import { assertOptimizer, check } from './validate';
import { emitWarning } from './warnings';

/**
 * Options every epoch-based scheduler accepts.
 *
 * @example
 * ```ts
 * // resume a schedule at epoch 10 (each group must already have `initialLr`)
 * const options: SchedulerOptions = { lastEpoch: 10 };
 * ```
 */
export interface SchedulerOptions {
  /**
   * The index of the last epoch (PyTorch's `last_epoch`). Default `-1`: start
   * from the beginning and set `initialLr` in every group. Any other value
   * resumes, and needs `initialLr` in every group already.
   */
  lastEpoch?: number;
}

/**
 * The base of every epoch-based scheduler (PyTorch's `LRScheduler`).
 *
 * Construction sets `initialLr` in each group that has none, records
 * `baseLrs`, and takes the first step (`lastEpoch` becomes 0). Each `step()`
 * advances `lastEpoch` and writes the new `lr` into every group.
 *
 * The scheduler is built for the groups the optimizer has at construction.
 * Groups added later are **not** adopted: the next `step()` throws a
 * {@link SchedulerStateError} naming both counts (PyTorch silently leaves
 * such groups alone). Build a new scheduler after `addParamGroup()`.
 *
 * @example
 * ```ts
 * class HalvingLR extends LRScheduler {
 *   constructor(optimizer: OptimizerLike) {
 *     super(optimizer, -1);
 *     this._initialStep();
 *   }
 *   protected getLr(): number[] {
 *     return this.baseLrs.map((lr) => lr * 0.5 ** this.lastEpoch);
 *   }
 * }
 * ```
 */
export abstract class LRScheduler {
  /** The optimizer whose groups this scheduler drives. */
  readonly optimizer: OptimizerLike;
  /** Each group's `initialLr` at construction (PyTorch's `base_lrs`). */
  baseLrs: number[];
  /** The index of the last step taken; 0 right after construction. */
  lastEpoch: number;
  /** How many times `step()` ran, the initial step included (PyTorch's `_step_count`). @internal */
  _stepCount = 0;
  /** The learning rates written by the last step. @internal */
  _lastLr: number[] = [];
  /**
   * True during the step taken at construction (PyTorch 2.x's `_is_initial`):
   * chainable schedulers then keep the current lr, so that resuming with
   * `lastEpoch` does not move the lr one step ahead.
   */
  protected _isInitial = false;

  /**
   * Attaches the optimizer and sets `initialLr`/`baseLrs`. Subclasses call
   * `this._initialStep()` at the end of their own constructor.
   *
   * @param optimizer - anything with `paramGroups` of `{ lr }`.
   * @param lastEpoch - PyTorch's `last_epoch`; `-1` starts from the beginning.
   */
  protected constructor(optimizer: OptimizerLike, lastEpoch = -1) {
    const where = new.target.name;
    assertOptimizer(optimizer, where);
    check(Number.isInteger(lastEpoch) && lastEpoch >= -1, where, 'lastEpoch', lastEpoch, 'an integer >= -1');
    this.optimizer = optimizer;
    if (lastEpoch === -1) {
      for (const group of optimizer.paramGroups) {
        if (group.initialLr === undefined) group.initialLr = group.lr;
      }
    } else {
      optimizer.paramGroups.forEach((group, i) => {
        if (typeof group.initialLr !== 'number') {
          throw new SchedulerValueError(
            `${where}: optimizer.paramGroups[${i}].initialLr must be set when resuming with lastEpoch ${lastEpoch}, got ${String(group.initialLr)}`,
          );
        }
      });
    }
    this.baseLrs = optimizer.paramGroups.map((group) => group.initialLr as number);
    this.lastEpoch = lastEpoch;
  }

  /**
   * The learning rates of the next epoch, computed from the current state
   * (PyTorch's `get_lr`, the chainable form where PyTorch has one).
   */
  protected abstract getLr(): number[];

  /**
   * The closed form of the schedule at `lastEpoch`, used when a step jumps to
   * an epoch (as `SequentialLR` does at a milestone); `null` where PyTorch has
   * none, and then {@link LRScheduler.getLr} is used.
   */
  protected closedFormLr(): number[] | null {
    return null;
  }

  /** Resets the step count and takes the first step (PyTorch's `_initial_step`). @internal */
  _initialStep(): void {
    this._stepCount = 0;
    this._isInitial = true;
    try {
      this.step();
    } finally {
      this._isInitial = false;
    }
  }

  /** Advances one epoch and writes the new learning rates into the optimizer's groups. */
  step(): void {
    this.beforeStep();
    this.lastEpoch += 1;
    this.applyLrs(this.getLr());
  }

  /**
   * Jumps to `epoch` using the closed form where there is one (PyTorch 2.x's
   * `_update_lr(epoch)`, which `SequentialLR` uses at a milestone: no step is
   * counted and no warning is raised). @internal
   */
  _stepAt(epoch: number): void {
    checkGroups(this, this.baseLrs.length);
    this.lastEpoch = epoch;
    this.applyLrs(this.closedFormLr() ?? this.getLr());
  }

  /** The learning rate of each group after the last step (a copy). */
  getLastLr(): number[] {
    return [...this._lastLr];
  }

  /**
   * The scheduler's state as plain JSON, with PyTorch's `state_dict()` keys.
   * Functions (`lrLambda`, `scaleFn`) are not saved: construct the scheduler
   * again with them, then call {@link LRScheduler.loadStateDict}.
   */
  stateDict(): SchedulerState {
    return encodeState({
      ...this.extraState(),
      base_lrs: this.baseLrs,
      last_epoch: this.lastEpoch,
      _step_count: this._stepCount,
      _last_lr: this._lastLr,
    });
  }

  /**
   * Restores what {@link LRScheduler.stateDict} returned, so that the next
   * `step()` continues the saved sequence exactly. It also writes the saved
   * learning rates back into the optimizer's groups (PyTorch leaves that to
   * `optimizer.load_state_dict`; loading both gives the same values), so a
   * scheduler resumes on its own.
   */
  loadStateDict(state: SchedulerState): void {
    const where = `${this.constructor.name}.loadStateDict`;
    assertState(state, where);
    const n = this.optimizer.paramGroups.length;
    const lastLr = readNumbers(state, '_last_lr', where, n);
    this.baseLrs = readNumbers(state, 'base_lrs', where, n);
    this.lastEpoch = readNumber(state, 'last_epoch', where);
    this._stepCount = readNumber(state, '_step_count', where);
    this.loadExtraState(state, where);
    this._lastLr = lastLr;
    this.optimizer.paramGroups.forEach((group, i) => {
      group.lr = lastLr[i]!;
    });
  }

  /** The scheduler-specific part of the state (hyperparameters and counters). */
  protected extraState(): Record<string, StateValue> {
    return {};
  }

  /** Restores the scheduler-specific part of the state. */
  protected loadExtraState(_state: SchedulerState, _where: string): void {}

  /** Checks the groups, warns about a step before the optimizer's, counts the step. @internal */
  protected beforeStep(): void {
    checkGroups(this, this.baseLrs.length);
    if (this._stepCount === 1) warnIfOptimizerNotStepped(this);
    this._stepCount += 1;
  }

  /** Writes `values` into the groups and records them as the last lrs. @internal */
  protected applyLrs(values: number[]): void {
    const groups = this.optimizer.paramGroups;
    groups.forEach((group, i) => {
      group.lr = values[i]!;
    });
    this._lastLr = groups.map((group) => group.lr);
  }
}

/** Throws when the optimizer's group count differs from the scheduler's. @internal */
export function checkGroups(scheduler: { optimizer: OptimizerLike }, expected: number): void {
  const actual = scheduler.optimizer.paramGroups.length;
  if (actual !== expected) {
    throw new SchedulerStateError(
      `${scheduler.constructor.name}.step(): optimizer.paramGroups has ${actual} groups but the scheduler was built for ${expected}; groups added after construction are not scheduled: build a new scheduler after addParamGroup()`,
    );
  }
}

/** Optimizers already warned about, so that a chain of schedulers warns once. */
const warned = new WeakSet<OptimizerLike>();

/**
 * Emits the step-before-optimizer warning when the optimizer reports no step
 * yet (at most once per optimizer). @internal
 */
export function warnIfOptimizerNotStepped(scheduler: { optimizer: OptimizerLike }): void {
  const count = scheduler.optimizer.stepCount;
  if (typeof count === 'number' && count < 1 && !warned.has(scheduler.optimizer)) {
    warned.add(scheduler.optimizer);
    emitWarning({
      code: 'step-before-optimizer',
      scheduler: scheduler.constructor.name,
      message:
        'Detected call of `scheduler.step()` before `optimizer.step()`. Call `optimizer.step()` first, ' +
        'then `scheduler.step()`; otherwise the first value of the learning-rate schedule is skipped.',
    });
  }
}

/** Replaces non-finite numbers (deeply) by their string form. @internal */
export function encodeState(state: Record<string, unknown>): SchedulerState {
  return encodeValue(state) as SchedulerState;
}

function encodeValue(value: unknown): StateValue {
  if (typeof value === 'number') return encodeNumber(value);
  if (Array.isArray(value)) return value.map(encodeValue);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, StateValue> = {};
    for (const [k, v] of Object.entries(value)) out[k] = encodeValue(v);
    return out;
  }
  return value as StateValue;
}
