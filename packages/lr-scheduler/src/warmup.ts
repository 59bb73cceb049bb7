import { ConstantLR } from './constant-lr';
import { CosineAnnealingLR } from './cosine-annealing-lr';
import { DEFAULTS } from './defaults';
import { LinearLR } from './linear-lr';
import type { LRScheduler } from './lr-scheduler';
import type { OptimizerLike } from './optimizer-like';
import { SequentialLR } from './sequential-lr';
import { check } from './validate';

/**
 * Options of {@link warmup}.
 *
 * @example
 * ```ts
 * const options: WarmupOptions = { warmupSteps: 5, mode: 'linear', startFactor: 0.1 };
 * ```
 */
export interface WarmupOptions {
  /** Number of warmup epochs (a positive integer); the scheduler takes over at this epoch. */
  warmupSteps: number;
  /** `'linear'`: ramp from `startFactor · lr` to `lr`; `'constant'`: hold `startFactor · lr`. Default `'linear'`. */
  mode?: 'linear' | 'constant';
  /** The warmup's starting factor, in (0, 1]. Default 0.1. */
  startFactor?: number;
}

/**
 * Puts a warmup in front of any epoch-based scheduler: a `LinearLR` (or
 * `ConstantLR`) for `warmupSteps` epochs, then `scheduler` from its epoch 0.
 * It is exactly PyTorch's
 * `SequentialLR(optimizer, [LinearLR(optimizer, start_factor, total_iters=warmupSteps), scheduler], milestones=[warmupSteps])`,
 * so it saves and resumes like every other scheduler.
 *
 * @example
 * ```ts
 * const scheduler = warmup(optimizer, new StepLR(optimizer, { stepSize: 30 }), { warmupSteps: 5 });
 * for (let epoch = 0; epoch < 100; epoch++) {
 *   train();
 *   scheduler.step();
 * }
 * ```
 */
export function warmup(
  optimizer: OptimizerLike,
  scheduler: LRScheduler,
  options: WarmupOptions,
): SequentialLR {
  check(options !== null && typeof options === 'object', 'warmup', 'options', options, 'an options object');
  const warm = makeWarmup(optimizer, options);
  return new SequentialLR(optimizer, { schedulers: [warm, scheduler], milestones: [options.warmupSteps] });
}

function makeWarmup(optimizer: OptimizerLike, options: WarmupOptions): LRScheduler {
  const { warmupSteps, mode = DEFAULTS.warmup.mode, startFactor = DEFAULTS.warmup.startFactor } = options;
  check(
    Number.isInteger(warmupSteps) && warmupSteps > 0,
    'warmup',
    'warmupSteps',
    warmupSteps,
    'a positive integer',
  );
  check(mode === 'linear' || mode === 'constant', 'warmup', 'mode', mode, "'linear' or 'constant'");
  check(
    typeof startFactor === 'number' && startFactor > 0 && startFactor <= 1,
    'warmup',
    'startFactor',
    startFactor,
    'greater than 0 and at most 1',
  );
  return mode === 'linear'
    ? new LinearLR(optimizer, { startFactor, endFactor: 1, totalIters: warmupSteps })
    : new ConstantLR(optimizer, { factor: startFactor, totalIters: warmupSteps });
}

/**
 * Options of {@link warmupCosine}.
 *
 * @example
 * ```ts
 * const options: WarmupCosineOptions = { warmupSteps: 5, totalSteps: 100, etaMin: 1e-5 };
 * ```
 */
export interface WarmupCosineOptions {
  /** Number of linear warmup epochs (a positive integer, less than `totalSteps`). */
  warmupSteps: number;
  /** Epoch at which the cosine reaches `etaMin`. */
  totalSteps: number;
  /** The warmup's starting factor, in (0, 1]. Default 0.1. */
  startFactor?: number;
  /** Learning rate at the end of the cosine. Default 0. */
  etaMin?: number;
}

/**
 * The common transformer schedule: linear warmup for `warmupSteps` epochs,
 * then cosine annealing to `etaMin` at `totalSteps` (a `LinearLR` followed by
 * a `CosineAnnealingLR` with `tMax = totalSteps − warmupSteps`). Resumable.
 *
 * @example
 * ```ts
 * const scheduler = warmupCosine(optimizer, { warmupSteps: 5, totalSteps: 100 });
 * ```
 */
export function warmupCosine(optimizer: OptimizerLike, options: WarmupCosineOptions): SequentialLR {
  const { warmupSteps, totalSteps, startFactor, etaMin = 0 } = options ?? ({} as WarmupCosineOptions);
  check(
    Number.isInteger(warmupSteps) && warmupSteps > 0,
    'warmupCosine',
    'warmupSteps',
    warmupSteps,
    'a positive integer',
  );
  check(
    Number.isInteger(totalSteps) && totalSteps > warmupSteps,
    'warmupCosine',
    'totalSteps',
    totalSteps,
    `an integer greater than warmupSteps (${warmupSteps})`,
  );
  // warmup first, then the cosine, as a PyTorch user writes it
  const warm = makeWarmup(optimizer, {
    warmupSteps,
    startFactor: startFactor ?? DEFAULTS.warmup.startFactor,
  });
  const cosine = new CosineAnnealingLR(optimizer, { tMax: totalSteps - warmupSteps, etaMin });
  return new SequentialLR(optimizer, { schedulers: [warm, cosine], milestones: [warmupSteps] });
}
