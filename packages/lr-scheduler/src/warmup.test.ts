import { describe, expect, it } from 'vitest';
import { lrSequence } from './lr-sequence';
import { StepLR } from './step-lr';
import { warmup, warmupCosine } from './warmup';

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-12 * Math.abs(b) + 1e-15;

describe('warmup and warmupCosine against closed formulas', () => {
  it('warmupCosine: linear ramp from startFactor·lr, then the cosine to etaMin at totalSteps', () => {
    const base = 0.4;
    const [w, total, sf, etaMin] = [4, 24, 0.05, 1e-3];
    const { lrs } = lrSequence(
      (o) => warmupCosine(o, { warmupSteps: w, totalSteps: total, startFactor: sf, etaMin }),
      total + 1,
      { lrs: [base] },
    );
    lrs
      .map((row) => row[0]!)
      .forEach((value, e) => {
        const expected =
          e < w
            ? base * (sf + ((1 - sf) * e) / w)
            : etaMin + ((base - etaMin) * (1 + Math.cos((Math.PI * (e - w)) / (total - w)))) / 2;
        if (!close(value, expected)) throw new Error(`epoch ${e}: ${value} vs ${expected}`);
      });
    expect(lrs[total]![0]).toBeCloseTo(etaMin, 12);
  });

  it('constant warmup holds startFactor·lr, then hands over to the scheduler at its epoch 0', () => {
    const { lrs } = lrSequence(
      (o) =>
        warmup(o, new StepLR(o, { stepSize: 2, gamma: 0.5 }), {
          warmupSteps: 3,
          mode: 'constant',
          startFactor: 0.25,
        }),
      9,
      { lrs: [1] },
    );
    expect(lrs.map((row) => row[0])).toEqual([0.25, 0.25, 0.25, 1, 1, 0.5, 0.5, 0.25, 0.25]);
  });

  it('resumes from a JSON state', () => {
    const make = (o: { paramGroups: { lr: number }[] }) =>
      warmupCosine(o, { warmupSteps: 3, totalSteps: 10 });
    const full = lrSequence(make, 12, { lrs: [0.2] }).lrs.map((row) => row[0]);
    const first = { paramGroups: [{ lr: 0.2 }] };
    const a = make(first);
    for (let i = 0; i < 5; i++) a.step();
    const saved = JSON.parse(JSON.stringify(a.stateDict()));
    const second = { paramGroups: [{ lr: 0.2 }] };
    const b = make(second);
    b.loadStateDict(saved);
    const rest = [second.paramGroups[0]!.lr];
    for (let i = 6; i < 12; i++) {
      b.step();
      rest.push(second.paramGroups[0]!.lr);
    }
    expect(rest).toEqual(full.slice(5));
  });
});
