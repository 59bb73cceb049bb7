import type { Variable } from '@opt/autograd';
import { ones, zeros } from '@opt/tensor';
import { describe, expect, it } from 'vitest';
import { fixture, values } from '../test/helpers';
import { ModuleDict, ModuleList, Sequential } from './containers';
import { StateDictError } from './errors';
import {
  Flatten,
  GELU,
  Identity,
  LeakyReLU,
  LogSoftmax,
  ReLU,
  Sigmoid,
  Softmax,
  Tanh,
} from './layers/activations';
import { BatchNorm1d, BatchNorm2d, LayerNorm } from './layers/batchnorm';
import { Conv2d } from './layers/conv2d';
import { Dropout, Dropout2d } from './layers/dropout';
import { Embedding } from './layers/embedding';
import { Linear } from './layers/linear';
import { AdaptiveAvgPool2d, AvgPool2d, MaxPool2d } from './layers/pooling';
import { CrossEntropyLoss } from './losses/classification';
import { MSELoss } from './losses/regression';
import { Module } from './module';
import { Parameter } from './parameter';

const mods = fixture('modules.json');
const lenetFx = fixture('lenet.json');

/** The tutorial's network, written as the guide writes it (class fields). */
export class LeNet extends Module {
  features = new Sequential(
    new Conv2d(3, 6, 5),
    new ReLU(),
    new MaxPool2d(2, { stride: 2 }),
    new Conv2d(6, 16, 5),
    new ReLU(),
    new MaxPool2d(2, { stride: 2 }),
  );
  classifier = new Sequential(
    new Linear(400, 120),
    new ReLU(),
    new Linear(120, 84),
    new ReLU(),
    new Linear(84, 10),
  );
  override forward(x: Variable): Variable {
    const f = this.features.forward(x);
    return this.classifier.forward(f.view(f.shape[0]!, -1));
  }
}

class WithNorm extends Module {
  conv = new Conv2d(1, 4, 3, { stride: 2, padding: 1, bias: false });
  bn = new BatchNorm2d(4);
  drop = new Dropout(0.25);
  blocks = new ModuleList([new Linear(4, 4), new LeakyReLU(0.1)]);
  heads = new ModuleDict({ a: new Linear(4, 2, { bias: false }), b: new Identity() });
  norm = new LayerNorm(4);
  emb = new Embedding(10, 3);
}

/** Constructor-assigned fields, as PyTorch code does it. */
class Small extends Module {
  fc: Linear;
  out: Linear;
  constructor() {
    super();
    this.fc = new Linear(3, 2);
    this.out = new Linear(2, 1);
  }
}

/** PyTorch prints torch.Size([4, 3]); we print [4, 3]. */
const pySizes = (s: string) => s.replace(/torch\.Size\(\[([^\]]*)\]\)/g, '[$1]');

