import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ChainedScheduler,
  CosineAnnealingWarmRestarts,
  type LRScheduler,
  type LrLambda,
  type OptimizerLike,
  type ParamGroupLike,
  ReduceLROnPlateau,
  type Scheduler,
  SchedulerError,
  SequentialLR,
} from '../src/index';
import { CLASSES, freshOptimizer, resolveOptions } from './helpers';

/**
 * Edge cases replayed against PyTorch's numbers (fixtures/edge.json, written
 * by fixtures/make_edge_fixtures.py with PyTorch 1.13 patched to 2.x's
 * behaviour where the two differ; the script documents each difference).
 */

type Num = number | string;

interface Spec {
  kind: string;
  options?: Record<string, unknown>;
  children?: Spec[];
  otherOptimizer?: boolean;
}

interface Run extends Spec {
  name: string;
  groups: ParamGroupLike[];
  steps: number;
  args?: (Num | null)[];
}

interface Case extends Run {
  recordMomentum?: boolean;
  tsOptions?: Record<string, unknown>;
  oursRejects?: { arg: string; value: string; reason: string };
  note2x?: string;
  /** Why this case is not compared (it.skip). */
  skip?: string;
  lr: Num[][];
  lastLr: Num[][];
  momentum: Num[][] | null;
  error: { at: number; type: string; message: string } | null;
  stateKeys?: string[];
  childStateKeys?: string[][];
}

interface ErrorCase extends Run {
  arg: string;
  value: string | null;
  stricter?: string;
  deliberate?: string;
  oursLr?: number[][];
  torch: { raised: boolean; at?: number; type?: string; message?: string; lr?: Num[][] };
}

const fixture = JSON.parse(readFileSync(new URL('./fixtures/edge.json', import.meta.url), 'utf8')) as {
  torch: string;
  follows: string;
  cases: Case[];
  errors: ErrorCase[];
};

// The same functions, by name, as in make_edge_fixtures.py.
const LAMBDAS: Record<string, LrLambda> = {
  half: () => 0.5,
  zeroFrom3: (epoch) => (epoch >= 3 ? 0.0 : 1.0),
  exp9: (epoch) => 0.9 ** epoch,
  invLinear: (epoch) => 1.0 / (epoch + 1),
  alt: (epoch) => (epoch % 2 === 0 ? 0.9 : 1.05),
};
const SCALE_FNS: Record<string, (x: number) => number> = {
  inv: (x) => 1.0 / (1.0 + x),
  third: (x) => (x > 1 ? 1.0 / 3.0 : 1.0),
};

/** Decodes the fixture's non-finite numbers ("NaN", "Infinity", "-Infinity"); other values pass. */
function num(x: unknown): unknown {
  if (x === 'NaN') return Number.NaN;
  if (x === 'Infinity') return Number.POSITIVE_INFINITY;
  if (x === '-Infinity') return Number.NEGATIVE_INFINITY;
  return x;
}

/** Builds children first, depth-first, as the fixture script does (construction order matters). */
function build(
  spec: Spec,
  optimizer: OptimizerLike,
  other: OptimizerLike,
  options = spec.options,
): Scheduler | ReduceLROnPlateau {
  const o = spec.otherOptimizer ? other : optimizer;
  const children = (spec.children ?? []).map((c) => build(c, o, other));
  const resolved = resolveOptions(options, LAMBDAS, SCALE_FNS);
  switch (spec.kind) {
    case 'ReduceLROnPlateau':
      return new ReduceLROnPlateau(o, resolved);
    case 'SequentialLR':
      return new SequentialLR(o, {
        schedulers: children as LRScheduler[],
        milestones: resolved.milestones as number[],
      });
    case 'ChainedScheduler':
      return new ChainedScheduler(children as Scheduler[]);
    default: {
      const cls = CLASSES[spec.kind];
      if (!cls) throw new Error(`unknown scheduler ${spec.kind}`);
      return new cls(o, resolved);
    }
  }
}

function stepOnce(scheduler: Scheduler | ReduceLROnPlateau, arg: Num | null | undefined): void {
  if (scheduler instanceof ReduceLROnPlateau) scheduler.step(num(arg) as number);
  else if (arg !== null && arg !== undefined && scheduler instanceof CosineAnnealingWarmRestarts) {
    scheduler.step(num(arg) as number);
  } else scheduler.step();
}

