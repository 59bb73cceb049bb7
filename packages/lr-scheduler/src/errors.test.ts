import { describe, expect, it } from 'vitest';
import { ChainedScheduler } from './chained-scheduler';
import { ConstantLR } from './constant-lr';
import { CosineAnnealingLR } from './cosine-annealing-lr';
import { CosineAnnealingWarmRestarts } from './cosine-annealing-warm-restarts';
import { CyclicLR } from './cyclic-lr';
import { SchedulerError, SchedulerStateError, SchedulerValueError } from './errors';
import { ExponentialLR } from './exponential-lr';
import { LambdaLR } from './lambda-lr';
import { LinearLR } from './linear-lr';
import type { LRScheduler } from './lr-scheduler';
import { MultiStepLR } from './multi-step-lr';
import { OneCycleLR } from './one-cycle-lr';
import type { OptimizerLike } from './optimizer-like';
import { ReduceLROnPlateau } from './reduce-lr-on-plateau';
import { SequentialLR } from './sequential-lr';
import type { StateValue } from './state';
import { StepLR } from './step-lr';
import { warmup, warmupCosine } from './warmup';

const opt = (...lrs: number[]): OptimizerLike => ({ paramGroups: lrs.map((lr) => ({ lr, momentum: 0.9 })) });

function expectValueError(fn: () => unknown, ...parts: string[]): void {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(SchedulerValueError);
  expect(error).toBeInstanceOf(SchedulerError);
  for (const part of parts) expect((error as Error).message).toContain(part);
}

