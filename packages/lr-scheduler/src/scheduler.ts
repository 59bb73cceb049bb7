import type { OptimizerLike } from './optimizer-like';
import type { SchedulerState } from './state';

/**
 * What every scheduler that steps without arguments offers: the epoch-based
 * ones ({@link LRScheduler}), {@link SequentialLR} and {@link ChainedScheduler}.
 *
 * @example
 * ```ts
 * const schedulers: Scheduler[] = [new StepLR(optimizer, { stepSize: 10 })];
 * for (const s of schedulers) s.step();
 * ```
 */
export interface Scheduler {
  /** The optimizer whose groups are driven. */
  readonly optimizer: OptimizerLike;
  /** The index of the last step taken. */
  readonly lastEpoch: number;
  /** Advances one step. */
  step(): void;
  /** The learning rate of each group after the last step. */
  getLastLr(): number[];
  /** The state as plain JSON. */
  stateDict(): SchedulerState;
  /** Restores a state returned by `stateDict()`. */
  loadStateDict(state: SchedulerState): void;
}
