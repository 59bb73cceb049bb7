import type { OptimizerLike, ParamGroupLike } from './optimizer-like';
import { ReduceLROnPlateau } from './reduce-lr-on-plateau';
import type { Scheduler } from './scheduler';
import { check } from './validate';

/**
 * Options of {@link lrSequence}.
 *
 * @example
 * ```ts
 * const options: LrSequenceOptions = { groups: [{ lr: 0.1 }, { lr: 0.01 }] };
 * ```
 */
export interface LrSequenceOptions {
  /** The throwaway optimizer's groups. Default `[{ lr: 0.1, momentum: 0.9 }]`. */
  groups?: ParamGroupLike[];
  /** The metric fed to `ReduceLROnPlateau.step(metric)` at each step: an array (one per step) or a function of the step index. */
  metrics?: number[] | ((step: number) => number);
}

/**
 * What {@link lrSequence} returns: `lr[g][i]` is group `g`'s lr at step `i`;
 * `momentum[g][i]` likewise (`momentum` or `betas[0]`), or `null` when the
 * scheduler did not change momentum.
 *
 * @example
 * ```ts
 * const { lr, momentum }: LrSequence = lrSequence((o) => new StepLR(o, { stepSize: 2 }), 4);
 * ```
 */
export interface LrSequence {
  /** Learning rate per group, per step. */
  lr: number[][];
  /** Momentum (or `betas[0]`) per group, per step, or `null` when never changed. */
  momentum: number[][] | null;
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
 * const { lr } = lrSequence((optimizer) => new StepLR(optimizer, { stepSize: 50, gamma: 0.1 }), 200);
 * lr[0][0];  // 0.1
 * lr[0][50]; // 0.01
 * const plateau = lrSequence((o) => new ReduceLROnPlateau(o, { patience: 2 }), 10, { metrics: () => 1 });
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
  const groups = (options.groups ?? [{ lr: 0.1, momentum: 0.9 }]).map((g) => ({
    ...g,
    ...(g.betas ? { betas: [...g.betas] } : {}),
  }));
  const beta1 = (g: ParamGroupLike): number => (g.betas ? g.betas[0]! : (g.momentum ?? Number.NaN));
  const before = groups.map(beta1);
  const optimizer: OptimizerLike = { paramGroups: groups };
  const scheduler = factory(optimizer);
  const plateau = scheduler instanceof ReduceLROnPlateau;
  const { metrics } = options;
  if (plateau) {
    check(
      typeof metrics === 'function' || (Array.isArray(metrics) && metrics.length >= steps),
      'lrSequence',
      'options.metrics',
      metrics,
      `a function or an array of at least ${steps} numbers (ReduceLROnPlateau needs a metric per step)`,
    );
  }
  const lr = groups.map(() => [] as number[]);
  const momentum = groups.map(() => [] as number[]);
  for (let i = 0; i < steps; i++) {
    groups.forEach((g, gi) => {
      lr[gi]!.push(g.lr);
      momentum[gi]!.push(beta1(g));
    });
    if (plateau) scheduler.step(typeof metrics === 'function' ? metrics(i) : metrics![i]!);
    else (scheduler as Scheduler).step();
  }
  const changed = momentum.some((series, gi) => series.some((m) => !Object.is(m, before[gi]!)));
  return { lr, momentum: changed ? momentum : null };
}
