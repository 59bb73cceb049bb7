export { ChainedScheduler } from './chained-scheduler';
export { ConstantLR, type ConstantLROptions } from './constant-lr';
export { CosineAnnealingLR, type CosineAnnealingLROptions } from './cosine-annealing-lr';
export {
  CosineAnnealingWarmRestarts,
  type CosineAnnealingWarmRestartsOptions,
} from './cosine-annealing-warm-restarts';
export { CyclicLR, type CyclicLROptions, type CyclicMode } from './cyclic-lr';
export { SchedulerError, SchedulerStateError, SchedulerValueError } from './errors';
export { ExponentialLR, type ExponentialLROptions } from './exponential-lr';
export { LambdaLR, type LambdaLROptions, type LrLambda } from './lambda-lr';
export { LinearLR, type LinearLROptions } from './linear-lr';
export { LRScheduler, type SchedulerOptions } from './lr-scheduler';
export { type LrSequence, type LrSequenceOptions, lrSequence } from './lr-sequence';
export { MultiStepLR, type MultiStepLROptions } from './multi-step-lr';
export { MultiplicativeLR, type MultiplicativeLROptions } from './multiplicative-lr';
export { OneCycleLR, type OneCycleLROptions } from './one-cycle-lr';
export type { OptimizerLike, ParamGroupLike } from './optimizer-like';
export { PolynomialLR, type PolynomialLROptions } from './polynomial-lr';
export { type Metric, ReduceLROnPlateau, type ReduceLROnPlateauOptions } from './reduce-lr-on-plateau';
export type { Scheduler } from './scheduler';
export { SequentialLR, type SequentialLROptions } from './sequential-lr';
export type { SchedulerState, StateValue } from './state';
export { StepLR, type StepLROptions } from './step-lr';
export {
  type WarmupCosineOptions,
  type WarmupOptions,
  warmup,
  warmupCosine,
} from './warmup';
export {
  resetWarningHandler,
  type SchedulerWarning,
  setWarningHandler,
  type WarningHandler,
} from './warnings';