describe('Module discovery', () => {
  it('names parameters like PyTorch, in declaration order', () => {
    const net = new LeNet();
    expect(net.namedParameters().map(([n]) => n)).toEqual(Object.keys(lenetFx.stateDict));
    expect(net.parameters().every((p) => p instanceof Parameter && p.requiresGrad)).toBe(true);
    expect(Object.keys(net.stateDict())).toEqual(Object.keys(lenetFx.stateDict));
  });

  it('finds buffers, nested containers and modules like PyTorch', () => {
    const net = new WithNorm();
    expect(Object.keys(net.stateDict())).toEqual(mods.keys.withNorm_stateDict);
    expect(net.namedParameters().map(([n]) => n)).toEqual(mods.keys.withNorm_named_parameters);
    expect(net.namedBuffers().map(([n]) => n)).toEqual(mods.keys.withNorm_named_buffers);
    expect(net.namedModules().map(([n]) => n)).toEqual(mods.keys.withNorm_named_modules);
    expect(net.namedChildren().map(([n]) => n)).toEqual([
      'conv',
      'bn',
      'drop',
      'blocks',
      'heads',
      'norm',
      'emb',
    ]);
    expect(net.children()[1]).toBe(net.bn);
    expect(net.modules().length).toBe(12);
    expect(net.buffers().length).toBe(3);
  });

  it('constructor-assigned fields work too', () => {
    expect(new Small().namedParameters().map(([n]) => n)).toEqual([
      'fc.weight',
      'fc.bias',
      'out.weight',
      'out.bias',
    ]);
  });

  it('lists a shared parameter or module once', () => {
    class Tied extends Module {
      a = new Linear(3, 3);
      b = new Linear(3, 3);
      again = this.a;
      constructor() {
        super();
        this.b.weight = this.a.weight;
      }
    }
    const t = new Tied();
    expect(t.namedParameters().map(([n]) => n)).toEqual(['a.weight', 'a.bias', 'b.bias']);
    expect(t.namedModules().map(([n]) => n)).toEqual(['', 'a', 'b']);
  });

  it('a parameter assigned directly is found; plain fields are not', () => {
    class Scale extends Module {
      w = new Parameter(ones([3]));
      note = 'hello';
      plain = zeros([2]);
    }
    const s = new Scale();
    expect(s.namedParameters().map(([n]) => n)).toEqual(['w']);
    expect(Object.keys(s.stateDict())).toEqual(['w']);
  });

  it('non-persistent buffers are buffers but not state', () => {
    class B extends Module {
      constructor() {
        super();
        this.registerBuffer('kept', zeros([2]));
        this.registerBuffer('scratch', zeros([2]), { persistent: false });
      }
    }
    const b = new B();
    expect(b.namedBuffers().map(([n]) => n)).toEqual(['kept', 'scratch']);
    expect(Object.keys(b.stateDict())).toEqual(['kept']);
    expect(() => b.registerBuffer('a.b', zeros([1]))).toThrow(/without "\."/);
  });
});

describe('Module state', () => {
  it('train/eval set the flag on every submodule', () => {
    const net = new WithNorm();
    expect(net.training).toBe(true);
    net.eval();
    expect(net.modules().every((m) => !m.training)).toBe(true);
    net.train();
    expect(net.bn.training && net.blocks[0]!.training).toBe(true);
  });

  it('apply visits children before the parent', () => {
    const order: string[] = [];
    new Sequential(new Linear(1, 1), new Sequential(new ReLU())).apply((m) => order.push(m.constructor.name));
    expect(order).toEqual(['Linear', 'ReLU', 'Sequential', 'Sequential']);
  });

  it('zeroGrad sets gradients to null or to zeros', () => {
    const net = new Small();
    for (const p of net.parameters()) p.grad = ones(p.shape as number[]);
    net.zeroGrad(false);
    expect(values(net.fc.weight.grad!)).toEqual([0, 0, 0, 0, 0, 0]);
    net.zeroGrad();
    expect(net.parameters().every((p) => p.grad === null)).toBe(true);
  });

  it('requiresGrad_ freezes a submodule', () => {
    const net = new LeNet();
    net.features.requiresGrad_(false);
    expect(net.features.parameters().every((p) => !p.requiresGrad)).toBe(true);
    expect(net.classifier.parameters().every((p) => p.requiresGrad)).toBe(true);
  });

  it('stateDict round-trips through loadStateDict and copies into the live tensors', () => {
    const a = new Small();
    const b = new Small();
    const w = b.fc.weight.data;
    b.loadStateDict(a.stateDict());
    expect(b.fc.weight.data).toBe(w);
    expect(values(b.fc.weight.data)).toEqual(values(a.fc.weight.data));
    expect(values(b.out.bias!.data)).toEqual(values(a.out.bias!.data));
  });

  it("loadStateDict reports missing, unexpected and mis-shaped keys in PyTorch's words", () => {
    const small = new Small();
    const sd = { ...small.stateDict() };
    const bad: Record<string, any> = { ...sd, 'extra.weight': zeros([1]), 'fc.weight': zeros([4, 3]) };
    delete bad['out.bias'];
    let err: unknown;
    try {
      small.loadStateDict(bad);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StateDictError);
    expect((err as Error).message).toBe(pySizes(mods.errors.all));
    const missing = { ...sd };
    delete (missing as Record<string, unknown>)['out.bias'];
    expect(() => small.loadStateDict(missing)).toThrow(mods.errors.missing);
    expect(small.loadStateDict(missing, { strict: false })).toEqual({
      missingKeys: mods.errors.nonStrict.missing,
      unexpectedKeys: mods.errors.nonStrict.unexpected,
    });
  });
});

