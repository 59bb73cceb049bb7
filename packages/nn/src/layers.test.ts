import { Variable } from '@opt/autograd';
import { type Tensor, tensor } from '@opt/tensor';
import { describe, expect, it } from 'vitest';
import { expectClose, fixture, type TJson, toTensor, values } from '../test/helpers';
import { NnInputError } from './errors';
import { Flatten, GELU, LeakyReLU, LogSoftmax, ReLU, Sigmoid, Softmax, Tanh } from './layers/activations';
import { BatchNorm1d, BatchNorm2d, LayerNorm } from './layers/batchnorm';
import { Conv2d } from './layers/conv2d';
import { Embedding } from './layers/embedding';
import { Linear } from './layers/linear';
import { AdaptiveAvgPool2d, AvgPool2d, MaxPool2d } from './layers/pooling';
import type { Module } from './module';

interface LayerCase {
  params: Record<string, TJson>;
  input: TJson;
  output: TJson;
  upstream: TJson;
  grads: Record<string, TJson>;
  inputGrad?: TJson;
}
const cases = fixture<Record<string, LayerCase>>('layers.json');

/** Loads the fixture's parameters, runs forward, backpropagates sum(out * upstream), compares everything. */
function check(name: string, layer: Module, tol = 1e-4): void {
  const c = cases[name]!;
  const isIndex = c.inputGrad === undefined;
  // buffers after the step (running stats) are compared, not loaded; parameters and eval-mode buffers are loaded
  const sd: Record<string, Tensor> = {};
  const training = layer.training;
  for (const [k, v] of Object.entries(c.params)) {
    if (training && (k.startsWith('running_') || k === 'num_batches_tracked')) continue;
    sd[k] = toTensor(v, k === 'num_batches_tracked' ? 'int32' : 'float32');
  }
  layer.loadStateDict(sd, { strict: !training });
  const x = isIndex ? toTensor(c.input, 'int32') : new Variable(toTensor(c.input), { requiresGrad: true });
  const out = layer.forward(x) as Variable;
  expectClose(out.data, c.output, tol, tol, `${name} output`);
  out
    .mul(new Variable(toTensor(c.upstream)))
    .sum()
    .backward();
  if (!isIndex) expectClose((x as Variable).grad!, c.inputGrad!, tol, tol, `${name} input grad`);
  for (const [k, p] of layer.namedParameters())
    expectClose(p.grad!, c.grads[k]!, tol, tol, `${name} grad ${k}`);
  if (training) {
    const st = layer.stateDict();
    for (const [k, v] of Object.entries(c.params)) {
      if (k.startsWith('running_')) expectClose(st[k]!, v, tol, tol, `${name} ${k}`);
      if (k === 'num_batches_tracked') expect(values(st[k]!)).toEqual(v.data);
    }
  }
}

describe('layers match PyTorch (output, input gradient, parameter gradients)', () => {
  it('Linear', () => {
    check('linear', new Linear(5, 3));
    check('linear_nobias_3d', new Linear(5, 3, { bias: false }));
  });
  it('Conv2d: stride and padding; same padding with dilation and groups; valid, rectangular, no bias', () => {
    check('conv_stride_pad', new Conv2d(2, 4, 3, { stride: 2, padding: 1 }));
    check('conv_same_dil_groups', new Conv2d(4, 6, 3, { padding: 'same', dilation: 2, groups: 2 }));
    check('conv_valid_rect', new Conv2d(2, 3, [3, 2], { padding: 'valid', bias: false }));
  });
  it('pooling', () => {
    check('maxpool', new MaxPool2d(3, { stride: 2, padding: 1 }));
    check('avgpool', new AvgPool2d(2));
    check('adaptive', new AdaptiveAvgPool2d([1, 1]));
    check('adaptive_2x3', new AdaptiveAvgPool2d([2, 3]));
  });
  it('activations', () => {
    check('relu', new ReLU());
    check('leakyrelu', new LeakyReLU(0.1));
    check('gelu', new GELU());
    check('sigmoid', new Sigmoid());
    check('tanh', new Tanh());
    check('softmax', new Softmax(1));
    check('logsoftmax', new LogSoftmax(1));
    check('flatten', new Flatten());
  });
  it('BatchNorm2d in training mode (batch statistics, running-stat update) and eval mode', () => {
    check('bn2d_train', new BatchNorm2d(3, { momentum: 0.2 }));
    check('bn2d_eval', new BatchNorm2d(3).eval());
    check('bn1d_train', new BatchNorm1d(4));
  });
  it('LayerNorm', () => {
    check('layernorm', new LayerNorm(4));
  });
  it('Embedding (dense gradient)', () => {
    check('embedding', new Embedding(10, 3));
  });
});

