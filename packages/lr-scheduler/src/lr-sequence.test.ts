import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SchedulerValueError } from './errors';
import { lrSequence } from './lr-sequence';
import { OneCycleLR } from './one-cycle-lr';
import { ReduceLROnPlateau } from './reduce-lr-on-plateau';
import { StepLR } from './step-lr';

interface Case {
  name: string;
  groups: { lr: number }[];
  lr: number[][];
  momentum: number[][] | null;
  metrics?: number[];
}
const cases = (
  JSON.parse(readFileSync(new URL('../test/fixtures/schedules.json', import.meta.url), 'utf8')) as {
    cases: Case[];
  }
).cases;
const byName = (name: string) => cases.find((c) => c.name === name)!;

function expectClose(actual: number[][], expected: number[][]): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, i) => {
    expect(row.length).toBe(expected[i]!.length);
    row.forEach((v, g) => {
      expect(Math.abs(v - expected[i]![g]!)).toBeLessThanOrEqual(1e-9 * Math.abs(expected[i]![g]!) + 1e-15);
    });
  });
}

describe('lrSequence', () => {
  it("gives PyTorch's StepLR(50, 0.1) sequence over 200 epochs for two groups", () => {
    const c = byName('tutorial_step_lr');
    const out = lrSequence((o) => new StepLR(o, { stepSize: 50, gamma: 0.1 }), 200, {
      lrs: c.groups.map((g) => g.lr),
    });
    expectClose(out.lrs, c.lr);
    expect(out.momentums).toBeNull();
  });

  it("gives PyTorch's OneCycleLR lr and momentum", () => {
    const c = byName('one_cycle_cos');
    const out = lrSequence((o) => new OneCycleLR(o, { maxLr: [0.1, 0.05], totalSteps: 50 }), 50, {
      lrs: [0.1, 0.05],
    });
    expectClose(out.lrs, c.lr);
    expectClose(out.momentums!, c.momentum!);
    const betas = lrSequence((o) => new OneCycleLR(o, { maxLr: [0.01, 0.02], totalSteps: 30 }), 30, {
      lrs: [0.001, 0.002],
      betas: [0.9, 0.999],
    });
    expectClose(betas.momentums!, byName('one_cycle_betas').momentum!);
  });

  it("feeds the metric to ReduceLROnPlateau and gives PyTorch's sequence", () => {
    const c = byName('tutorial_reduce_lr_on_plateau');
    const out = lrSequence(
      (o) => new ReduceLROnPlateau(o, { factor: 0.1, patience: 10, cooldown: 10, minLr: 1e-4 }),
      200,
      { lrs: [0.1, 0.05], metric: c.metrics! },
    );
    expectClose(out.lrs, c.lr);
    const viaFn = lrSequence((o) => new ReduceLROnPlateau(o, { patience: 0 }), 3, { metric: () => 1 });
    expect(viaFn.lrs[2]![0]).toBeCloseTo(0.01, 15);
    expect(() => lrSequence((o) => new ReduceLROnPlateau(o), 5)).toThrow(SchedulerValueError);
    expect(() => lrSequence((o) => new ReduceLROnPlateau(o), 5, { metric: [1, 2] })).toThrow(
      /options\.metric must be a function or an array of at least 5 numbers/,
    );
  });

  it('defaults to one SGD-like group (lr 0.1, momentum 0.9) and validates its arguments', () => {
    const d = lrSequence((o) => new OneCycleLR(o, { maxLr: 1, totalSteps: 4 }), 4);
    expect(d.lrs).toHaveLength(4);
    expect(d.lrs[0]![0]).toBeCloseTo(1 / 25, 15);
    expect(d.momentums![0]).toEqual([0.95]);
    expect(lrSequence((o) => new StepLR(o, { stepSize: 1 }), 0).lrs).toEqual([]);
    expect(() => lrSequence((o) => new StepLR(o, { stepSize: 1 }), -1)).toThrow(
      /steps must be a non-negative integer, got -1/,
    );
    expect(() => lrSequence((o) => new StepLR(o, { stepSize: 1 }), 3, { lrs: [] })).toThrow(/options\.lrs/);
  });
});
