export type { Backend, ConvGeometry, FloatArray } from './backend/backend';
export { jsBackend } from './backend/js-backend';
export { getBackend, setBackend } from './backend/registry';
export { getNumThreads, setNumThreads } from './backend/threads';
export { createWasmBackend } from './backend/wasm-backend';
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
export { thresholdBackward, thresholdBackward_ } from './ops/activation';
export {
  type Conv2dOptions,
  conv2d,
  conv2dBackwardInput,
  conv2dBackwardWeight,
  convGeometry,
} from './ops/conv';
export { gather, indexAdd, indexAdd_, indexSelect, oneHot, scatter, scatterAdd } from './ops/indexing';
export { cat, stack } from './ops/join';
export { matmul } from './ops/matmul';
export {
  type AvgPool2dOptions,
  adaptiveAvgPool2d,
  adaptiveAvgPool2dBackward,
  avgPool2d,
  avgPool2dBackward,
  type MaxPool2dOptions,
  maxPool2d,
  maxPool2dBackward,
  maxPool2dWithIndices,
  type PoolWithIndices,
} from './ops/pool';
export { logSoftmax, softmax } from './ops/softmax';
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
export { SparseCooTensor, sparseCooTensor } from './sparse/coo';
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
export {
  type AdamUpdate,
  loadUpdateKernels,
  type SgdUpdate,
  UpdateBatch,
  type UpdateKernels,
} from './wasm/update-kernels';
