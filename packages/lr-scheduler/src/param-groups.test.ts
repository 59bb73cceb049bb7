import { describe, expect, it } from 'vitest';
import { CosineAnnealingWarmRestarts } from './cosine-annealing-warm-restarts';
import { SchedulerStateError } from './errors';
import { ExponentialLR } from './exponential-lr';
import type { OptimizerLike } from './optimizer-like';
import { ReduceLROnPlateau } from './reduce-lr-on-plateau';
import { SequentialLR } from './sequential-lr';
import { StepLR } from './step-lr';

describe('groups added to the optimizer after the scheduler was built', () => {
  it('epoch-based schedulers throw a clear error on the next step', () => {
    const optimizer: OptimizerLike = { paramGroups: [{ lr: 0.1 }] };
    const scheduler = new StepLR(optimizer, { stepSize: 1, gamma: 0.5 });
    scheduler.step();
    optimizer.paramGroups.push({ lr: 0.2 });
    expect(() => scheduler.step()).toThrow(SchedulerStateError);
    expect(() => scheduler.step()).toThrow(
      'StepLR.step(): optimizer.paramGroups has 2 groups but the scheduler was built for 1; groups added after construction are not scheduled',
    );
    // nothing was changed by the refused step
    expect(optimizer.paramGroups.map((g) => g.lr)).toEqual([0.05, 0.2]);
    const restarts = new CosineAnnealingWarmRestarts({ paramGroups: [{ lr: 0.1 }] }, { t0: 3 });
    restarts.optimizer.paramGroups.push({ lr: 0.3 });
    expect(() => restarts.step(1.5)).toThrow(SchedulerStateError);
  });

  it('composite schedulers refuse through their children', () => {
    const optimizer: OptimizerLike = { paramGroups: [{ lr: 0.1 }] };
    const s = new SequentialLR(optimizer, {
      schedulers: [new StepLR(optimizer, { stepSize: 2 }), new ExponentialLR(optimizer, { gamma: 0.9 })],
      milestones: [2],
    });
    optimizer.paramGroups.push({ lr: 0.2 });
    expect(() => s.step()).toThrow(/built for 1/);
  });

  it('ReduceLROnPlateau includes them with a single minLr (as PyTorch 2.x), refuses with one minLr per group', () => {
    const optimizer: OptimizerLike = { paramGroups: [{ lr: 1 }] };
    const plateau = new ReduceLROnPlateau(optimizer, { patience: 0, factor: 0.5, minLr: 0.3 });
    plateau.step(1);
    optimizer.paramGroups.push({ lr: 2 });
    plateau.step(1); // no improvement beyond patience 0: reduce both groups
    expect(optimizer.paramGroups.map((g) => g.lr)).toEqual([0.5, 1]);
    expect(plateau.minLrs).toEqual([0.3, 0.3]);

    const perGroup: OptimizerLike = { paramGroups: [{ lr: 1 }] };
    const strict = new ReduceLROnPlateau(perGroup, { patience: 0, minLr: [0.1] });
    strict.step(1);
    perGroup.paramGroups.push({ lr: 2 });
    expect(() => strict.step(1)).toThrow(SchedulerStateError);
    expect(() => strict.step(1)).toThrow(/has 2 groups but minLr was given for 1/);
  });
});
