export { Adadelta, type AdadeltaOptions } from './adadelta';
export { Adagrad, type AdagradOptions } from './adagrad';
export { Adam, type AdamOptions, AdamW } from './adam';
export { Adamax, type AdamaxOptions } from './adamax';
export { ASGD, type ASGDOptions } from './asgd';
export { OptimizerError } from './errors';
export { LBFGS, type LBFGSOptions } from './lbfgs';
export { NAdam, type NAdamOptions } from './nadam';
export { type Closure, Optimizer } from './optimizer';
export { RAdam, type RAdamOptions } from './radam';
export { RMSprop, type RMSpropOptions } from './rmsprop';
export { Rprop, type RpropOptions } from './rprop';
export { SGD, type SGDOptions } from './sgd';
export { SparseAdam, type SparseAdamOptions } from './sparse-adam';
export type {
  OptimizerStateDict,
  ParamGroup,
  ParamGroupInput,
  ParamLike,
  ParamState,
  Params,
  RemovableHandle,
} from './types';