describe("PyTorch's errors for bad input", () => {
  it('rejects factors outside the range PyTorch allows', () => {
    expectValueError(
      () => new ConstantLR(opt(0.1), { factor: -0.1 }),
      'ConstantLR',
      'factor',
      '-0.1',
      'between 0 and 1',
    );
    expectValueError(() => new ConstantLR(opt(0.1), { factor: 1.5 }), 'factor', '1.5');
    expectValueError(
      () => new LinearLR(opt(0.1), { startFactor: 0 }),
      'LinearLR',
      'startFactor',
      'greater than 0',
    );
    expectValueError(() => new LinearLR(opt(0.1), { startFactor: 1.2 }), 'startFactor', '1.2');
    expectValueError(() => new LinearLR(opt(0.1), { endFactor: -1 }), 'endFactor', '-1', 'between 0 and 1');
    expectValueError(
      () => new ReduceLROnPlateau(opt(0.1), { factor: 1.0 }),
      'ReduceLROnPlateau',
      'factor',
      'Factor should be < 1.0.',
    );
    expectValueError(() => new ReduceLROnPlateau(opt(0.1), { factor: -0.5 }), 'factor', '-0.5');
  });

  it('rejects milestones that are not increasing', () => {
    expectValueError(
      () => new MultiStepLR(opt(0.1), { milestones: [50, 30] }),
      'MultiStepLR',
      'milestones',
      '[50,30]',
      'increasing',
    );
    expectValueError(
      () => new MultiStepLR(opt(0.1), { milestones: [1.5] }),
      'milestones[0]',
      '1.5',
      'an integer',
    );
    const o = opt(0.1);
    const a = new StepLR(o, { stepSize: 2 });
    const b = new ExponentialLR(o, { gamma: 0.9 });
    const c = new ExponentialLR(o, { gamma: 0.8 });
    expectValueError(
      () => new SequentialLR(o, { schedulers: [a, b, c], milestones: [5, 5] }),
      'SequentialLR',
      'milestones',
      'increasing',
    );
  });

  it('OneCycleLR needs totalSteps or epochs and stepsPerEpoch, and stops at totalSteps', () => {
    expectValueError(
      () => new OneCycleLR(opt(0.1), { maxLr: 0.1 }),
      'OneCycleLR',
      'You must define either total_steps OR (epochs AND steps_per_epoch)',
    );
    expectValueError(
      () => new OneCycleLR(opt(0.1), { maxLr: 0.1, epochs: 10 }),
      'epochs 10',
      'stepsPerEpoch undefined',
    );
    expectValueError(
      () => new OneCycleLR(opt(0.1), { maxLr: 0.1, totalSteps: 0 }),
      'totalSteps',
      '0',
      'a positive integer',
    );
    expectValueError(
      () => new OneCycleLR(opt(0.1), { maxLr: 0.1, epochs: 2, stepsPerEpoch: 2.5 }),
      'stepsPerEpoch',
      '2.5',
    );
    expectValueError(
      () => new OneCycleLR(opt(0.1), { maxLr: 0.1, totalSteps: 10, pctStart: 1.5 }),
      'pctStart',
      '1.5',
    );
    expectValueError(
      () => new OneCycleLR(opt(0.1), { maxLr: 0.1, totalSteps: 10, annealStrategy: 'square' as 'cos' }),
      'annealStrategy',
      '"square"',
    );
    const s = new OneCycleLR(opt(0.1), { maxLr: 0.1, totalSteps: 10 });
    for (let i = 0; i < 10; i++) s.step();
    expectValueError(() => s.step(), 'Tried to step 11 times. The specified number of total steps is 10');
  });

  it('SequentialLR: milestone count, empty list, ReduceLROnPlateau, other optimizer', () => {
    const o = opt(0.1);
    const a = new StepLR(o, { stepSize: 2 });
    const b = new ExponentialLR(o, { gamma: 0.9 });
    expectValueError(
      () => new SequentialLR(o, { schedulers: [a, b], milestones: [2, 4] }),
      'number of schedulers 2 and the number of milestones to be equal to 2',
    );
    expectValueError(
      () => new SequentialLR(o, { schedulers: [], milestones: [] }),
      'expects at least one scheduler',
    );
    const plateau = new ReduceLROnPlateau(o);
    expectValueError(
      () => new SequentialLR(o, { schedulers: [a, plateau as unknown as LRScheduler], milestones: [3] }),
      'schedulers[1]',
      'ReduceLROnPlateau',
    );
    const other = new StepLR(opt(0.1), { stepSize: 2 });
    expectValueError(
      () => new SequentialLR(o, { schedulers: [a, other], milestones: [3] }),
      'schedulers[1]',
      'same optimizer',
    );
  });

  it('ChainedScheduler: empty list, ReduceLROnPlateau, other optimizer', () => {
    expectValueError(() => new ChainedScheduler([]), 'ChainedScheduler', 'at least one scheduler');
    const o = opt(0.1);
    const a = new StepLR(o, { stepSize: 2 });
    expectValueError(
      () => new ChainedScheduler([a, new ReduceLROnPlateau(o) as never]),
      'schedulers[1]',
      'ReduceLROnPlateau',
    );
    expectValueError(
      () => new ChainedScheduler([a, new StepLR(opt(0.1), { stepSize: 2 })]),
      'same optimizer',
    );
  });

  it('CosineAnnealingWarmRestarts: t0, tMult, negative epoch', () => {
    expectValueError(
      () => new CosineAnnealingWarmRestarts(opt(0.1), { t0: 0 }),
      't0',
      '0',
      'Expected positive integer T_0',
    );
    expectValueError(() => new CosineAnnealingWarmRestarts(opt(0.1), { t0: 5, tMult: 1.5 }), 'tMult', '1.5');
    const s = new CosineAnnealingWarmRestarts(opt(0.1), { t0: 5 });
    expectValueError(() => s.step(-1), 'epoch', '-1', 'Expected non-negative epoch');
  });

  it('CyclicLR: invalid mode, momentum cycling without momentum, per-group lengths', () => {
    expectValueError(
      () => new CyclicLR(opt(0.1), { baseLr: 0.01, maxLr: 0.1, mode: 'square' as 'triangular' }),
      'mode',
      '"square"',
      'mode is invalid and scale_fn is None',
    );
    expectValueError(
      () => new CyclicLR({ paramGroups: [{ lr: 0.1 }] }, { baseLr: 0.01, maxLr: 0.1 }),
      'paramGroups[0] has no momentum',
      'cycleMomentum: false',
    );
    expectValueError(
      () => new CyclicLR(opt(0.1, 0.2), { baseLr: [0.01], maxLr: 0.1 }),
      'baseLr',
      '(2)',
      '1 values',
    );
  });

  it('other arguments', () => {
    expectValueError(
      () => new StepLR(opt(0.1), { stepSize: 0 }),
      'StepLR',
      'stepSize',
      '0',
      'a positive integer',
    );
    expectValueError(
      () => new LambdaLR(opt(0.1, 0.2), { lrLambda: [() => 1] }),
      'LambdaLR',
      'lrLambda',
      '2 functions (one per parameter group)',
    );
    expectValueError(() => new LambdaLR(opt(0.1), { lrLambda: 3 as never }), 'lrLambda', '3', 'a function');
    expectValueError(() => new CosineAnnealingLR(opt(0.1), { tMax: 0 }), 'tMax', '0');
    expectValueError(() => new ReduceLROnPlateau(opt(0.1), { mode: 'best' as 'min' }), 'mode', '"best"');
    expectValueError(
      () => new ReduceLROnPlateau(opt(0.1), { thresholdMode: 'x' as 'rel' }),
      'thresholdMode',
      '"x"',
    );
    expectValueError(
      () => new ReduceLROnPlateau(opt(0.1, 0.2), { minLr: [0.1] }),
      'expected 2 min_lrs, got 1',
    );
    expectValueError(() => new ReduceLROnPlateau(opt(0.1)).step('low' as never), 'metric', '"low"');
    expectValueError(
      () => warmup(opt(0.1), new StepLR(opt(0.1), { stepSize: 1 }), { warmupSteps: 0 }),
      'warmupSteps',
      '0',
    );
    expectValueError(
      () => warmupCosine(opt(0.1), { warmupSteps: 10, totalSteps: 10 }),
      'totalSteps',
      '10',
      'greater than warmupSteps',
    );
    expect(() => new StepLR({} as OptimizerLike, { stepSize: 1 })).toThrow(
      /StepLR: optimizer must be an object with a paramGroups array/,
    );
    expect(() => new StepLR({ paramGroups: [{ lr: '0.1' }] } as never, { stepSize: 1 })).toThrow(
      /paramGroups\[0\]\.lr must be a number, got "0.1"/,
    );
  });

  it('resuming with lastEpoch needs initialLr in every group', () => {
    expectValueError(
      () => new StepLR(opt(0.1), { stepSize: 3, lastEpoch: 4 }),
      'paramGroups[0].initialLr must be set when resuming with lastEpoch 4',
    );
  });

  it('loadStateDict names the bad field', () => {
    const s = new StepLR(opt(0.1), { stepSize: 3 });
    expect(() => s.loadStateDict({})).toThrow(SchedulerStateError);
    const state = s.stateDict();
    expect(() => s.loadStateDict({ ...state, last_epoch: 'x' })).toThrow(
      /last_epoch must be a number, got "x"/,
    );
    expect(() => s.loadStateDict({ ...state, base_lrs: [0.1, 0.2] })).toThrow(/base_lrs must have 1 entries/);
    expect(() => s.loadStateDict(null as never)).toThrow(/expected a state object/);
  });

  it("names that are Object.prototype's keys ('constructor', 'toString') are not modes or group keys", () => {
    const cyclic = new CyclicLR(opt(0.1), { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 2 });
    expectValueError(
      () => cyclic.loadStateDict({ ...cyclic.stateDict(), mode: 'constructor' }),
      'mode',
      '"constructor"',
    );
    const oneCycle = new OneCycleLR(opt(0.1), { maxLr: 0.1, totalSteps: 10 });
    const state = oneCycle.stateDict();
    const phases = state._schedule_phases as Record<string, StateValue>[];
    expect(() =>
      oneCycle.loadStateDict({
        ...state,
        _schedule_phases: [{ ...phases[0]!, start_lr: 'toString' }, phases[1]!],
      }),
    ).toThrow('_schedule_phases[0].start_lr is not a known group key: toString');
  });
});
