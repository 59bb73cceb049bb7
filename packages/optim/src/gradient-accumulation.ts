import { type Tensor, zerosLike } from '@opt/tensor';
import { OptimizerError } from './errors';
import type { Closure, Optimizer } from './optimizer';
import { pyRepr } from './python-repr';
import type { OptimizerStateDict, ParamGroup, ParamLike } from './types';

/**
 * Options of {@link MultiSteps}.
 *
 * @example
 * ```ts
 * const o: MultiStepsOptions = { everyK: 4 };
 * ```
 */
export interface MultiStepsOptions {
  /** Micro-batches per optimizer step (an integer ≥ 1). */
  everyK: number;
}

/**
 * Gradient accumulation over `everyK` micro-batches (Optax's `MultiSteps`):
 * each `step()` adds the current gradients to an accumulator; every
 * `everyK`-th call hands their mean to the inner optimizer and steps it, so
 * k micro-batches of size b act as one batch of size k·b. Parameters change
 * only on those calls.
 *
 * @example
 * ```ts
 * const optimizer = new MultiSteps(new SGD(net.parameters(), { lr: 0.1 }), { everyK: 4 });
 * for (const [x, y] of loader) {
 *   optimizer.zeroGrad(); loss(net.forward(x), y).backward();
 *   optimizer.step(); // steps the SGD every 4th call
 * }
 * ```
 */
export class MultiSteps<O extends object = object> {
  /** The optimizer that takes the real steps. */
  readonly inner: Optimizer<O>;
  /** Micro-batches per step. */
  readonly everyK: number;
  /** Micro-batches accumulated since the last real step. */
  miniStep = 0;
  readonly #acc = new Map<ParamLike, Tensor>();

  /**
   * @param inner the optimizer stepped every `everyK` calls.
   * @param options `everyK`.
   */
  constructor(inner: Optimizer<O>, options: MultiStepsOptions) {
    if (!Number.isInteger(options?.everyK) || options.everyK < 1) {
      throw new OptimizerError(`MultiSteps: everyK must be an integer ≥ 1; got ${pyRepr(options?.everyK)}`);
    }
    this.inner = inner;
    this.everyK = options.everyK;
  }

  /** The inner optimizer's parameter groups. */
  get paramGroups(): ParamGroup<O>[] {
    return this.inner.paramGroups;
  }

  /**
   * Accumulates this micro-batch's gradients; on every `everyK`-th call,
   * sets each gradient to the mean over the micro-batches and steps the
   * inner optimizer. Returns whether a real step happened.
   *
   * @example
   * ```ts
   * if (optimizer.step()) scheduler.step();
   * ```
   */
  step(closure?: Closure): boolean {
    if (closure) closure();
    const params = this.inner.paramGroups.flatMap((g) => g.params);
    for (const p of params) {
      if (p.grad === null) continue;
      const a = this.#acc.get(p);
      if (a === undefined) this.#acc.set(p, p.grad.clone());
      else a.add_(p.grad);
    }
    this.miniStep++;
    if (this.miniStep < this.everyK) return false;
    for (const p of params) {
      const a = this.#acc.get(p);
      p.grad = a === undefined ? null : a.div_(this.everyK);
    }
    this.inner.step();
    this.#acc.clear();
    this.miniStep = 0;
    return true;
  }

  /**
   * Clears the parameters' gradients (not the accumulator).
   *
   * @example
   * ```ts
   * optimizer.zeroGrad();
   * ```
   */
  zeroGrad(setToNone = true): void {
    this.inner.zeroGrad(setToNone);
  }

  /**
   * The inner state plus the accumulator (`multi_steps`: `mini_step`, `acc` by parameter index).
   *
   * @example
   * ```ts
   * await save(optimizer.stateDict(), 'opt.pt');
   * ```
   */
  stateDict(): OptimizerStateDict & {
    multi_steps: { every_k: number; mini_step: number; acc: Record<number, Tensor> };
  } {
    const acc: Record<number, Tensor> = {};
    this.inner.paramGroups
      .flatMap((g) => g.params)
      .forEach((p, i) => {
        const a = this.#acc.get(p);
        if (a) acc[i] = a.clone();
      });
    return {
      ...this.inner.stateDict(),
      multi_steps: { every_k: this.everyK, mini_step: this.miniStep, acc },
    };
  }

  /**
   * Restores {@link MultiSteps.stateDict}.
   *
   * @example
   * ```ts
   * optimizer.loadStateDict(saved);
   * ```
   */
  loadStateDict(sd: ReturnType<MultiSteps<O>['stateDict']>): void {
    const ms = sd.multi_steps;
    if (!ms) throw new OptimizerError("MultiSteps.loadStateDict: the state dict has no 'multi_steps' entry");
    const params = this.inner.paramGroups.flatMap((g) => g.params);
    for (const [k, t] of Object.entries(ms.acc)) {
      const p = params[Number(k)];
      if (!p || p.data.numel !== t.numel)
        throw new OptimizerError(`MultiSteps.loadStateDict: accumulator ${k} does not fit its parameter`);
    }
    this.inner.loadStateDict(sd);
    this.#acc.clear();
    for (const [k, t] of Object.entries(ms.acc)) {
      const p = params[Number(k)]!;
      this.#acc.set(p, zerosLike(p.data).copy_(t.reshape([...p.data.shape])));
    }
    this.miniStep = Number(ms.mini_step);
  }
}
