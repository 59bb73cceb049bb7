import type { OptimizerLike, ParamGroupLike } from './optimizer-like';
import { ReduceLROnPlateau } from './reduce-lr-on-plateau';
import type { Scheduler } from './scheduler';
import { check } from './validate';

/**
 * Options of {@link lrSequence}: the throwaway optimizer's groups and, for
 * `ReduceLROnPlateau`, the metric.
 *
 * @example
 * ```ts
 * const options: LrSequenceOptions = { lrs: [0.1, 0.01], momentum: 0.9 };
 * ```
 */
export interface LrSequenceOptions {
  /** The initial lr of each group (one group per entry). Default `[0.1]`. */
  lrs?: number[];
  /** The `momentum` of every group (SGD-like groups). Default 0.9. */
  momentum?: number;
  /** When given, the groups are Adam-like: `betas` instead of `momentum`. */
  betas?: [number, number];
  /** The metric fed to `ReduceLROnPlateau.step(metric)`: a function of the step index, or one value per step. */
  metric?: ((step: number) => number) | number[];
}

/**
 * What {@link lrSequence} returns. `lrs[i]` is the lr of every group at step
 * `i` (what `getLastLr()` returns there); `momentums[i]` likewise for
 * `momentum` (or `betas[0]`), or `null` when the scheduler never changed it.
 *
 * @example
 * ```ts
 * const { lrs, momentums }: LrSequence = lrSequence((o) => new StepLR(o, { stepSize: 2 }), 4);
 * ```
 */
export interface LrSequence {
  /** Learning rate per step, per group. */
  lrs: number[][];
  /** Momentum (or `betas[0]`) per step, per group, or `null` when never changed. */
  momentums: number[][] | null;
}

/**
 * The learning rates a scheduler produces over `steps` steps, without any
 * training: `factory` builds the scheduler on a throwaway plain-object
 * optimizer; the loop records the lrs, then steps, `steps` times (the
 * tutorial's loop). Pure: nothing outside is touched. Used by the CLI and the
 * docs gallery to draw schedules.
 *
 * @example
 * ```ts
 * const { lrs } = lrSequence((optimizer) => new StepLR(optimizer, { stepSize: 50, gamma: 0.1 }), 200);
 * lrs[0];  // [0.1]
 * lrs[50]; // [0.01]
 * const twoGroups = lrSequence((o) => new ExponentialLR(o, { gamma: 0.9 }), 10, { lrs: [0.1, 0.01] });
 * const plateau = lrSequence((o) => new ReduceLROnPlateau(o, { patience: 2 }), 10, { metric: () => 1 });
 * ```
 */
export function lrSequence(
  factory: (optimizer: OptimizerLike) => Scheduler | ReduceLROnPlateau,
  steps: number,
  options: LrSequenceOptions = {},
): LrSequence {
  check(
    typeof factory === 'function',
    'lrSequence',
    'factory',
    factory,
    'a function (optimizer) => scheduler',
  );
  check(Number.isInteger(steps) && steps >= 0, 'lrSequence', 'steps', steps, 'a non-negative integer');
  const { lrs: initial = [0.1], momentum = 0.9, betas, metric } = options;
  check(
    Array.isArray(initial) && initial.length > 0 && initial.every((x) => typeof x === 'number'),
    'lrSequence',
    'options.lrs',
    initial,
    'a non-empty array of numbers',
  );
  const groups: ParamGroupLike[] = initial.map((lr) =>
    betas ? { lr, betas: [...betas] } : { lr, momentum },
  );
  const beta1 = (g: ParamGroupLike): number => (g.betas ? g.betas[0]! : g.momentum!);
  const before = groups.map(beta1);
  const optimizer: OptimizerLike = { paramGroups: groups };
  const scheduler = factory(optimizer);
  const plateau = scheduler instanceof ReduceLROnPlateau;
  if (plateau) {
    check(
      typeof metric === 'function' || (Array.isArray(metric) && metric.length >= steps),
      'lrSequence',
      'options.metric',
      metric,
      `a function or an array of at least ${steps} numbers (ReduceLROnPlateau needs a metric per step)`,
    );
  }
  const lrs: number[][] = [];
  const momentums: number[][] = [];
  for (let i = 0; i < steps; i++) {
    lrs.push(groups.map((g) => g.lr));
    momentums.push(groups.map(beta1));
    if (plateau) scheduler.step(typeof metric === 'function' ? metric(i) : metric![i]!);
    else (scheduler as Scheduler).step();
  }
  const changed = momentums.some((row) => row.some((m, g) => !Object.is(m, before[g])));
  return { lrs, momentums: changed ? momentums : null };
}
