import { fromBytes, toBytes } from '@opt/checkpoint';
import { sparseCooTensor, type Tensor, tensor, type zeros } from '@opt/tensor';
import { describe, expect, it } from 'vitest';
import {
  Adagrad,
  Adam,
  ASGD,
  type Optimizer,
  OptimizerError,
  type OptimizerStateDict,
  type ParamLike,
  RMSprop,
  SGD,
} from './index';

const param = (values: number[]): ParamLike => ({ data: tensor(values), grad: null });

describe("the tutorials' optimizer walkthrough", () => {
  it('prints one group like PyTorch (tutorial 03, lr 1 / SGD defaults)', () => {
    const w = param([1, 2]);
    expect(String(new SGD([w], { lr: 1 }))).toBe(
      'SGD (\nParameter Group 0\n    dampening: 0\n    differentiable: False\n    foreach: None\n    fused: None\n    lr: 1\n    maximize: False\n    momentum: 0\n    nesterov: False\n    weight_decay: 0\n)',
    );
  });

  it('prints two groups, features at 1e-05 and classifier at 0.01', () => {
    const f = param([1]);
    const c = param([2]);
    const opt = new SGD([{ params: [f] }, { params: [c], lr: 1e-2 }], { lr: 1e-5 });
    const text = String(opt);
    expect(text).toContain(
      'Parameter Group 0\n    dampening: 0\n    differentiable: False\n    foreach: None\n    fused: None\n    lr: 1e-05\n',
    );
    expect(text).toContain('\n\nParameter Group 1\n');
    expect(text).toContain('    lr: 0.01\n');
    expect(opt.paramGroups[0]!.params[0]).toBe(f); // the very object, not a copy
    for (const g of opt.paramGroups) g.lr *= 0.1;
    expect(opt.paramGroups.map((g) => g.lr)).toEqual([1e-5 * 0.1, 1e-2 * 0.1]);
  });

  it('prints tuples and floats as Python does', () => {
    const text = String(new Adam([param([1])], { lr: 0.001 }));
    expect(text).toContain('    betas: (0.9, 0.999)\n');
    expect(text).toContain('    eps: 1e-08\n');
    expect(text).toContain('    lr: 0.001\n');
  });

  it('addParamGroup with lr 0.0001 keeps the other defaults', () => {
    const opt = new SGD([param([1])], { lr: 0.01, momentum: 0.9 });
    const extra = param([3]);
    opt.addParamGroup({ params: [extra], lr: 0.0001 });
    expect(opt.paramGroups).toHaveLength(2);
    expect(opt.paramGroups[1]!.lr).toBe(0.0001);
    expect(opt.paramGroups[1]!.momentum).toBe(0.9);
    expect(String(opt)).toContain(
      'Parameter Group 1\n    dampening: 0\n    differentiable: False\n    foreach: None\n    fused: None\n    lr: 0.0001\n',
    );
  });

  it('ten momentum steps, then stateDict and back: the buffer follows b ← 0.9b + g', () => {
    const w = param([1, -2]);
    const opt = new SGD([w], { lr: 0.01, momentum: 0.9 });
    // PyTorch's float32 arithmetic, one rounding per operation: b ← fl(fl(0.9·b) + g),
    // x ← fl(x + fl(−0.01·b)). PyTorch 1.13 prints buffer 6.513214588165283 and
    // x [0.5861894488334656, -2.4138104915618896] after these ten steps.
    const f = Math.fround;
    let b = [0, 0];
    let x = [1, -2];
    for (let i = 0; i < 10; i++) {
      w.grad = tensor([1, 1]);
      opt.step();
      b = b.map((v) => (i === 0 ? 1 : f(f(f(0.9) * v) + 1)));
      x = x.map((v, k) => f(v + f(f(-0.01) * b[k]!)));
    }
    const sd = opt.stateDict();
    expect((sd.state[0]!.momentum_buffer as ReturnType<typeof tensor>).toArray()).toEqual(b);
    expect(b[0]).toBe(6.513214588165283);
    expect(Array.from(w.data.toTypedArray())).toEqual(x);
    expect(sd.param_groups[0]).toMatchObject({
      lr: 0.01,
      momentum: 0.9,
      dampening: 0,
      weight_decay: 0,
      nesterov: false,
      params: [0],
    });
    const again = new SGD([w], { lr: 0.5 });
    again.loadStateDict(fromBytes(toBytes(sd)) as OptimizerStateDict);
    expect(again.paramGroups[0]!.lr).toBe(0.01);
    expect(again.paramGroups[0]!.momentum).toBe(0.9);
    expect((again.state.get(w)!.momentum_buffer as ReturnType<typeof tensor>).toArray()).toEqual(
      b.map(Math.fround),
    );
  });

  it('momentum 0.9 vs 0.63 (lr 0.01) and lr 0.03 without momentum on y = 4x²: x and v follow v ← μv + 8x, x ← x − lr·v', () => {
    for (const [lr, mu] of [
      [0.01, 0.9],
      [0.01, 0.63],
      [0.03, 0],
    ] as const) {
      const x = param([2]);
      const opt = new SGD([x], { lr, momentum: mu });
      let xv = 2;
      let v = 0;
      for (let i = 0; i < 50; i++) {
        x.grad = tensor([8 * x.data.item()]);
        opt.step();
        v = i === 0 ? 8 * xv : mu * v + 8 * xv;
        xv -= lr * v;
        expect(x.data.item()).toBeCloseTo(xv, 4);
      }
    }
  });
});

