import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromTypedArray, type Tensor } from '@opt/tensor';
import type { Optimizer, ParamLike } from '../src/index';
import * as optim from '../src/index';

/** One case of fixtures/trajectories.json (written by make_fixtures.py). */
export interface Case {
  optimizer: string;
  options: Record<string, unknown>;
  lr1: number;
  trajectory: number[][][];
  final_state: Record<string, Record<string, number[] | number | null>>;
  state_keys: string[];
  group_keys: string[];
  param_group_values: Record<string, unknown>[];
  emulated: string[];
}

export const fx = JSON.parse(readFileSync(join(__dirname, 'fixtures/trajectories.json'), 'utf8')) as {
  steps: number;
  shapes: number[][];
  groups: number[][];
  initial: number[][];
  consts: number[][];
  cases: Case[];
  resumes: {
    optimizer: string;
    options: Record<string, unknown>;
    lr1: number;
    file: string;
    stop: number;
    params_at_stop: number[][];
    trajectory: number[][][];
  }[];
  printouts: {
    optimizer: string;
    groups: ({ shape: number[] } & Record<string, unknown>)[];
    options: Record<string, unknown>;
    torch_1_13: string;
    expected_2x: string;
  }[];
};

/** Fresh parameters with the fixture's initial values. */
export function freshParams(): ParamLike[] {
  return fx.shapes.map((s, i) => ({
    data: fromTypedArray(Float32Array.from(fx.initial[i]!), s),
    grad: null,
  }));
}

/** The optimizer of a case over `params`, with the fixture's two groups. */
export function build(
  c: Pick<Case, 'optimizer' | 'options' | 'lr1'>,
  params: ParamLike[],
): Optimizer<object> {
  const Ctor = (optim as unknown as Record<string, new (p: unknown, o: unknown) => Optimizer<object>>)[
    c.optimizer
  ]!;
  return new Ctor(
    [
      { params: fx.groups[0]!.map((i) => params[i]!) },
      { params: fx.groups[1]!.map((i) => params[i]!), lr: c.lr1 },
    ],
    c.options,
  );
}

/** Sets the fixture's deterministic gradient g = 0.2p³ − p + c (float64, rounded to float32); p2 has none on odd steps. */
export function setGrads(params: ParamLike[], step: number): void {
  params.forEach((p, i) => {
    if (i === 2 && step % 2 === 1) {
      p.grad = null;
      return;
    }
    const x = p.data.toTypedArray();
    const g = new Float32Array(x.length);
    const c = fx.consts[i]!;
    for (let k = 0; k < x.length; k++) {
      const v = x[k]!;
      g[k] = 0.2 * v * v * v - v + c[k]!;
    }
    p.grad = fromTypedArray(g, [...p.data.shape]);
  });
}

/**
 * `null` when every element satisfies |a − e| ≤ atol + rtol·|e| (torch.allclose's rule), else a
 * description of the worst element.
 */
export function closeness(
  actual: Tensor,
  expected: ArrayLike<number>,
  rtol: number,
  atol: number,
): string | null {
  const a = actual.toTypedArray();
  if (a.length !== expected.length) return `length ${a.length} vs ${expected.length}`;
  let worst: string | null = null;
  let worstExcess = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    const excess = Math.abs(a[i]! - e) - (atol + rtol * Math.abs(e));
    if (excess > worstExcess) {
      worstExcess = excess;
      worst = `element ${i}: ${a[i]} vs ${e}`;
    }
  }
  return worst;
}
