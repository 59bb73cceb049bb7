import { SchedulerStateError, SchedulerValueError } from './errors';
import { encodeState, LRScheduler } from './lr-scheduler';
import type { OptimizerLike } from './optimizer-like';
import { ReduceLROnPlateau } from './reduce-lr-on-plateau';
import type { Scheduler } from './scheduler';
import { assertState, readChildStates, readNumber, readNumbers, type SchedulerState } from './state';
import { assertOptimizer, check, describe } from './validate';

/**
 * Options of {@link SequentialLR}.
 *
 * @example
 * ```ts
 * const options: SequentialLROptions = {
 *   schedulers: [new LinearLR(optimizer, { startFactor: 0.1, totalIters: 5 }), new ExponentialLR(optimizer, { gamma: 0.9 })],
 *   milestones: [5],
 * };
 * ```
 */
export interface SequentialLROptions {
  /** The schedulers to run one after another, all on the same optimizer. */
  schedulers: LRScheduler[];
  /** The epochs at which the next scheduler takes over (one fewer than `schedulers`, increasing). */
  milestones: number[];
  /** PyTorch's `last_epoch`. Default -1. */
  lastEpoch?: number;
}

/**
 * Runs schedulers one after another, switching at the milestones (PyTorch's
 * `SequentialLR`). At a milestone the next scheduler restarts from its epoch
 * 0 (closed form where it has one, as PyTorch does). `stateDict()` includes
 * the children's states. The children are epoch-based schedulers
 * ({@link LRScheduler}); `ReduceLROnPlateau` is rejected, as in PyTorch.
 *
 * @example
 * ```ts
 * const warm = new LinearLR(optimizer, { startFactor: 0.1, totalIters: 5 });
 * const decay = new ExponentialLR(optimizer, { gamma: 0.9 });
 * const scheduler = new SequentialLR(optimizer, { schedulers: [warm, decay], milestones: [5] });
 * ```
 */
export class SequentialLR implements Scheduler {
  /** The optimizer whose groups are driven. */
  readonly optimizer: OptimizerLike;
  /** The index of the last step taken. */
  lastEpoch: number;
  /** The epochs at which the next scheduler takes over. */
  readonly milestones: number[];
  /** The children, in order. */
  readonly schedulers: LRScheduler[];
  private lastLr: number[];

  /**
   * @param optimizer - the optimizer every child drives.
   * @param options - {@link SequentialLROptions}.
   */
  constructor(optimizer: OptimizerLike, options: SequentialLROptions) {
    const where = 'SequentialLR';
    assertOptimizer(optimizer, where);
    const { schedulers, milestones, lastEpoch = -1 } = options ?? ({} as SequentialLROptions);
    checkChildren(where, schedulers, optimizer, true);
    check(Array.isArray(milestones), where, 'milestones', milestones, 'an array of integers');
    if (milestones.length !== schedulers.length - 1) {
      throw new SchedulerValueError(
        `${where}: milestones must have one entry fewer than schedulers (Sequential Schedulers expects number of schedulers provided to be one more than the number of milestone points, but got number of schedulers ${schedulers.length} and the number of milestones to be equal to ${milestones.length})`,
      );
    }
    milestones.forEach((m, i) => {
      check(Number.isInteger(m), where, `milestones[${i}]`, m, 'an integer');
      if (i > 0) check(m > milestones[i - 1]!, where, 'milestones', milestones, 'increasing');
    });
    this.optimizer = optimizer;
    this.schedulers = [...schedulers];
    this.milestones = [...milestones];
    this.lastEpoch = lastEpoch + 1;
    optimizer.paramGroups.forEach((group, i) => {
      if (typeof group.initialLr !== 'number') {
        throw new SchedulerStateError(`${where}: optimizer.paramGroups[${i}].initialLr is not set`);
      }
      group.lr = group.initialLr;
    });
    for (const s of this.schedulers) s.lastEpoch -= 1;
    this.schedulers[0]!._initialStep();
    this.lastLr = this.schedulers[0]!.getLastLr();
  }

  /** Advances one epoch on the scheduler whose turn it is. */
  step(): void {
    this.lastEpoch += 1;
    const idx = bisectRight(this.milestones, this.lastEpoch);
    const scheduler = this.schedulers[idx]!;
    if (idx > 0 && this.milestones[idx - 1] === this.lastEpoch) scheduler._stepAt(0);
    else scheduler.step();
    this.lastLr = scheduler.getLastLr();
  }

  /** The learning rate of each group after the last step (a copy). */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /** The state, with each child's state under `_schedulers`. */
  stateDict(): SchedulerState {
    return {
      ...encodeState({ _milestones: this.milestones, last_epoch: this.lastEpoch, _last_lr: this.lastLr }),
      _schedulers: this.schedulers.map((s) => s.stateDict()),
    };
  }

  /** Restores the state and the children's states; writes the saved lrs back into the groups. */
  loadStateDict(state: SchedulerState): void {
    const where = 'SequentialLR.loadStateDict';
    assertState(state, where);
    const children = readChildStates(state, where, this.schedulers.length);
    const lastLr = readNumbers(state, '_last_lr', where, this.optimizer.paramGroups.length);
    const milestones = readNumbers(state, '_milestones', where, this.milestones.length);
    this.lastEpoch = readNumber(state, 'last_epoch', where);
    this.schedulers.forEach((s, i) => {
      s.loadStateDict(children[i]!);
    });
    this.milestones.splice(0, this.milestones.length, ...milestones);
    this.lastLr = lastLr;
    this.optimizer.paramGroups.forEach((g, i) => {
      g.lr = lastLr[i]!;
    });
  }
}

/** Checks a composite's children: non-empty, no ReduceLROnPlateau, same optimizer. @internal */
export function checkChildren(
  where: string,
  schedulers: unknown,
  optimizer: OptimizerLike,
  epochBased: boolean,
): void {
  if (!Array.isArray(schedulers) || schedulers.length < 1) {
    throw new SchedulerValueError(
      `${where}: schedulers must be a non-empty array (${where} expects at least one scheduler), got ${describe(schedulers)}`,
    );
  }
  schedulers.forEach((s: unknown, i: number) => {
    if (s instanceof ReduceLROnPlateau) {
      throw new SchedulerValueError(
        `${where}: schedulers[${i}] is a ReduceLROnPlateau (${where} does not support \`ReduceLROnPlateau\` scheduler as it requires additional kwargs to be specified when calling \`step\`)`,
      );
    }
    const ok = epochBased ? s instanceof LRScheduler : typeof (s as Scheduler)?.step === 'function';
    if (!ok) {
      throw new TypeError(
        `${where}: schedulers[${i}] must be ${epochBased ? 'an LRScheduler (StepLR, LinearLR, …)' : 'a scheduler'}, got ${describe(s)}`,
      );
    }
    if ((s as Scheduler).optimizer !== optimizer) {
      throw new SchedulerValueError(
        `${where}: schedulers[${i}] drives a different optimizer (${where} expects all schedulers to belong to the same optimizer)`,
      );
    }
  });
}

function bisectRight(sorted: number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x < sorted[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
