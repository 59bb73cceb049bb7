export {
  AveragedModel,
  type AveragedModelOptions,
  type AvgFn,
  getEmaMultiAvgFn,
  type ModelLike,
  type MultiAvgFn,
} from './averaged-model';
export { SWALR, type SWALROptions, type SwaOptimizerLike } from './swalr';
export { type BnModelLike, updateBn } from './update-bn';
