/**
 * The part of a parameter group a scheduler reads and writes: `lr` always;
 * `initialLr` is set by the scheduler; `momentum` or `betas[0]` only by the
 * schedulers that cycle momentum (`CyclicLR`, `OneCycleLR`).
 *
 * @example
 * ```ts
 * const group: ParamGroupLike = { lr: 0.1, momentum: 0.9 };
 * ```
 */
export interface ParamGroupLike {
  /** The group's current learning rate; schedulers write it. */
  lr: number;
  /** The learning rate the schedule starts from; set at construction if absent (PyTorch's `initial_lr`). */
  initialLr?: number;
  /** SGD-style momentum, cycled by `CyclicLR`/`OneCycleLR`. */
  momentum?: number;
  /** Adam-style betas; `betas[0]` is cycled by `CyclicLR`/`OneCycleLR` when the optimizer has betas. */
  betas?: number[];
}

/**
 * Anything with `paramGroups`: an `@opt/optim` optimizer, another library's
 * optimizer, or a plain object. `stepCount` (PyTorch's `_step_count`), when
 * present, lets a scheduler warn if `scheduler.step()` runs before the first
 * `optimizer.step()`; without it there is no such warning.
 *
 * @example
 * ```ts
 * const optimizer: OptimizerLike = { paramGroups: [{ lr: 0.1 }, { lr: 0.01 }] };
 * ```
 */
export interface OptimizerLike {
  /** The parameter groups whose `lr` the scheduler drives. */
  readonly paramGroups: ParamGroupLike[];
  /** How many times `optimizer.step()` has run (optional). */
  readonly stepCount?: number;
}

/** Extra keys some schedulers keep in a group, as PyTorch does (`max_lr`, `min_lr`, …). @internal */
export function groupRecord(group: ParamGroupLike): Record<string, unknown> {
  return group as unknown as Record<string, unknown>;
}
