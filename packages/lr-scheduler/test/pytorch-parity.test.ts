import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ChainedScheduler,
  type CosineAnnealingWarmRestarts,
  type LRScheduler,
  type LrLambda,
  type OptimizerLike,
  type ParamGroupLike,
  ReduceLROnPlateau,
  type Scheduler,
  type SchedulerState,
  SequentialLR,
  warmup,
  warmupCosine,
} from '../src/index';
import { CLASSES, freshOptimizer, resolveOptions } from './helpers';

/** One child or top-level scheduler as the fixture script describes it. */
interface Spec {
  kind: string;
  options?: Record<string, unknown>;
  children?: Spec[];
}

interface Case extends Spec {
  name: string;
  groups: ParamGroupLike[];
  steps: number;
  saveAt: number;
  metrics?: number[];
  epochs?: number[];
  momentumKey?: 'momentum' | 'betas';
  lr: number[][];
  momentum: number[][] | null;
  state: SchedulerState;
}

const fixture = JSON.parse(readFileSync(new URL('./fixtures/schedules.json', import.meta.url), 'utf8')) as {
  torch: string;
  cases: Case[];
};

// The same functions, by name, as in make_fixtures.py.
const LAMBDAS: Record<string, LrLambda> = {
  step20: (epoch) => 0.1 ** Math.floor(epoch / 20),
  exp95: (epoch) => 0.95 ** epoch,
  invSqrt: (epoch) => 1 / Math.sqrt(epoch + 1),
  const95: () => 0.95,
  alt: (epoch) => (epoch % 2 === 0 ? 0.9 : 1.05),
};
const SCALE_FNS: Record<string, (x: number) => number> = {
  halfPow: (x) => 0.5 ** x,
  decayIter: (x) => 1 / (1 + 0.01 * x),
};

function build(spec: Spec, optimizer: OptimizerLike): Scheduler | ReduceLROnPlateau {
  const options = resolveOptions(spec.options, LAMBDAS, SCALE_FNS);
  switch (spec.kind) {
    case 'ReduceLROnPlateau':
      return new ReduceLROnPlateau(optimizer, options);
    case 'SequentialLR':
      return new SequentialLR(optimizer, {
        schedulers: spec.children!.map((c) => build(c, optimizer) as LRScheduler),
        milestones: options.milestones as number[],
      });
    case 'ChainedScheduler':
      return new ChainedScheduler(spec.children!.map((c) => build(c, optimizer) as Scheduler));
    case 'warmup':
      return warmup(optimizer, build(spec.children![0]!, optimizer) as LRScheduler, options as any);
    case 'warmupCosine':
      return warmupCosine(optimizer, options as any);
    default: {
      const cls = CLASSES[spec.kind];
      if (!cls) throw new Error(`unknown scheduler ${spec.kind}`);
      return new cls(optimizer, options);
    }
  }
}

function close(actual: number, expected: number): boolean {
  return Math.abs(actual - expected) <= 1e-9 * Math.abs(expected) + 1e-15;
}

function expectRow(actual: number[], expected: number[], what: string): void {
  expect(actual.length, what).toBe(expected.length);
  actual.forEach((a, i) => {
    if (!close(a, expected[i]!)) {
      throw new Error(
        `${what}[${i}]: got ${a}, PyTorch ${expected[i]} (relative error ${Math.abs(a / expected[i]! - 1)})`,
      );
    }
  });
}