describe('LeakyReLU at the edges', () => {
  it('0, −0 and NaN take the negative branch, in value and gradient, bit for bit as PyTorch', () => {
    // PyTorch 1.13: nn.LeakyReLU(0.1)(x).backward([1, 2, 3, 4, 5]) for x = [0, −0, nan, 2, −3]
    // gives outputs 00000000 80000000 7fc00000 40000000 be99999a and gradients
    // 3dcccccd 3e4ccccd 3e99999a 40800000 3f000000 (float32 bits)
    const bits = (t: Tensor) => Array.from(new Uint32Array(new Float32Array(t.toTypedArray()).buffer));
    const x = new Variable(tensor([0, -0, Number.NaN, 2, -3]), { requiresGrad: true });
    const y = new LeakyReLU(0.1).forward(x);
    y.backward(tensor([1, 2, 3, 4, 5]));
    expect(bits(y.data)).toEqual([0x00000000, 0x80000000, 0x7fc00000, 0x40000000, 0xbe99999a]);
    expect(bits(x.grad!)).toEqual([0x3dcccccd, 0x3e4ccccd, 0x3e99999a, 0x40800000, 0x3f000000]);
  });
});

describe('default initialisation follows PyTorch', () => {
  it('Linear and Conv2d weights are U(±1/√fanIn) (kaiming a=√5), biases U(±1/√fanIn)', () => {
    const conv = new Conv2d(6, 16, 5);
    const bound = 1 / Math.sqrt(6 * 25);
    for (const p of [conv.weight, conv.bias!]) {
      const v = values(p.data);
      expect(Math.max(...v.map(Math.abs))).toBeLessThanOrEqual(bound);
      // a uniform on ±b has standard deviation b/√3
      const sd = Math.sqrt(v.reduce((a, x) => a + x * x, 0) / v.length);
      if (v.length > 1000)
        expect(Math.abs(sd - bound / Math.sqrt(3)) / (bound / Math.sqrt(3))).toBeLessThan(0.05);
    }
  });
});

describe('bad input gets a clear error', () => {
  it('Conv2d names the expected and the actual shape', () => {
    const x = new Variable(tensor(new Float32Array(2 * 1 * 32 * 32), [2, 1, 32, 32]));
    expect(() => new Conv2d(3, 6, 5).forward(x)).toThrow(
      new NnInputError('Conv2d(3, 6): expected input [N, 3, H, W], got [2, 1, 32, 32]'),
    );
    const small = new Variable(tensor(new Float32Array(3 * 4 * 4), [1, 3, 4, 4]));
    expect(() => new Conv2d(3, 6, 5).forward(small)).toThrow(/smaller than the kernel 5×5/);
    expect(() => new Conv2d(3, 6, 5, { stride: 2, padding: 'same' })).toThrow(
      /padding='same' is not supported for strided/,
    );
    expect(() => new Conv2d(3, 6, 5, { groups: 2 })).toThrow(/divisible by groups/);
  });
  it('Linear, BatchNorm, Embedding', () => {
    const x = new Variable(tensor(new Float32Array(8), [2, 4]));
    expect(() => new Linear(3, 2).forward(x)).toThrow('Linear(3, 2): expected input [..., 3], got [2, 4]');
    expect(() => new BatchNorm2d(3).forward(x)).toThrow(
      'BatchNorm2d(3): expected input [N, 3, H, W], got [2, 4]',
    );
    expect(() => new Linear(0, 2)).toThrow('Linear: inFeatures must be a positive integer, got 0');
    const emb = new Embedding(5, 2);
    expect(() => emb.forward(tensor([1, 5], undefined, { dtype: 'int32' }))).toThrow(
      'Embedding(5, 2): index 5 out of range [0, 5)',
    );
    expect(() => emb.forward(tensor([1, 2]))).toThrow(
      'Embedding(5, 2): expected int32 indices, got dtype float32',
    );
  });
});