interface Replay {
  lr: number[][];
  lastLr: number[][];
  momentum: number[][];
  /** -1: thrown by the constructor; i: thrown by the i-th step() (0-based); null: nothing thrown. */
  thrownAt: number | null;
  error: unknown;
  scheduler: Scheduler | ReduceLROnPlateau | null;
}

/** The fixture script's loop: record after construction, then step and record, `steps` times. */
function replay(run: Run, options = run.options): Replay {
  const optimizer = freshOptimizer(run.groups);
  const other = freshOptimizer(run.groups);
  const out: Replay = { lr: [], lastLr: [], momentum: [], thrownAt: null, error: null, scheduler: null };
  const row = (s: Scheduler | ReduceLROnPlateau) => {
    out.lr.push(optimizer.paramGroups.map((g) => g.lr));
    out.lastLr.push(s.getLastLr());
    out.momentum.push(optimizer.paramGroups.map((g) => (g.betas ? g.betas[0]! : g.momentum!)));
  };
  let scheduler: Scheduler | ReduceLROnPlateau;
  try {
    scheduler = build(run, optimizer, other, options);
  } catch (e) {
    out.thrownAt = -1;
    out.error = e;
    return out;
  }
  out.scheduler = scheduler;
  row(scheduler);
  for (let i = 0; i < run.steps; i++) {
    try {
      stepOnce(scheduler, run.args?.[i]);
    } catch (e) {
      out.thrownAt = i;
      out.error = e;
      break;
    }
    row(scheduler);
  }
  return out;
}

/**
 * Relative tolerance of the comparisons. Our formulas are PyTorch's, term for
 * term and in the same order, so most values are bit-identical (the last
 * test counts them). The others come from Math.cos and `**`, which V8
 * computes with its own port of fdlibm where CPython calls glibc: the two can
 * differ in the last bit, and the chainable (recursive) forms carry such a
 * bit from step to step. The largest difference seen is 3 ulps (6.7e-16
 * relative, CyclicLR chained with CosineAnnealingLR); 1e-12 leaves room for
 * other platforms' libm and is still far below any formula difference (a
 * wrong branch or factor is off by 1e-3 or more).
 */
const RELATIVE = 1e-12;

function same(actual: number, expected: number): boolean {
  if (Number.isNaN(expected)) return Number.isNaN(actual);
  return Object.is(actual, expected) || actual === expected;
}

function close(actual: number, expected: number): boolean {
  if (same(actual, expected)) return true;
  return Math.abs(actual - expected) <= RELATIVE * Math.abs(expected);
}

function expectRows(
  actual: number[][],
  expected: Num[][],
  what: string,
  stats: { exact: number; total: number },
): void {
  expect(actual.length, `${what}: number of rows`).toBe(expected.length);
  actual.forEach((row, i) => {
    const want = expected[i]!.map((x) => num(x) as number);
    expect(row.length, `${what}[${i}]: number of groups`).toBe(want.length);
    row.forEach((a, g) => {
      const e = want[g]!;
      stats.total += 1;
      if (same(a, e)) stats.exact += 1;
      else if (!close(a, e)) {
        throw new Error(
          `${what} at row ${i}, group ${g}: ours ${a}, PyTorch ${e} (relative error ${Math.abs(a / e - 1)})`,
        );
      }
    });
  });
}

/** Our replay's learning rates, last learning rates and (when recorded) momenta against PyTorch's. */
function expectReplay(ours: Replay, c: Case, stats: { exact: number; total: number }): void {
  expectRows(ours.lr, c.lr, 'lr', stats);
  expectRows(ours.lastLr, c.lastLr, 'getLastLr()', stats);
  if (c.momentum) expectRows(ours.momentum, c.momentum, 'momentum', stats);
}

/**
 * State-dict keys: what PyTorch 2.x saves (the fixture maps 1.13's keys to
 * 2.x's) against ours. PyTorch also saves transient flags and functions,
 * which ours leaves out by design (functions are given again to the
 * constructor); ours adds a step count to ChainedScheduler (documented there).
 */
const TORCH_ONLY_KEYS = new Set(['_get_lr_called_within_step', '_is_initial', 'lr_lambdas']);
const OURS_ONLY_KEYS: Record<string, string[]> = {
  ChainedScheduler: ['last_epoch'],
  // 2.x sets these attributes only when cycle_momentum is true; ours saves them always
  CyclicLR: ['use_beta1', 'base_momentums', 'max_momentums'],
};