describe('Optimizer base: PyTorch checks and behaviour', () => {
  it('rejects a parameter in two groups, a group without params, an empty list, duplicates', () => {
    const a = param([1]);
    expect(() => new SGD([{ params: [a] }, { params: [a] }])).toThrow(
      'some parameters appear in more than one parameter group',
    );
    const opt = new SGD([a]);
    expect(() => opt.addParamGroup({ params: [a] })).toThrow(
      'some parameters appear in more than one parameter group',
    );
    expect(() => opt.addParamGroup({ lr: 1 } as never)).toThrow(/must have a 'params' key/);
    expect(() => new SGD([])).toThrow('optimizer got an empty parameter list');
    expect(() => new SGD([a, a])).toThrow(/duplicate parameters/);
    expect(() => new SGD([{ notAParam: 1 } as never])).toThrow(/can only optimize Tensors/);
  });

  it("validates with PyTorch's messages, also in added groups", () => {
    const a = param([1]);
    expect(() => new SGD([a], { lr: -1 })).toThrow(new OptimizerError('Invalid learning rate: -1'));
    expect(() => new SGD([a], { momentum: -0.5 })).toThrow('Invalid momentum value: -0.5');
    expect(() => new SGD([a], { lr: 0.1, nesterov: true })).toThrow(
      'Nesterov momentum requires a momentum and zero dampening',
    );
    expect(() => new Adam([a], { betas: [1.0, 0.999] })).toThrow('Invalid beta parameter at index 0: 1');
    expect(() => new Adam([a], { betas: [0.9, -0.1] })).toThrow('Invalid beta parameter at index 1: -0.1');
    expect(() => new Adam([a], { eps: -1e-8 })).toThrow('Invalid epsilon value: -1e-08');
    expect(() => new Adam([a], { weightDecay: -1 })).toThrow('Invalid weight_decay value: -1');
    const opt = new SGD([a], { lr: 0.1 });
    expect(() => opt.addParamGroup({ params: [param([2])], lr: -3 })).toThrow('Invalid learning rate: -3');
    expect(opt.paramGroups).toHaveLength(1); // nothing half-added
  });

  it('step(closure) returns the closure value; zeroGrad sets to null or zeros', () => {
    const a = param([1, 2]);
    const opt = new SGD([a], { lr: 0.1 });
    const loss = opt.step(() => {
      a.grad = tensor([1, 1]);
      return 42;
    });
    expect(loss).toBe(42);
    expect(opt.stepCount).toBe(1);
    expect(a.data.toArray()).toEqual([0.9, 1.9].map(Math.fround));
    opt.zeroGrad(false);
    expect(a.grad!.toArray()).toEqual([0, 0]);
    opt.zeroGrad();
    expect(a.grad).toBeNull();
  });

  it('hooks run in order and can be removed; state-dict hooks can rewrite', () => {
    const a = param([1]);
    const opt = new SGD([a], { lr: 0.1 });
    const seen: string[] = [];
    const h1 = opt.registerStepPreHook(() => seen.push('pre'));
    opt.registerStepPostHook((o) => seen.push(`post${o.stepCount}`));
    a.grad = tensor([1]);
    opt.step();
    h1.remove();
    opt.step();
    expect(seen).toEqual(['pre', 'post1', 'post2']);
    opt.registerStateDictPostHook((_o, sd) => ({
      ...sd,
      param_groups: sd.param_groups.map((g) => ({ ...g, note: 'x' })),
    }));
    expect(opt.stateDict().param_groups[0]!.note).toBe('x');
    let loaded = 0;
    opt.registerLoadStateDictPreHook((_o, sd) => ({
      ...sd,
      param_groups: sd.param_groups.map((g) => ({ ...g, lr: 0.5 })),
    }));
    opt.registerLoadStateDictPostHook(() => loaded++);
    opt.loadStateDict(opt.stateDict());
    expect(opt.paramGroups[0]!.lr).toBe(0.5);
    expect(loaded).toBe(1);
    const pre: number[] = [];
    opt.registerStateDictPreHook(() => pre.push(1));
    opt.stateDict();
    expect(pre).toEqual([1]);
  });

  it("loadStateDict raises PyTorch's errors, checks shapes by parameter, and changes nothing on failure", () => {
    const a = param([1, 2]);
    const b = param([3]);
    const opt = new Adam([{ params: [a] }, { params: [b], lr: 0.1 }]);
    a.grad = tensor([1, 1]);
    b.grad = tensor([1]);
    opt.step();
    const sd = opt.stateDict();
    const one = new Adam([a, b]);
    expect(() => one.loadStateDict(sd)).toThrow(
      'loaded state dict has a different number of parameter groups',
    );
    const sizes = new Adam([{ params: [a, b] }, { params: [param([0])] }]);
    expect(() => sizes.loadStateDict(sd)).toThrow(
      "loaded state dict contains a parameter group that doesn't match the size of optimizer's group",
    );
    const wrong = new Adam([{ params: [param([1, 2, 3])] }, { params: [param([0])], lr: 0.7 }]);
    expect(() => wrong.loadStateDict(sd)).toThrow(
      /state 'exp_avg' of parameter 0 of group 0 has shape \[2\] but the parameter has shape \[3\]/,
    );
    expect(wrong.paramGroups[1]!.lr).toBe(0.7);
    expect(wrong.state.size).toBe(0);
  });

  it('matches state by name when both sides carry names (PyTorch 2.x named parameters)', () => {
    const w = param([1, 2]);
    const bias = param([3]);
    const opt = new RMSprop([['weight', w] as const, ['bias', bias] as const], { lr: 0.1 });
    w.grad = tensor([1, 1]);
    bias.grad = tensor([2]);
    opt.step();
    const sd = opt.stateDict();
    expect(sd.param_groups[0]!.param_names).toEqual(['weight', 'bias']);
    expect(String(opt)).toContain("    param_names: ['weight', 'bias']\n");
    const w2 = param([0, 0]);
    const b2 = param([0]);
    const reordered = new RMSprop([['bias', b2] as const, ['weight', w2] as const]);
    reordered.loadStateDict(sd);
    expect((reordered.state.get(w2)!.square_avg as ReturnType<typeof zeros>).shape).toEqual([2]);
    expect((reordered.state.get(b2)!.square_avg as ReturnType<typeof zeros>).shape).toEqual([1]);
  });

  it('SGD and Adagrad take sparse gradients (duplicates summed) like PyTorch; Adam refuses them', () => {
    const idx = tensor([[0, 2, 0]], undefined, { dtype: 'int32' });
    const sparseGrad = () => sparseCooTensor(idx, tensor([1, 2, 3]), [4]);
    const w = param([1, 1, 1, 1]);
    const sgd = new SGD([w], { lr: 0.5 });
    w.grad = sparseGrad();
    sgd.step();
    // x - lr·g with g = [1 + 3, 0, 2, 0]
    expect(w.data.toArray()).toEqual([-1, 1, 0, 1]);
    const a = param([1, 1, 1, 1]);
    const ada = new Adagrad([a], { lr: 0.1 });
    a.grad = sparseGrad();
    ada.step();
    // sum = g²; x - lr·g/(√sum + 1e-10) = x - 0.1·sign(g) where g ≠ 0
    expect(a.data.toArray()).toEqual([0.9, 1, 0.9, 1].map(Math.fround));
    const b = param([1, 1, 1, 1]);
    const decaying = new Adagrad([b], { weightDecay: 0.1 });
    b.grad = sparseGrad();
    expect(() => decaying.step()).toThrow('weight_decay option is not compatible with sparse gradients');
    const c = param([1, 1, 1, 1]);
    const adam = new Adam([c]);
    c.grad = sparseGrad();
    expect(() => adam.step()).toThrow(
      'Adam does not support sparse gradients, please consider SparseAdam instead',
    );
  });

  it('refuses sparse gradients outside SparseAdam and differentiable=true', () => {
    expect(() => new SGD([param([1])], { differentiable: true })).toThrow(
      /differentiable=True is not supported/,
    );
  });

  it('takes a single parameter in addParamGroup, as the tutorial does; an Optimizer<SGDOptions> is an Optimizer<object>', () => {
    const opt = new SGD([param([1])], { lr: 0.1 });
    const w2 = param([1, 2, 3]);
    opt.addParamGroup({ params: w2 as never, lr: 0.0001 });
    expect(opt.paramGroups[1]!.params).toEqual([w2]);
    expect(opt.paramGroups[1]!.params[0]).toBe(w2);
    const base: Optimizer<object> = opt;
    expect(base.stepCount).toBe(0);
  });

  it('loads PyTorch 1.x / JSON state with plain-number scalars (step, eta, mu) as 0-dim float32 tensors', () => {
    const a = param([1, 2]);
    const opt = new ASGD([a], { lr: 0.05 });
    opt.loadStateDict({
      state: { '0': { step: 3, eta: 0.05, mu: 1, ax: tensor([0.5, 1.5]) } },
      param_groups: [{ ...opt.stateDict().param_groups[0]!, params: [0] }],
    });
    const s = opt.state.get(a)!;
    for (const k of ['step', 'eta', 'mu']) {
      expect((s[k] as Tensor).shape, k).toEqual([]);
      expect((s[k] as Tensor).dtype, k).toBe('float32');
    }
    a.grad = tensor([1, 1]);
    opt.step();
    expect((s.step as Tensor).item()).toBe(4);
  });

  it("rejects fused with foreach, PyTorch's message", () => {
    expect(() => new Adam([param([1])], { fused: true, foreach: true })).toThrow(
      '`fused` and `foreach` cannot be `True` together.',
    );
    expect(new Adam([param([1])], { fused: true }).paramGroups[0]!.fused).toBe(true);
  });
});
