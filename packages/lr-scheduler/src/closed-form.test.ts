import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConstantLR } from './constant-lr';
import { CosineAnnealingLR } from './cosine-annealing-lr';
import { ExponentialLR } from './exponential-lr';
import { LinearLR } from './linear-lr';
import type { LRScheduler } from './lr-scheduler';
import { lrSequence } from './lr-sequence';
import { MultiStepLR } from './multi-step-lr';
import type { OptimizerLike } from './optimizer-like';
import { PolynomialLR } from './polynomial-lr';
import { StepLR } from './step-lr';

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.abs(b) + 1e-12;

/** The chainable (recursive) schedules agree with the textbook closed forms at every epoch. */
function agrees(
  make: (o: OptimizerLike) => LRScheduler,
  formula: (base: number, epoch: number) => number,
  base: number,
  epochs: number,
): boolean {
  const { lrs } = lrSequence(make, epochs, { lrs: [base] });
  return lrs.every((row, e) => close(row[0]!, formula(base, e)));
}

const base = fc.double({ min: 1e-4, max: 10, noNaN: true });
const runs = { numRuns: 60 };

describe('chainable forms against closed formulas (random options)', () => {
  it('StepLR: initialLr · gamma^⌊epoch / stepSize⌋', () => {
    fc.assert(
      fc.property(
        base,
        fc.integer({ min: 1, max: 20 }),
        fc.double({ min: 0.05, max: 1, noNaN: true }),
        (b, s, g) =>
          agrees(
            (o) => new StepLR(o, { stepSize: s, gamma: g }),
            (x, e) => x * g ** Math.floor(e / s),
            b,
            80,
          ),
      ),
      runs,
    );
  });

  it('MultiStepLR: initialLr · gamma^(milestones passed)', () => {
    fc.assert(
      fc.property(
        base,
        fc.uniqueArray(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 5 }),
        fc.double({ min: 0.05, max: 1, noNaN: true }),
        (b, ms, g) => {
          const milestones = [...ms].sort((x, y) => x - y);
          const passed = (e: number) => milestones.filter((m) => m <= e).length;
          return agrees(
            (o) => new MultiStepLR(o, { milestones, gamma: g }),
            (x, e) => x * g ** passed(e),
            b,
            70,
          );
        },
      ),
      runs,
    );
  });

  it('ExponentialLR: initialLr · gamma^epoch', () => {
    fc.assert(
      fc.property(base, fc.double({ min: 0.5, max: 1, noNaN: true }), (b, g) =>
        agrees(
          (o) => new ExponentialLR(o, { gamma: g }),
          (x, e) => x * g ** e,
          b,
          60,
        ),
      ),
      runs,
    );
  });

  it('CosineAnnealingLR: etaMin + (initialLr − etaMin)(1 + cos(π·epoch/tMax))/2, also past tMax', () => {
    fc.assert(
      fc.property(
        base,
        fc.integer({ min: 1, max: 30 }),
        fc.double({ min: 0, max: 1e-4, noNaN: true }),
        (b, t, eta) =>
          agrees(
            (o) => new CosineAnnealingLR(o, { tMax: t, etaMin: eta }),
            (x, e) => eta + ((x - eta) * (1 + Math.cos((Math.PI * e) / t))) / 2,
            b,
            3 * t,
          ),
      ),
      runs,
    );
  });

  it('LinearLR, ConstantLR, PolynomialLR', () => {
    fc.assert(
      fc.property(
        base,
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 20 }),
        (b, start, end, n) =>
          agrees(
            (o) => new LinearLR(o, { startFactor: start, endFactor: end, totalIters: n }),
            (x, e) => x * (start + ((end - start) * Math.min(e, n)) / n),
            b,
            n + 5,
          ) &&
          agrees(
            (o) => new ConstantLR(o, { factor: start, totalIters: n }),
            (x, e) => x * (e < n ? start : 1),
            b,
            n + 5,
          ) &&
          agrees(
            (o) => new PolynomialLR(o, { totalIters: n, power: 1 + end }),
            (x, e) => x * (1 - Math.min(e, n) / n) ** (1 + end),
            b,
            n + 5,
          ),
      ),
      runs,
    );
  });
});

it('is not vacuous: a wrong formula is rejected', () => {
  expect(
    agrees(
      (o) => new StepLR(o, { stepSize: 3, gamma: 0.5 }),
      (x, e) => x * 0.5 ** Math.floor(e / 2),
      1,
      10,
    ),
  ).toBe(false);
});
