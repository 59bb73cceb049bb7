/**
 * One call per package, run in an empty project that installed only the packed
 * tarball and its declared dependencies. `m` is the package's module; each
 * snippet returns a value the test compares with `expected`.
 */
export interface SmokeCall {
  /** What the snippet computes, as a JS expression over `m` (the package) and `t` (@opt/tensor). */
  expression: string;
  /** The JSON of the value it must produce. */
  expected: string;
}

export const smokeCalls: Record<string, SmokeCall> = {
  '@opt/tensor': { expression: 'm.zeros([2, 3]).numel', expected: '6' },
  '@opt/autograd': {
    expression:
      '(() => { const x = new m.Variable(t.tensor([3]), { requiresGrad: true }); const y = x.mul(x); y.backward(); return x.grad.toArray(); })()',
    expected: '[6]',
  },
  '@opt/nn': { expression: 'new m.Linear(4, 3).parameters().length', expected: '2' },
  '@opt/data': {
    expression: 'new m.TensorDataset(t.zeros([5, 2]), t.zeros([5])).length',
    expected: '5',
  },
  '@opt/optim': {
    expression: 'new m.SGD([{ data: t.zeros([2]), grad: null }], { lr: 0.1 }).paramGroups[0].lr',
    expected: '0.1',
  },
  '@opt/lr-scheduler': {
    expression:
      '(() => { const s = new m.StepLR({ paramGroups: [{ lr: 1 }] }, { stepSize: 1, gamma: 0.5 }); s.step(); return s.getLastLr(); })()',
    expected: '[0.5]',
  },
  '@opt/checkpoint': {
    expression: 'm.fromBytes(m.toBytes({ a: [1, "x", null] }))',
    expected: '{"a":[1,"x",null]}',
  },
};
