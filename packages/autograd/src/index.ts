export { customOp } from './custom-op';
export type { BackwardOptions } from './engine';
export { AutogradError } from './errors';
export { enableGrad, isGradEnabled, noGrad, setGradEnabled } from './grad-mode';
export { type GradcheckOptions, gradcheck } from './gradcheck';
export { type BackwardFn, Node } from './node';
export {
  adaptiveAvgPool2d,
  avgPool2d,
  conv2d,
  type DropoutOptions,
  dropout,
  type EmbeddingOptions,
  embedding,
  type GeluOptions,
  gelu,
  maxPool2d,
} from './ops/nn';
export { where } from './ops/pointwise';
export type { VarLike } from './ops/record';
export type { VariableValuesIndices } from './ops/reduce';
export { cat, stack } from './ops/shape';
export { sumToShape } from './sum-to-shape';
export { type Sizes, Variable, type VariableOptions } from './variable';
