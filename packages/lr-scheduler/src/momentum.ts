import { SchedulerValueError } from './errors';
import type { OptimizerLike } from './optimizer-like';

/**
 * Decides whether momentum cycling writes `betas[0]` (Adam-like groups) or
 * `momentum` (SGD-like groups), as PyTorch does from the optimizer's
 * defaults. Throws when the groups have neither.
 * @internal
 */
export function detectBeta1(where: string, optimizer: OptimizerLike): boolean {
  const groups = optimizer.paramGroups;
  const useBeta1 = groups.length > 0 && Array.isArray(groups[0]!.betas);
  groups.forEach((g, i) => {
    const ok = useBeta1 ? Array.isArray(g.betas) && g.betas.length >= 1 : typeof g.momentum === 'number';
    if (!ok) {
      throw new SchedulerValueError(
        `${where}: cycleMomentum is true but optimizer.paramGroups[${i}] has no ${useBeta1 ? 'betas' : 'momentum'} ` +
          '(optimizer must support momentum or beta1 with `cycle_momentum` option enabled); pass cycleMomentum: false',
      );
    }
  });
  return useBeta1;
}

/** Writes a momentum value into `momentum` or `betas[0]`. @internal */
export function setMomentum(optimizer: OptimizerLike, i: number, useBeta1: boolean, value: number): void {
  const group = optimizer.paramGroups[i]!;
  if (useBeta1) group.betas = [value, ...(group.betas ?? []).slice(1)];
  else group.momentum = value;
}
