import { type Tensor, tensor } from '@opt/tensor';
import { OptimizerError } from '../errors';
import type { ParamLike } from '../types';

/** A model as AveragedModel sees it: its parameters (and buffers) in a fixed order. */
export interface ModelLike {
  parameters(): ParamLike[];
  buffers?(): Tensor[];
}

/**
 * Averaging of one parameter over several tensors at once: `averaged` and
 * `current` line up; `numAveraged` models were averaged so far. Must update
 * `averaged` in place.
 */
export type MultiAvgFn = (averaged: Tensor[], current: Tensor[], numAveraged: number) => void;

/** Averaging of one parameter: returns the new average (PyTorch's `avg_fn`). */
export type AvgFn = (averaged: Tensor, current: Tensor, numAveraged: number) => Tensor;

/**
 * Options of {@link AveragedModel}.
 *
 * @example
 * ```ts
 * const o: AveragedModelOptions<Net> = { multiAvgFn: getEmaMultiAvgFn(0.999), module: new Net() };
 * ```
 */
export interface AveragedModelOptions<M extends ModelLike> {
  /** Per-tensor averaging; default: the equal-weight (SWA) running mean. */
  avgFn?: AvgFn;
  /** In-place averaging over all tensors at once (PyTorch's `multi_avg_fn`); wins over `avgFn`. */
  multiAvgFn?: MultiAvgFn;
  /** Average the buffers too (BatchNorm statistics) instead of leaving them to `updateBn` (default false). */
  useBuffers?: boolean;
  /**
   * A second instance of the model's architecture that holds the averaged
   * weights and runs `forward` (JavaScript cannot deep-copy a model as
   * PyTorch does; construct the same class twice). Without it the averages
   * are kept on their own and copied out with `copyTo`.
   */
  module?: M;
}

/** The SWA running mean: avg + (current − avg)/(n + 1), in place. */
function swaMulti(averaged: Tensor[], current: Tensor[], n: number): void {
  for (let i = 0; i < averaged.length; i++)
    averaged[i]!.add_(current[i]!.sub(averaged[i]!), { alpha: 1 / (n + 1) });
}

/**
 * The EMA update avg ← decay·avg + (1 − decay)·current, for
 * {@link AveragedModelOptions.multiAvgFn} (PyTorch's `get_ema_multi_avg_fn`).
 *
 * @example
 * ```ts
 * const ema = new AveragedModel(net, { multiAvgFn: getEmaMultiAvgFn(0.999) });
 * ```
 */
export function getEmaMultiAvgFn(decay = 0.999): MultiAvgFn {
  if (!(decay >= 0 && decay <= 1))
    throw new OptimizerError(`Invalid decay value ${decay}, should be in [0, 1]`);
  return (averaged, current) => {
    for (let i = 0; i < averaged.length; i++) averaged[i]!.lerp_(current[i]!, 1 - decay);
  };
}

/**
 * Stochastic Weight Averaging and EMA, like `torch.optim.swa_utils.AveragedModel`:
 * keeps a running average of a model's parameters (and optionally buffers),
 * updated by {@link AveragedModel.updateParameters}; `nAveraged` counts the
 * models averaged, saved as PyTorch's `n_averaged` buffer.
 *
 * @example
 * ```ts
 * const swa = new AveragedModel(net, { module: new Net() });
 * for (let epoch = 0; epoch < 100; epoch++) {
 *   train(net);
 *   if (epoch >= 75) { swa.updateParameters(net); swaScheduler.step(); }
 * }
 * updateBn(loader, swa.module!);
 * ```
 */
export class AveragedModel<M extends ModelLike = ModelLike> {
  /** The model holding the averaged weights, when one was given. */
  readonly module: M | undefined;
  /** The averaged tensors, in `parameters()` (then `buffers()`) order. */
  readonly averaged: Tensor[];
  /** Number of models averaged so far. */
  nAveraged = 0;
  readonly #avgFn: AvgFn | undefined;
  readonly #multiAvgFn: MultiAvgFn | undefined;
  readonly #useBuffers: boolean;

