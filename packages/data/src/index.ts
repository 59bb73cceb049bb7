export { defaultCollate } from './collate';
export { DataLoader, type DataLoaderOptions, type DataLoaderState } from './dataloader';
export { Dataset, TensorDataset } from './dataset';
export {
  MNIST_TRAIN_FRACTION,
  MnistDigits,
  type MnistDigitsOptions,
  type MnistSplit,
  type MnistSplits,
  mnistDigits,
} from './mnist';
export {
  BatchSampler,
  RandomSampler,
  type RandomSamplerOptions,
  type Sampler,
  SequentialSampler,
  type SizedIndices,
  SubsetRandomSampler,
} from './samplers';
export { randomSplit, Subset } from './subset';
export {
  type RegressionLineOptions,
  regressionLine,
  type TwoSpiralsOptions,
  twoSpirals,
} from './synthetic';
export { Compose, type Transform } from './transforms/compose';
export { type ImageLike, ToTensor } from './transforms/image';
export { Normalize } from './transforms/normalize';
export { RandomCrop, type RandomCropOptions } from './transforms/random-crop';
export { RandomHorizontalFlip } from './transforms/random-horizontal-flip';
export { WeightedRandomSampler, type WeightedRandomSamplerOptions } from './weighted-random-sampler';
