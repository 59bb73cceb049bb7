import {
  ConstantLR,
  CosineAnnealingLR,
  CosineAnnealingWarmRestarts,
  CyclicLR,
  ExponentialLR,
  LambdaLR,
  LinearLR,
  type LRScheduler,
  type LrLambda,
  MultiplicativeLR,
  MultiStepLR,
  OneCycleLR,
  type OptimizerLike,
  type ParamGroupLike,
  PolynomialLR,
  StepLR,
} from '../src/index';

// Shared by the PyTorch parity tests: the schedulers a fixture names by class, and how a fixture's
// options and parameter groups become ours.

/** A scheduler class that takes an optimizer and an options object. */
export type Ctor = new (optimizer: OptimizerLike, options: any) => LRScheduler;

/** Every scheduler class a fixture can name, by PyTorch's class name. */
export const CLASSES: Record<string, Ctor> = {
  StepLR,
  MultiStepLR,
  ExponentialLR,
  CosineAnnealingLR,
  LambdaLR,
  MultiplicativeLR,
  ConstantLR,
  LinearLR,
  PolynomialLR,
  CosineAnnealingWarmRestarts,
  CyclicLR,
  OneCycleLR,
};

/**
 * A fixture's options with `lrLambda` (a name, a list of names, or a value passed as it is) looked up
 * in `lambdas` and a `scaleFn` name looked up in `scaleFns`.
 */
export function resolveOptions(
  options: Record<string, unknown> = {},
  lambdas: Record<string, LrLambda>,
  scaleFns: Record<string, (x: number) => number>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...options };
  const lambda = (n: unknown) => (typeof n === 'string' ? lambdas[n] : n);
  if (Array.isArray(out.lrLambda)) out.lrLambda = out.lrLambda.map(lambda);
  else if (out.lrLambda !== undefined) out.lrLambda = lambda(out.lrLambda);
  if (typeof out.scaleFn === 'string') out.scaleFn = scaleFns[out.scaleFn];
  return out;
}

/** An optimizer over copies of `groups` (betas copied too), so that runs do not share state. */
export function freshOptimizer(groups: ParamGroupLike[]): OptimizerLike {
  return { paramGroups: groups.map((g) => ({ ...g, ...(g.betas ? { betas: [...g.betas] } : {}) })) };
}
