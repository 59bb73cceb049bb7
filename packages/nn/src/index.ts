export { ModuleDict, ModuleList, Sequential } from './containers';
export { NnInputError, ParamGroupError, StateDictError } from './errors';
export * as init from './init';
export {
  Flatten,
  GELU,
  Identity,
  LeakyReLU,
  LogSoftmax,
  ReLU,
  Sigmoid,
  Softmax,
  Tanh,
} from './layers/activations';
export {
  BatchNorm1d,
  BatchNorm2d,
  BatchNormBase,
  type BatchNormOptions,
  LayerNorm,
  type LayerNormOptions,
} from './layers/batchnorm';
export { Conv2d, type Conv2dOptions } from './layers/conv2d';
export { Dropout, Dropout2d, type DropoutOptions } from './layers/dropout';
export { Embedding, type EmbeddingOptions } from './layers/embedding';
export { Linear, type LinearOptions } from './layers/linear';
export { AdaptiveAvgPool2d, AvgPool2d, MaxPool2d } from './layers/pooling';
export {
  BCELoss,
  type BCELossOptions,
  BCEWithLogitsLoss,
  type BCEWithLogitsLossOptions,
  CrossEntropyLoss,
  type CrossEntropyLossOptions,
  NLLLoss,
  type NLLLossOptions,
} from './losses/classification';
export { Loss, type Reduction } from './losses/loss';
export { HuberLoss, L1Loss, MSELoss, type RegressionLossOptions, SmoothL1Loss } from './losses/regression';
export { type LoadStateDictOptions, type LoadStateDictResult, Module } from './module';
export {
  globToRegExp,
  type ParamGroup,
  type ParamGroupRule,
  type ParamGroupsOptions,
  paramGroups,
  type WeightDecayGroupsOptions,
  weightDecayGroups,
} from './param-groups';
export { Parameter } from './parameter';
export * as utils from './utils/index';