function expectKeys(ours: Record<string, unknown>, torchKeys: string[], kind: string, what: string): void {
  const oursKeys = Object.keys(ours).filter(
    (k) => !(OURS_ONLY_KEYS[kind] ?? []).includes(k) || torchKeys.includes(k),
  );
  const expected = torchKeys.filter((k) => !TORCH_ONLY_KEYS.has(k));
  expect(oursKeys.sort(), what).toEqual(expected.sort());
}

const describeValue = (e: unknown) => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));

describe(`edge cases against PyTorch ${fixture.torch} (following ${fixture.follows}; make_edge_fixtures.py)`, () => {
  for (const c of fixture.cases) {
    const title = c.note2x ? `${c.name} (PyTorch 2.x's values; 1.13 differs)` : c.name;
    describe(title, () => {
      const compare = c.skip ? it.skip : it;
      const what = c.skip
        ? `lr, getLastLr() and momentum after every step (skipped: ${c.skip})`
        : 'lr, getLastLr() and momentum after construction and after every step';
      compare(what, () => {
        const ours = replay(c, c.tsOptions ?? c.options);
        if (c.error) {
          expect(ours.thrownAt, `PyTorch raised at step ${c.error.at}: ${c.error.message}`).toBe(c.error.at);
          expect(ours.error).toBeInstanceOf(SchedulerError);
          if (c.error.message.startsWith('Tried to step')) {
            expect((ours.error as Error).message).toContain(c.error.message);
          }
        } else {
          expect(ours.thrownAt, describeValue(ours.error)).toBeNull();
        }
        const stats = { exact: 0, total: 0 };
        expectReplay(ours, c, stats);
      });

      if (c.stateKeys) {
        it('stateDict() has the keys of PyTorch 2.x state_dict()', () => {
          const { scheduler } = replay(c, c.tsOptions ?? c.options);
          const state = scheduler!.stateDict();
          expectKeys(state, c.stateKeys!, c.kind, 'top level');
          c.childStateKeys?.forEach((keys, i) => {
            const child = (state._schedulers as Record<string, unknown>[])[i]!;
            expectKeys(child, keys, c.children![i]!.kind, `_schedulers[${i}]`);
          });
        });
      }

      if (c.oursRejects) {
        it(`ours refuses PyTorch's options (deliberate): ${c.oursRejects.reason}`, () => {
          const ours = replay(c);
          expect(ours.thrownAt).toBe(-1);
          expect(ours.error).toBeInstanceOf(SchedulerError);
          expect((ours.error as Error).message).toContain(c.oursRejects!.arg);
          expect((ours.error as Error).message).toContain(c.oursRejects!.value);
        });
      }
    });
  }

  it('compares a few thousand values, most of them bit for bit', () => {
    const stats = { exact: 0, total: 0 };
    for (const c of fixture.cases.filter((x) => !x.skip)) {
      const ours = replay(c, c.tsOptions ?? c.options);
      expectReplay(ours, c, stats);
    }
    expect(stats.total).toBeGreaterThan(3000);
    expect(stats.exact / stats.total).toBeGreaterThan(0.95);
  });
});

describe('bad arguments: ours throws no later than PyTorch, naming the argument and the value', () => {
  for (const e of fixture.errors) {
    const t = e.torch;
    const where = t.raised ? (t.at === -1 ? 'at construction' : `at step ${t.at}`) : 'never';
    if (e.deliberate) {
      it(`${e.name}: PyTorch raises ${where}; ours does not (deliberate: ${e.deliberate})`, () => {
        const ours = replay(e);
        expect(ours.thrownAt, describeValue(ours.error)).toBeNull();
        expect(ours.lr).toEqual(e.oursLr);
      });
      continue;
    }
    const title = t.raised
      ? `${e.name}: PyTorch raises ${where} (${t.type}: ${t.message})`
      : `${e.name}: PyTorch accepts it; ours refuses (stricter: ${e.stricter})`;
    it(title, () => {
      const ours = replay(e);
      expect(ours.thrownAt, 'ours did not throw').not.toBeNull();
      if (t.raised) expect(ours.thrownAt!).toBeLessThanOrEqual(t.at!);
      else expect(ours.thrownAt).toBe(-1);
      const error = ours.error as Error;
      expect(error instanceof SchedulerError || error instanceof TypeError, describeValue(error)).toBe(true);
      expect(error.message).toContain(e.arg);
      if (e.value !== null) expect(error.message).toContain(e.value);
    });
  }
});
