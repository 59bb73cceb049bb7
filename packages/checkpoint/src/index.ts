export { CheckpointManager, type CheckpointManagerOptions } from './checkpoint-manager';
export { crc32 } from './crc32';
export {
  CheckpointError,
  CheckpointFormatError,
  CheckpointSerializeError,
  CheckpointUnsupportedError,
  ChecksumError,
  UnsafePickleError,
} from './errors';
export { DEFAULT_FLOAT_KEYS, type LoadOptions, type SaveOptions } from './options';
export { Float, isTuple, tuple } from './python-values';
export { RawTensor, rawTensorFactory, type TensorFactory } from './raw-tensor';
export {
  loadSafetensors,
  type SafetensorsContent,
  type SafetensorsSaveOptions,
  safetensorsFromBytes,
  safetensorsToBytes,
  saveSafetensors,
} from './safetensors';
export { load, save } from './save-load';
export { isTensorLike, type TensorDType, type TensorLike } from './tensor-like';
export type { StorageArray } from './torch-dtypes';
export { fromBytes, toBytes } from './torch-format';
export {
  collectTrainingState,
  type GeneratorLike,
  loadTrainingState,
  restoreTrainingState,
  type Stateful,
  saveTrainingState,
  TRAINING_STATE_FORMAT,
  type TrainingObjects,
  type TrainingStateData,
  type TrainingStateInput,
} from './training-state';
