import { Variable } from '@opt/autograd';
import { type Tensor, tensor } from '@opt/tensor';
import { describe, expect, it } from 'vitest';
import { expectClose, fixture, type TJson, toTensor } from '../test/helpers';
import { NnInputError } from './errors';
import { BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, NLLLoss } from './losses/classification';
import { HuberLoss, L1Loss, MSELoss, SmoothL1Loss } from './losses/regression';
import type { Module } from './module';

interface LossCase {
  options: Record<string, any>;
  input: TJson;
  target: TJson;
  output: TJson;
  inputGrad: TJson;
  upstream?: TJson;
}
const cases = fixture<Record<string, LossCase>>('losses.json');

function check(name: string, make: (o: Record<string, any>) => Module, intTarget: boolean): void {
  const c = cases[name]!;
  const opts: Record<string, any> = {};
  for (const [k, v] of Object.entries(c.options)) {
    const key = k.replace(/_([a-z])/g, (_, ch: string) => ch.toUpperCase());
    opts[key] = typeof v === 'object' && v !== null ? toTensor(v as TJson) : v;
  }
  const x = new Variable(toTensor(c.input), { requiresGrad: true });
  const target = intTarget ? toTensor(c.target, 'int32') : toTensor(c.target);
  const out = make(opts).forward(x, target) as Variable;
  expectClose(out.data, c.output, 1e-5, 1e-6, `${name} output`);
  if (c.upstream)
    out
      .mul(new Variable(toTensor(c.upstream)))
      .sum()
      .backward();
  else out.backward();
  expectClose(x.grad!, c.inputGrad, 1e-4, 1e-6, `${name} input grad`);
}

describe('losses match PyTorch (value and input gradient)', () => {
  it('CrossEntropyLoss: mean, sum, none, weight, ignoreIndex, labelSmoothing, both', () => {
    for (const name of [
      'ce_mean',
      'ce_sum',
      'ce_none',
      'ce_weight',
      'ce_ignore',
      'ce_smooth',
      'ce_smooth_weight',
    ]) {
      check(name, (o) => new CrossEntropyLoss(o), true);
    }
  });
  it('NLLLoss, with and without weight', () => {
    check('nll_mean', (o) => new NLLLoss(o), true);
    check('nll_weight', (o) => new NLLLoss(o), true);
  });
  it('MSELoss, L1Loss, SmoothL1Loss, HuberLoss', () => {
    check('mse', (o) => new MSELoss(o), false);
    check('mse_sum', (o) => new MSELoss(o), false);
    check('l1', (o) => new L1Loss(o), false);
    check('smoothl1', (o) => new SmoothL1Loss(o), false);
    check('huber', (o) => new HuberLoss(o), false);
  });
  it('BCELoss and BCEWithLogitsLoss (with weight / posWeight)', () => {
    check('bce', (o) => new BCELoss(o), false);
    check('bce_weight', (o) => new BCELoss(o), false);
    check('bcelogits', (o) => new BCEWithLogitsLoss(o), false);
    check('bcelogits_posw', (o) => new BCEWithLogitsLoss(o), false);
  });
});

describe('loss errors', () => {
  const logits = () =>
    new Variable(
      tensor([
        [1, 2, 3],
        [0, 0, 0],
      ]),
      { requiresGrad: true },
    );
  it('CrossEntropyLoss rejects a label out of range, naming it', () => {
    expect(() =>
      new CrossEntropyLoss().forward(logits(), tensor([0, 3], undefined, { dtype: 'int32' })),
    ).toThrow(
      new NnInputError(
        'CrossEntropyLoss: target[1] = 3 is out of range for 3 classes (expected 0 ≤ target < 3 or ignoreIndex -100)',
      ),
    );
  });
  it('CrossEntropyLoss rejects float targets and mismatched batch sizes', () => {
    expect(() => new CrossEntropyLoss().forward(logits(), tensor([0, 1]))).toThrow(
      /CrossEntropyLoss: expected int32 class indices as target, got dtype float32/,
    );
    expect(() =>
      new CrossEntropyLoss().forward(logits(), tensor([0], undefined, { dtype: 'int32' })),
    ).toThrow('CrossEntropyLoss: expected target of shape [2] for input [2, 3], got [1]');
  });
  it('accepts a Variable target', () => {
    const t = new Variable(tensor([2, 0], undefined, { dtype: 'int32' }));
    expect(new CrossEntropyLoss({ reduction: 'sum' }).forward(logits(), t).item()).toBeCloseTo(
      -Math.log(Math.exp(3) / (Math.exp(1) + Math.exp(2) + Math.exp(3))) + Math.log(3),
      5,
    );
  });
  it('regression losses want equal shapes, and reduction is checked', () => {
    expect(() => new MSELoss().forward(logits(), tensor([1, 2]))).toThrow(
      'MSELoss: target shape [2] does not match input shape [2, 3]',
    );
    expect(() => new MSELoss({ reduction: 'avg' as never })).toThrow(
      `MSELoss: reduction must be 'mean', 'sum' or 'none', got "avg"`,
    );
  });
});

describe('BCELoss gradients (PyTorch’s backward formulas)', () => {
  const bitsOf = (t: Tensor) => Array.from(new Uint32Array(Float32Array.from(t.toTypedArray()).buffer));

  it('stay finite after a saturated sigmoid, as in PyTorch 1.13', () => {
    // torch.sigmoid(z) for z = [20, -20, 0.3, 17.5] rounds to 1 at 20 and 17.5; BCELoss against
    // [0, 1, 1, 1], backward: z.grad bits [0, 3196059648, 3185173164, 0] (0, −0.25, −0.10638937, 0)
    const z = new Variable(tensor([20, -20, 0.3, 17.5]), { requiresGrad: true });
    const loss = new BCELoss().forward(z.sigmoid(), tensor([0, 1, 1, 1]));
    expect(loss.item()).toBeCloseTo(30.138587951660156, 5);
    loss.backward();
    expect(bitsOf(z.grad!)).toEqual([0, 3196059648, 3185173164, 0]);
  });

  it("give the target PyTorch 2.x's −logit(x)·g·w / N", () => {
    const x = tensor([0.2, 0.7, 0.9]);
    const w = tensor([1, 2, 0.5]);
    const y = new Variable(tensor([0, 1, 0.5]), { requiresGrad: true });
    new BCELoss({ weight: w }).forward(new Variable(x), y).backward();
    const f = Math.fround;
    const want = [0.2, 0.7, 0.9].map((v, i) => {
      const logit = f(Math.log(f(f(v) / f(1 - f(v)))));
      return f(f(f(-logit) * 1) * f([1, 2, 0.5][i]!)) / 3;
    });
    expect(Array.from(y.grad!.toTypedArray())).toEqual(want.map(f));
  });
});
