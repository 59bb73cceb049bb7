import { describe, expect, it } from 'vitest';
import * as m from '../src/index';

describe('the public contract (shared/CONTRACT.md)', () => {
  it('exports every scheduler the acceptance tests call', () => {
    for (const name of [
      'StepLR',
      'MultiStepLR',
      'ExponentialLR',
      'CosineAnnealingLR',
      'LambdaLR',
      'MultiplicativeLR',
      'ConstantLR',
      'LinearLR',
      'PolynomialLR',
      'CosineAnnealingWarmRestarts',
      'CyclicLR',
      'OneCycleLR',
      'ReduceLROnPlateau',
      'SequentialLR',
      'ChainedScheduler',
    ]) {
      expect(typeof (m as Record<string, unknown>)[name], name).toBe('function');
    }
  });

  it('drives a plain object: step, getLastLr, lastEpoch, JSON stateDict, loadStateDict', () => {
    const s = new m.StepLR({ paramGroups: [{ lr: 1 }] }, { stepSize: 1, gamma: 0.5 });
    expect(s.lastEpoch).toBe(0);
    s.step();
    expect(s.getLastLr()).toEqual([0.5]);
    expect(s.lastEpoch).toBe(1);
    const state = JSON.parse(JSON.stringify(s.stateDict()));
    const t = new m.StepLR({ paramGroups: [{ lr: 1 }] }, { stepSize: 1, gamma: 0.5 });
    t.loadStateDict(state);
    t.step();
    expect(t.getLastLr()).toEqual([0.25]);
    expect(t.optimizer.paramGroups[0]!.initialLr).toBe(1);
  });

  it('ReduceLROnPlateau.step(metric) and CosineAnnealingWarmRestarts.step(epoch)', () => {
    const p = new m.ReduceLROnPlateau({ paramGroups: [{ lr: 1 }] }, { patience: 0 });
    p.step(1);
    p.step(2);
    expect(p.getLastLr()).toEqual([0.1]);
    const w = new m.CosineAnnealingWarmRestarts({ paramGroups: [{ lr: 1 }] }, { t0: 2 });
    w.step(1);
    expect(w.getLastLr()[0]).toBeCloseTo(0.5, 15);
  });
});
