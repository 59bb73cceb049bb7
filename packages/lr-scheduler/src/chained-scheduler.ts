import { encodeState } from './lr-scheduler';
import type { OptimizerLike } from './optimizer-like';
import type { Scheduler } from './scheduler';
import { checkChildren } from './sequential-lr';
import { assertState, readChildStates, readNumber, readNumbers, type SchedulerState } from './state';

/**
 * Steps several chainable schedulers together, each multiplying into the
 * same `lr` (PyTorch's `ChainedScheduler`). `stateDict()` includes the
 * children's states. `lastEpoch` counts this scheduler's steps (PyTorch's
 * `ChainedScheduler` has none).
 *
 * @example
 * ```ts
 * // lr = 0.1, 0.09, 0.81, 0.729, 0.6561, … for an initial lr of 1
 * const scheduler = new ChainedScheduler([
 *   new ConstantLR(optimizer, { factor: 0.1, totalIters: 2 }),
 *   new ExponentialLR(optimizer, { gamma: 0.9 }),
 * ]);
 * ```
 */
export class ChainedScheduler implements Scheduler {
  /** The optimizer whose groups are driven. */
  readonly optimizer: OptimizerLike;
  /** The number of `step()` calls so far. */
  lastEpoch = 0;
  /** The children, stepped in order. */
  readonly schedulers: Scheduler[];
  private lastLr: number[];

  /**
   * @param schedulers - the schedulers to step together, all on the same optimizer.
   */
  constructor(schedulers: Scheduler[]) {
    const optimizer = (Array.isArray(schedulers) ? schedulers[0]?.optimizer : undefined) as OptimizerLike;
    checkChildren('ChainedScheduler', schedulers, optimizer, false);
    this.optimizer = optimizer;
    this.schedulers = [...schedulers];
    this.lastLr = optimizer.paramGroups.map((g) => g.lr);
  }

  /** Steps every child in order. */
  step(): void {
    for (const s of this.schedulers) s.step();
    this.lastEpoch += 1;
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** The learning rate of each group after the last step (a copy). */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /** The state, with each child's state under `_schedulers`. */
  stateDict(): SchedulerState {
    return {
      ...encodeState({ last_epoch: this.lastEpoch, _last_lr: this.lastLr }),
      _schedulers: this.schedulers.map((s) => s.stateDict()),
    };
  }

  /** Restores the state and the children's states; writes the saved lrs back into the groups. */
  loadStateDict(state: SchedulerState): void {
    const where = 'ChainedScheduler.loadStateDict';
    assertState(state, where);
    const children = readChildStates(state, where, this.schedulers.length);
    const lastLr = readNumbers(state, '_last_lr', where, this.optimizer.paramGroups.length);
    this.lastEpoch = readNumber(state, 'last_epoch', where);
    this.schedulers.forEach((s, i) => {
      s.loadStateDict(children[i]!);
    });
    this.lastLr = lastLr;
    this.optimizer.paramGroups.forEach((g, i) => {
      g.lr = lastLr[i]!;
    });
  }
}
