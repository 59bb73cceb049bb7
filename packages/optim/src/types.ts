import type { Tensor } from '@opt/tensor';

/**
 * What an optimizer updates: anything with `data` (updated in place) and
 * `grad` (read; `null` means "no gradient this step"). An `@opt/autograd`
 * `Variable` or `@opt/nn` `Parameter` is one, and so is a plain object.
 *
 * @example
 * ```ts
 * const p: ParamLike = { data: zeros([3]), grad: null };
 * ```
 */
export interface ParamLike {
  /** The values, updated in place. */
  data: Tensor;
  /** The gradient of the last backward pass, or `null`. */
  grad: Tensor | null;
}

/**
 * A parameter group as given to an optimizer: its parameters plus any
 * hyperparameters that differ from the defaults.
 *
 * @example
 * ```ts
 * const group: ParamGroupInput<SGDOptions> = { params: net.classifier.parameters(), lr: 1e-2 };
 * ```
 */
export type ParamGroupInput<O> = Partial<O> & {
  /** The parameters (or `[name, parameter]` pairs, as `namedParameters()` gives). */
  params: Iterable<ParamLike> | Iterable<readonly [string, ParamLike]>;
  [key: string]: unknown;
};

/**
 * What an optimizer constructor takes: parameters, `[name, parameter]`
 * pairs (PyTorch 2.x named parameters), or an array of groups.
 *
 * @example
 * ```ts
 * new SGD(net.parameters(), { lr: 0.1 });
 * new SGD(net.namedParameters(), { lr: 0.1 });
 * new SGD([{ params: net.features.parameters() }, { params: net.classifier.parameters(), lr: 1e-2 }], { lr: 1e-5 });
 * ```
 */
export type Params<O> =
  | Iterable<ParamLike>
  | Iterable<readonly [string, ParamLike]>
  | readonly ParamGroupInput<O>[];

/**
 * A live parameter group: the very parameter objects given, every
 * hyperparameter (the group's own or the default), and whatever a scheduler
 * adds (`initialLr`, …). Writable: `group.lr *= 0.1` takes effect at the next step.
 *
 * @example
 * ```ts
 * for (const g of optimizer.paramGroups) g.lr *= 0.1;
 * ```
 */
export type ParamGroup<O> = O & {
  /** The parameters, as given (same objects). */
  params: ParamLike[];
  /** Their names, when the optimizer was given `[name, parameter]` pairs. */
  paramNames?: string[];
  [key: string]: unknown;
};

/**
 * Per-parameter optimizer state under PyTorch's names (`momentum_buffer`,
 * `exp_avg`, `step`, …): tensors, numbers, or `null`.
 *
 * @example
 * ```ts
 * const s: ParamState = optimizer.state.get(p)!; // { step: tensor(3.), exp_avg: …, exp_avg_sq: … }
 * ```
 */
export type ParamState = Record<string, unknown>;

/**
 * PyTorch's on-disk optimizer state: `state` keyed by parameter index (in
 * order of first appearance across groups) and `param_groups` with
 * snake_case hyperparameters and `params` as index lists.
 *
 * @example
 * ```ts
 * const sd: OptimizerStateDict = optimizer.stateDict();
 * sd.param_groups[0].lr; // 0.1
 * ```
 */
export interface OptimizerStateDict {
  state: Record<string | number, ParamState>;
  param_groups: Record<string, unknown>[];
}

/**
 * A registered hook's handle.
 *
 * @example
 * ```ts
 * const handle = optimizer.registerStepPostHook(() => console.log('stepped'));
 * handle.remove();
 * ```
 */
export interface RemovableHandle {
  /** Unregisters the hook. */
  remove(): void;
}