  /**
   * @param model the model being trained (its current weights start the average at the first update).
   * @param options averaging function, buffers, and the module that holds the average.
   */
  constructor(model: M, options: AveragedModelOptions<M> = {}) {
    this.module = options.module;
    this.#avgFn = options.avgFn;
    this.#multiAvgFn = options.multiAvgFn;
    this.#useBuffers = options.useBuffers ?? false;
    const source = this.#tensors(model);
    if (this.module) {
      const target = this.#tensors(this.module);
      if (target.length !== source.length || target.some((t, i) => t.numel !== source[i]!.numel)) {
        throw new OptimizerError(
          'AveragedModel: options.module must have the same parameters (and buffers) as the model',
        );
      }
      for (const [i, t] of target.entries()) t.copy_(source[i]!);
      this.averaged = target;
    } else this.averaged = source.map((t) => t.clone());
  }

  #tensors(model: ModelLike): Tensor[] {
    const ps = model.parameters().map((p) => p.data);
    return this.#useBuffers ? [...ps, ...(model.buffers?.() ?? [])] : ps;
  }

  /**
   * Folds the model's current weights into the average (the first call copies them).
   *
   * @example
   * ```ts
   * swa.updateParameters(net);
   * ```
   */
  updateParameters(model: M): void {
    const current = this.#tensors(model);
    if (current.length !== this.averaged.length) {
      throw new OptimizerError(
        `AveragedModel.updateParameters: the model has ${current.length} tensors, the average ${this.averaged.length}`,
      );
    }
    const floats = this.averaged
      .map((_, i) => i)
      .filter((i) => this.averaged[i]!.dtype === 'float32' || this.averaged[i]!.dtype === 'float64');
    if (this.nAveraged === 0) {
      for (let i = 0; i < current.length; i++) this.averaged[i]!.copy_(current[i]!);
    } else if (this.#multiAvgFn) {
      this.#multiAvgFn(
        floats.map((i) => this.averaged[i]!),
        floats.map((i) => current[i]!),
        this.nAveraged,
      );
    } else if (this.#avgFn) {
      for (const i of floats)
        this.averaged[i]!.copy_(this.#avgFn(this.averaged[i]!, current[i]!, this.nAveraged));
    } else
      swaMulti(
        floats.map((i) => this.averaged[i]!),
        floats.map((i) => current[i]!),
        this.nAveraged,
      );
    // integer buffers (num_batches_tracked) are copied, as PyTorch does
    if (this.nAveraged > 0)
      for (let i = 0; i < current.length; i++) if (!floats.includes(i)) this.averaged[i]!.copy_(current[i]!);
    this.nAveraged++;
  }

  /**
   * Writes the averaged weights into `target` (e.g. the trained model, for evaluation).
   *
   * @example
   * ```ts
   * swa.copyTo(net);
   * ```
   */
  copyTo(target: M): void {
    const t = this.#tensors(target);
    if (t.length !== this.averaged.length)
      throw new OptimizerError('AveragedModel.copyTo: the target has other parameters');
    for (const [i, x] of t.entries()) x.copy_(this.averaged[i]!);
  }

  /**
   * The averaged tensors under PyTorch's keys for the buffer (`n_averaged`) plus `0`, `1`, … for the tensors.
   *
   * @example
   * ```ts
   * await save(swa.stateDict(), 'swa.pt');
   * ```
   */
  stateDict(): Record<string, Tensor> {
    const out: Record<string, Tensor> = { n_averaged: tensor(this.nAveraged, undefined, { dtype: 'int32' }) };
    this.averaged.forEach((t, i) => {
      out[String(i)] = t.clone();
    });
    return out;
  }

  /**
   * Restores {@link AveragedModel.stateDict}.
   *
   * @example
   * ```ts
   * swa.loadStateDict(saved);
   * ```
   */
  loadStateDict(sd: Record<string, Tensor>): void {
    for (let i = 0; i < this.averaged.length; i++) {
      const t = sd[String(i)];
      if (!t || t.numel !== this.averaged[i]!.numel)
        throw new OptimizerError(`AveragedModel.loadStateDict: entry ${i} is missing or mis-shaped`);
    }
    for (const [i, t] of this.averaged.entries()) t.copy_(sd[String(i)]!.reshape([...t.shape]));
    this.nAveraged = sd.n_averaged ? sd.n_averaged.item() : 0;
  }
}
