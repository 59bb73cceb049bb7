export { Adadelta, type AdadeltaOptions } from './adadelta';
export { Adafactor, type AdafactorOptions } from './adafactor';
export { Adagrad, type AdagradOptions } from './adagrad';
export { Adam, type AdamOptions, AdamW } from './adam';
export { Adamax, type AdamaxOptions } from './adamax';
export { ApplyIfFinite, type ApplyIfFiniteOptions } from './apply-if-finite';
export { ASGD, type ASGDOptions } from './asgd';
export { OptimizerError } from './errors';
export { MultiSteps, type MultiStepsOptions } from './gradient-accumulation';
export { LBFGS, type LBFGSOptions } from './lbfgs';
export { Lion, type LionOptions } from './lion';
export { Lookahead, type LookaheadOptions } from './lookahead';
export { Muon, type MuonAdjustLr, type MuonOptions } from './muon';
export { NAdam, type NAdamOptions } from './nadam';
export { type Closure, Optimizer } from './optimizer';
export { RAdam, type RAdamOptions } from './radam';
export { RMSprop, type RMSpropOptions } from './rmsprop';
export { Rprop, type RpropOptions } from './rprop';
export { SGD, type SGDOptions } from './sgd';
export { SparseAdam, type SparseAdamOptions } from './sparse-adam';
export {
  AveragedModel,
  type AveragedModelOptions,
  type AvgFn,
  type BnModelLike,
  getEmaMultiAvgFn,
  type ModelLike,
  type MultiAvgFn,
  SWALR,
  type SWALROptions,
  type SwaOptimizerLike,
  updateBn,
} from './swa/index';
export type {
  OptimizerStateDict,
  ParamGroup,
  ParamGroupInput,
  ParamLike,
  ParamState,
  Params,
  RemovableHandle,
} from './types';
