import type { Tensor } from '@opt/tensor';

/** A BatchNorm-like module: running statistics, a momentum, and a reset. */
interface BatchNormLike {
  runningMean: Tensor | null;
  runningVar: Tensor | null;
  momentum: number | null;
  resetRunningStats(): void;
}

/** What updateBn drives: a model with submodules, a train mode and a forward pass. */
export interface BnModelLike {
  modules(): unknown[];
  train(mode?: boolean): unknown;
  readonly training: boolean;
  forward(input: never): unknown;
}

function isBatchNorm(m: unknown): m is BatchNormLike {
  return (
    typeof m === 'object' &&
    m !== null &&
    'runningMean' in m &&
    'runningVar' in m &&
    'momentum' in m &&
    typeof (m as BatchNormLike).resetRunningStats === 'function' &&
    (m as BatchNormLike).runningMean !== null
  );
}

/**
 * Recomputes the BatchNorm running statistics of `model` with one pass over
 * `loader`, like `torch.optim.swa_utils.update_bn`: the statistics are reset,
 * momentum is set to `null` (a cumulative average over the batches), the
 * batches are forwarded in train mode, and momentum and mode are restored.
 * Needed after SWA, whose averaged weights never produced statistics of their own.
 *
 * @example
 * ```ts
 * updateBn(trainLoader, swa.module!, (batch) => new Variable(batch[0]));
 * ```
 */
export function updateBn<B>(
  loader: Iterable<B>,
  model: BnModelLike,
  input: (batch: B) => unknown = (b) => (Array.isArray(b) ? b[0] : b),
): void {
  const bns = model.modules().filter(isBatchNorm);
  if (bns.length === 0) return;
  const momenta = bns.map((m) => m.momentum);
  for (const m of bns) {
    m.resetRunningStats();
    (m as { momentum: number | null }).momentum = null;
  }
  const wasTraining = model.training;
  model.train(true);
  try {
    for (const batch of loader) model.forward(input(batch) as never);
  } finally {
    bns.forEach((m, i) => {
      (m as { momentum: number | null }).momentum = momenta[i]!;
    });
    model.train(wasTraining);
  }
}