describe('toString', () => {
  it("prints LeNet exactly like PyTorch's print(net)", () => {
    expect(new LeNet().toString()).toBe(lenetFx.repr);
  });

  it('prints nested containers, buffers-holding and option-carrying layers like PyTorch', () => {
    expect(new WithNorm().toString()).toBe(mods.reprs.withNorm);
    const r = mods.reprs;
    expect(new Conv2d(2, 4, 3, { padding: 'same', dilation: 2, groups: 2 }).toString()).toBe(r.conv_same);
    expect(new Conv2d(2, 4, [3, 1], { padding: 'valid' }).toString()).toBe(r.conv_valid);
    expect(new Conv2d(2, 4, [3, 2], { stride: [2, 1], padding: [1, 0], bias: false }).toString()).toBe(
      r.conv_rect,
    );
    expect(new MaxPool2d(3, { stride: 2, padding: 1 }).toString()).toBe(r.maxpool);
    expect(new AvgPool2d(2).toString()).toBe(r.avgpool);
    expect(new AdaptiveAvgPool2d([1, 1]).toString()).toBe(r.adaptive);
    expect(new GELU().toString()).toBe(r.gelu);
    expect(new Softmax(1).toString()).toBe(r.softmax);
    expect(new LogSoftmax(1).toString()).toBe(r.logsoftmax);
    expect(new Sigmoid().toString()).toBe(r.sigmoid);
    expect(new Tanh().toString()).toBe(r.tanh);
    expect(new Flatten().toString()).toBe(r.flatten);
    expect(new Dropout2d(0.3).toString()).toBe(r.dropout2d);
    expect(new BatchNorm1d(5, { momentum: 0.2 }).toString()).toBe(r.bn1d);
    expect(new Embedding(10, 3, { sparse: true }).toString()).toBe(r.emb);
    expect(new ReLU().toString()).toBe(r.relu);
    expect(new CrossEntropyLoss().toString()).toBe(r.ce);
    expect(new MSELoss().toString()).toBe(r.mse);
    expect(new Sequential().toString()).toBe(r.emptySeq);
  });
});

describe('containers', () => {
  it('Sequential chains, indexes and counts', () => {
    const seq = new Sequential(new Linear(2, 3), new ReLU());
    expect(seq.length).toBe(2);
    expect(seq[0]).toBeInstanceOf(Linear);
    expect(seq.get(-1)).toBeInstanceOf(ReLU);
    expect(() => seq.get(2)).toThrow(/index 2 is out of range for length 2/);
    expect(() => new Sequential(new ReLU(), 3 as never)).toThrow(/argument 1 must be a Module, got number 3/);
  });

  it('ModuleDict keeps insertion order, even for integer-like keys', () => {
    const d = new ModuleDict({ b: new ReLU(), 1: new Identity(), a: new Linear(1, 1) });
    // Object literal order puts "1" first; set() afterwards appends.
    d.set('z', new Linear(1, 2));
    expect(d.keys()).toEqual(['1', 'b', 'a', 'z']);
    expect(d.namedParameters().map(([n]) => n)).toEqual(['a.weight', 'a.bias', 'z.weight', 'z.bias']);
    expect(() => d.get('nope')).toThrow(/no key "nope"/);
    expect(() => d.set('train', new ReLU())).toThrow(/clashes/);
  });

  it('the base forward explains what is missing', () => {
    class NoForward extends Module {}
    expect(() => new NoForward().forward()).toThrow(
      'Module [NoForward] is missing the required "forward" function',
    );
  });
});