/** Compares our state with PyTorch's on the keys both have; returns how many leaves were compared. */
function compareState(ours: unknown, theirs: unknown, path: string): number {
  if (typeof theirs === 'number' && typeof ours === 'number') {
    if (!close(ours, theirs)) throw new Error(`${path}: ours ${ours}, PyTorch ${theirs}`);
    return 1;
  }
  if (Array.isArray(theirs)) {
    expect(Array.isArray(ours), path).toBe(true);
    expect((ours as unknown[]).length, path).toBe(theirs.length);
    return theirs.reduce<number>(
      (n, t, i) => n + compareState((ours as unknown[])[i], t, `${path}[${i}]`),
      0,
    );
  }
  if (theirs !== null && typeof theirs === 'object') {
    let n = 0;
    for (const [k, t] of Object.entries(theirs)) {
      if (ours !== null && typeof ours === 'object' && k in (ours as object)) {
        n += compareState((ours as Record<string, unknown>)[k], t, `${path}.${k}`);
      }
    }
    return n;
  }
  expect(ours, path).toEqual(theirs);
  return 1;
}

function readMomentum(c: Case, optimizer: OptimizerLike): number[] {
  return optimizer.paramGroups.map((g) => (c.momentumKey === 'betas' ? g.betas![0]! : g.momentum!));
}

function stepOnce(c: Case, scheduler: Scheduler | ReduceLROnPlateau, i: number): void {
  if (scheduler instanceof ReduceLROnPlateau) scheduler.step(c.metrics![i]!);
  else if (c.epochs) (scheduler as CosineAnnealingWarmRestarts).step(c.epochs[i]!);
  else scheduler.step();
}

/** Runs the tutorial's loop; with `resume`, swaps in a fresh optimizer and scheduler loaded from JSON at saveAt. */
function run(
  c: Case,
  resume: boolean,
): { lr: number[][]; momentum: number[][]; saved: SchedulerState | null } {
  let optimizer = freshOptimizer(c.groups);
  let scheduler = build(c, optimizer);
  const lr: number[][] = [];
  const momentum: number[][] = [];
  let saved: SchedulerState | null = null;
  for (let i = 0; i < c.steps; i++) {
    if (i === c.saveAt) {
      saved = JSON.parse(JSON.stringify(scheduler.stateDict())) as SchedulerState;
      if (resume) {
        optimizer = freshOptimizer(c.groups);
        scheduler = build(c, optimizer);
        scheduler.loadStateDict(saved);
      }
    }
    lr.push(optimizer.paramGroups.map((g) => g.lr));
    momentum.push(readMomentum(c, optimizer));
    stepOnce(c, scheduler, i);
  }
  return { lr, momentum, saved };
}

describe(`PyTorch ${fixture.torch} parity (make_fixtures.py)`, () => {
  it('has every scheduler and the tutorial settings', () => {
    const kinds = new Set(fixture.cases.map((c) => c.kind));
    for (const k of [...Object.keys(CLASSES), 'ReduceLROnPlateau', 'SequentialLR', 'ChainedScheduler']) {
      expect(kinds.has(k), k).toBe(true);
    }
    expect(fixture.cases.filter((c) => c.name.startsWith('tutorial_')).map((c) => c.steps)).toEqual([
      200, 200, 200, 200, 200, 200,
    ]);
  });

  for (const c of fixture.cases) {
    describe(c.name, () => {
      it('replays the whole sequence to 1e-9 relative', () => {
        const { lr, momentum } = run(c, false);
        for (const [i, row] of lr.entries()) expectRow(row, c.lr[i]!, `lr at step ${i}`);
        if (c.momentum)
          for (const [i, row] of momentum.entries()) expectRow(row, c.momentum![i]!, `momentum at step ${i}`);
      });

      it(`saves at step ${c.saveAt}, loads into a fresh scheduler and continues identically`, () => {
        const { lr, momentum, saved } = run(c, true);
        for (const [i, row] of lr.entries()) expectRow(row, c.lr[i]!, `lr at step ${i}`);
        if (c.momentum)
          for (const [i, row] of momentum.entries()) expectRow(row, c.momentum![i]!, `momentum at step ${i}`);
        expect(saved).not.toBeNull();
        const compared = compareState(saved, c.state, 'state');
        expect(compared).toBeGreaterThanOrEqual(3);
      });
    });
  }
});
