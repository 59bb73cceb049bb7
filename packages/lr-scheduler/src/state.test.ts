import { describe, expect, it } from 'vitest';
import { ConstantLR } from './constant-lr';
import { CosineAnnealingLR } from './cosine-annealing-lr';
import { CosineAnnealingWarmRestarts } from './cosine-annealing-warm-restarts';
import { CyclicLR } from './cyclic-lr';
import { ExponentialLR } from './exponential-lr';
import { LambdaLR } from './lambda-lr';
import { MultiplicativeLR } from './multiplicative-lr';
import { ReduceLROnPlateau } from './reduce-lr-on-plateau';
import { SequentialLR } from './sequential-lr';

const roundTrip = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

describe('state dicts are plain JSON', () => {
  it('ReduceLROnPlateau keeps best = Infinity through JSON', () => {
    const s = new ReduceLROnPlateau({ paramGroups: [{ lr: 0.1 }] });
    const state = roundTrip(s.stateDict());
    expect(state.best).toBe('Infinity');
    expect(state.mode_worse).toBe('Infinity');
    const t = new ReduceLROnPlateau({ paramGroups: [{ lr: 0.1 }] }, { mode: 'max' });
    t.loadStateDict(state);
    expect(t.best).toBe(Number.POSITIVE_INFINITY);
    expect(t.mode).toBe('min');
  });

  it('CyclicLR with a custom scaleFn saves no function; constructing again restores it', () => {
    const make = (o: { paramGroups: { lr: number; momentum: number }[] }) =>
      new CyclicLR(o, { baseLr: 0.1, maxLr: 1, stepSizeUp: 2, scaleFn: (x) => 1 / x, scaleMode: 'cycle' });
    const a = { paramGroups: [{ lr: 0, momentum: 0.9 }] };
    const s = make(a);
    for (let i = 0; i < 5; i++) s.step();
    const state = s.stateDict();
    expect(roundTrip(state)).toEqual(state);
    expect(JSON.stringify(state)).not.toContain('=>');
    const b = { paramGroups: [{ lr: 0, momentum: 0.9 }] };
    const t = make(b);
    t.loadStateDict(roundTrip(state));
    s.step();
    t.step();
    expect(b.paramGroups).toEqual(a.paramGroups);
    // cycle 2 peaks at base + (max - base) / 2 with scaleFn(2) = 1/2, at iteration 6
    expect(a.paramGroups[0]!.lr).toBeCloseTo(0.1 + 0.9 * 0.5, 15);
  });

  it('LambdaLR saves no lambdas', () => {
    const s = new LambdaLR({ paramGroups: [{ lr: 1 }] }, { lrLambda: (e) => 0.5 ** e });
    expect(Object.keys(s.stateDict()).sort()).toEqual(['_last_lr', '_step_count', 'base_lrs', 'last_epoch']);
  });
});

describe('closed forms', () => {
  it('CosineAnnealingWarmRestarts.step(epoch) with a fractional epoch', () => {
    const o = { paramGroups: [{ lr: 0.5 }] };
    const s = new CosineAnnealingWarmRestarts(o, { t0: 4, tMult: 2, etaMin: 0.01 });
    const at = (tCur: number, tI: number) =>
      0.01 + ((0.5 - 0.01) * (1 + Math.cos((Math.PI * tCur) / tI))) / 2;
    s.step(2.5);
    expect(o.paramGroups[0]!.lr).toBeCloseTo(at(2.5, 4), 15);
    s.step(9.25); // second period: [4, 12) of length 8
    expect(o.paramGroups[0]!.lr).toBeCloseTo(at(5.25, 8), 15);
    expect(s.lastEpoch).toBe(9);
  });

  it('resuming with lastEpoch keeps the lr of the checkpoint (PyTorch 2.x), then continues', () => {
    const closed = (e: number) => (0.1 * (1 + Math.cos((Math.PI * e) / 20))) / 2;
    const o = { paramGroups: [{ lr: closed(10), initialLr: 0.1 }] };
    const s = new CosineAnnealingLR(o, { tMax: 20, etaMin: 0, lastEpoch: 9 });
    expect(s.lastEpoch).toBe(10);
    expect(o.paramGroups[0]!.lr).toBe(closed(10));
    s.step();
    expect(o.paramGroups[0]!.lr).toBeCloseTo(closed(11), 15);

    const e = { paramGroups: [{ lr: 0.03, initialLr: 0.1 }] };
    const x = new ExponentialLR(e, { gamma: 0.5, lastEpoch: 3 });
    expect(x.lastEpoch).toBe(4);
    expect(e.paramGroups[0]!.lr).toBe(0.03);
    x.step();
    expect(e.paramGroups[0]!.lr).toBe(0.015);
  });

  it('a SequentialLR milestone jumps MultiplicativeLR to epoch 0 with one factor (PyTorch 2.x)', () => {
    const o = { paramGroups: [{ lr: 1 }] };
    const s = new SequentialLR(o, {
      schedulers: [
        new ConstantLR(o, { factor: 0.5, totalIters: 2 }),
        new MultiplicativeLR(o, { lrLambda: () => 0.9 }),
      ],
      milestones: [2],
    });
    const seen = [o.paramGroups[0]!.lr];
    for (let i = 0; i < 3; i++) {
      s.step();
      seen.push(o.paramGroups[0]!.lr);
    }
    // 1.13 keeps 0.5 at the milestone (its get_lr tests last_epoch > 0); 2.x multiplies there
    expect(seen[0]).toBe(0.5);
    expect(seen[1]).toBe(0.5);
    expect(seen[2]).toBeCloseTo(0.45, 15);
    expect(seen[3]).toBeCloseTo(0.405, 15);
  });
});

describe('ConstantLR with factor 0', () => {
  it('holds 0 until totalIters, then restores initialLr (PyTorch divides by zero there)', () => {
    const o = { paramGroups: [{ lr: 0.3 }] };
    const s = new ConstantLR(o, { factor: 0, totalIters: 2 });
    const seen = [o.paramGroups[0]!.lr];
    for (let i = 0; i < 3; i++) {
      s.step();
      seen.push(o.paramGroups[0]!.lr);
    }
    expect(seen).toEqual([0, 0, 0.3, 0.3]);
  });
});
