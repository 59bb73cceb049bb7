export {
  allocate,
  castScalar,
  DEFAULT_DTYPE,
  type DType,
  dtypeOf,
  isFloating,
  type TypedArray,
  torchDTypeName,
} from './dtype';
export { DTypeError, IndexError, OptError, ShapeError } from './errors';
export {
  arange,
  type DTypeOptions,
  empty,
  emptyLike,
  eye,
  fromTypedArray,
  full,
  fullLike,
  linspace,
  type NestedInput,
  ones,
  onesLike,
  tensor,
  zeros,
  zerosLike,
} from './factories';
export { formatTensor } from './format';
export {
  defaultGenerator,
  Generator,
  type GeneratorState,
  manualSeed,
  type RandomOptions,
  rand,
  randint,
  randLike,
  randn,
  randnLike,
  randperm,
} from './random';
export {
  broadcastShapes,
  broadcastStridesTo,
  contiguousStrides,
  formatShape,
  normalizeDim,
  shapeNumel,
  viewStrides,
} from './shape';
export {
  type AlphaOptions,
  type ClampOptions,
  type NestedArray,
  type OutOptions,
  type ReduceOptions,
  Tensor,
  type ValueOptions,
  type ValuesIndices,
  type VarOptions,
  type VersionBox,
  where,
} from './tensor';
