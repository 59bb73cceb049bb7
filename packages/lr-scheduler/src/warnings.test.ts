import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChainedScheduler } from './chained-scheduler';
import { ExponentialLR } from './exponential-lr';
import { OneCycleLR } from './one-cycle-lr';
import { StepLR } from './step-lr';
import { resetWarningHandler, type SchedulerWarning, setWarningHandler } from './warnings';

afterEach(() => resetWarningHandler());

/** A plain optimizer with PyTorch's step counter, advanced by a tiny fake `step`. */
function counting(lr = 0.1) {
  return {
    paramGroups: [{ lr, momentum: 0.9 }],
    stepCount: 0,
    step() {
      this.stepCount += 1;
    },
  };
}

describe('the scheduler.step() before optimizer.step() warning', () => {
  it('is emitted once, through the handler, when the optimizer has not stepped', () => {
    const seen: SchedulerWarning[] = [];
    setWarningHandler((w) => seen.push(w));
    const optimizer = counting();
    const scheduler = new StepLR(optimizer, { stepSize: 1, gamma: 0.5 });
    scheduler.step();
    scheduler.step();
    expect(seen).toHaveLength(1);
    expect(seen[0]!.code).toBe('step-before-optimizer');
    expect(seen[0]!.scheduler).toBe('StepLR');
    expect(seen[0]!.message).toContain('before `optimizer.step()`');
  });

  it('is not emitted when the optimizer stepped first', () => {
    const seen: SchedulerWarning[] = [];
    setWarningHandler((w) => seen.push(w));
    const optimizer = counting();
    const scheduler = new OneCycleLR(optimizer, { maxLr: 0.1, totalSteps: 5 });
    for (let i = 0; i < 5; i++) {
      optimizer.step();
      scheduler.step();
    }
    expect(seen).toHaveLength(0);
  });

  it('is not emitted for optimizers without stepCount', () => {
    const seen: SchedulerWarning[] = [];
    setWarningHandler((w) => seen.push(w));
    new StepLR({ paramGroups: [{ lr: 0.1 }] }, { stepSize: 1 }).step();
    expect(seen).toHaveLength(0);
  });

  it('goes to a single console.warn by default and can be silenced', () => {
    const spy = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      new StepLR(counting(), { stepSize: 1 }).step();
      expect(spy).toHaveBeenCalledTimes(1);
      expect(String(spy.mock.calls[0]![0])).toMatch(/^StepLR: Detected call of `scheduler.step\(\)`/);
      const previous = setWarningHandler(null);
      new StepLR(counting(), { stepSize: 1 }).step();
      expect(spy).toHaveBeenCalledTimes(1);
      setWarningHandler(previous);
      new StepLR(counting(), { stepSize: 1 }).step();
      expect(spy).toHaveBeenCalledTimes(2);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('a chain of schedulers on one optimizer', () => {
  it('warns once', () => {
    const seen: SchedulerWarning[] = [];
    setWarningHandler((w) => seen.push(w));
    const optimizer = counting();
    const chain = new ChainedScheduler([
      new StepLR(optimizer, { stepSize: 2 }),
      new ExponentialLR(optimizer, { gamma: 0.9 }),
    ]);
    chain.step();
    expect(seen).toHaveLength(1);
  });
});
