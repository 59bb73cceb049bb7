import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SchedulerValueError } from './errors';
import { lrSequence } from './lr-sequence';
import { OneCycleLR } from './one-cycle-lr';
import { ReduceLROnPlateau } from './reduce-lr-on-plateau';
import { StepLR } from './step-lr';

interface Case {
  name: string;
  groups: { lr: number; momentum?: number }[];
  options: Record<string, number | number[]>;
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
/** PyTorch's [step][group] rows as [group][step] series. */
const series = (rows: number[][]) => rows[0]!.map((_, g) => rows.map((r) => r[g]!));

function expectClose(actual: number[][], expected: number[][]): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((s, g) => {
    expect(s.length).toBe(expected[g]!.length);
    s.forEach((v, i) => {
      expect(Math.abs(v - expected[g]![i]!)).toBeLessThanOrEqual(1e-9 * Math.abs(expected[g]![i]!) + 1e-15);
    });
  });
}

describe('lrSequence', () => {
  it("gives PyTorch's StepLR(50, 0.1) sequence over 200 epochs, per group", () => {
    const c = byName('tutorial_step_lr');
    const out = lrSequence((o) => new StepLR(o, { stepSize: 50, gamma: 0.1 }), 200, { groups: c.groups });
    expectClose(out.lr, series(c.lr));
    expect(out.momentum).toBeNull();
  });

  it("gives PyTorch's OneCycleLR lr and momentum", () => {
    const c = byName('one_cycle_cos');
    const out = lrSequence((o) => new OneCycleLR(o, { maxLr: [0.1, 0.05], totalSteps: 50 }), 50, {
      groups: c.groups,
    });
    expectClose(out.lr, series(c.lr));
    expectClose(out.momentum!, series(c.momentum!));
  });

  it("feeds metrics to ReduceLROnPlateau and gives PyTorch's sequence", () => {
    const c = byName('tutorial_reduce_lr_on_plateau');
    const out = lrSequence(
      (o) => new ReduceLROnPlateau(o, { factor: 0.1, patience: 10, cooldown: 10, minLr: 1e-4 }),
      200,
      { groups: c.groups, metrics: c.metrics! },
    );
    expectClose(out.lr, series(c.lr));
    const viaFn = lrSequence((o) => new ReduceLROnPlateau(o, { patience: 0 }), 3, { metrics: () => 1 });
    expect(viaFn.lr[0]![2]).toBeCloseTo(0.01, 15);
    expect(() => lrSequence((o) => new ReduceLROnPlateau(o), 5)).toThrow(SchedulerValueError);
    expect(() => lrSequence((o) => new ReduceLROnPlateau(o), 5, { metrics: [1, 2] })).toThrow(
      /options\.metrics must be a function or an array of at least 5 numbers/,
    );
  });

  it('is pure: the groups passed in are not modified, and the default optimizer has momentum', () => {
    const groups = [{ lr: 0.3, betas: [0.9, 0.99] }];
    lrSequence((o) => new OneCycleLR(o, { maxLr: 1, totalSteps: 4 }), 4, { groups });
    expect(groups).toEqual([{ lr: 0.3, betas: [0.9, 0.99] }]);
    const d = lrSequence((o) => new OneCycleLR(o, { maxLr: 1, totalSteps: 4 }), 4);
    expect(d.lr).toHaveLength(1);
    expect(d.lr[0]).toHaveLength(4);
    expect(d.momentum![0]![0]).toBe(0.95);
    expect(() => lrSequence((o) => new StepLR(o, { stepSize: 1 }), -1)).toThrow(
      /steps must be a non-negative integer, got -1/,
    );
  });
});
