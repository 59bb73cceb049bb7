import { describe, expect, it } from 'vitest';
import { Sequential } from './containers';
import { ParamGroupError } from './errors';
import { ReLU } from './layers/activations';
import { BatchNorm2d, LayerNorm } from './layers/batchnorm';
import { Conv2d } from './layers/conv2d';
import { Linear } from './layers/linear';
import { MaxPool2d } from './layers/pooling';
import { Module } from './module';
import { globToRegExp, paramGroups, weightDecayGroups } from './param-groups';

class Net extends Module {
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
}

const names = (net: Module, ps: unknown[]) => {
  const byParam = new Map(net.namedParameters().map(([n, p]) => [p as unknown, n]));
  return ps.map((p) => byParam.get(p));
};

describe("the tutorial's per-submodule groups", () => {
  it('net.features.parameters() and net.classifier.parameters() are the groups, as objects', () => {
    const net = new Net();
    const groups = [{ params: net.features.parameters() }, { params: net.classifier.parameters(), lr: 1e-2 }];
    expect(names(net, groups[0]!.params)).toEqual([
      'features.0.weight',
      'features.0.bias',
      'features.3.weight',
      'features.3.bias',
    ]);
    expect(groups[1]!.params.length).toBe(6);
    expect(groups[1]!.params[0]).toBe(net.classifier[0]!.parameters()[0]);
    const all = new Set([...groups[0]!.params, ...groups[1]!.params]);
    expect(all.size).toBe(net.parameters().length);
  });
});

describe('paramGroups', () => {
  it('builds groups by prefix with their hyperparameters, in rule order', () => {
    const net = new Net();
    const groups = paramGroups(net, [
      { prefix: 'classifier', lr: 1e-2 },
      { prefix: 'features', lr: 1e-5, momentum: 0.9 },
    ]);
    expect(groups.length).toBe(2);
    expect(groups[0]!.lr).toBe(1e-2);
    expect(groups[0]!.params).toEqual(net.classifier.parameters());
    expect(groups[1]).toMatchObject({ lr: 1e-5, momentum: 0.9 });
    expect(groups[1]!.params).toEqual(net.features.parameters());
    expect('prefix' in groups[0]!).toBe(false);
  });

  it('a prefix matches whole segments only', () => {
    class M extends Module {
      fc = new Linear(1, 1);
      fc2 = new Linear(1, 1);
    }
    const m = new M();
    const [g, rest] = paramGroups(m, [{ prefix: 'fc' }]);
    expect(names(m, g!.params)).toEqual(['fc.weight', 'fc.bias']);
    expect(names(m, rest!.params)).toEqual(['fc2.weight', 'fc2.bias']);
  });

  it('globs and predicates select by dotted name', () => {
    const net = new Net();
    const [biases, convW, rest] = paramGroups(net, [
      { glob: '**.bias', weightDecay: 0 },
      { match: (n, p) => n.startsWith('features') && p.shape.length === 4 },
    ]);
    expect(names(net, biases!.params)).toEqual(
      net
        .namedParameters()
        .map(([n]) => n)
        .filter((n) => n.endsWith('.bias')),
    );
    expect(names(net, convW!.params)).toEqual(['features.0.weight', 'features.3.weight']);
    expect(names(net, rest!.params)).toEqual([
      'classifier.0.weight',
      'classifier.2.weight',
      'classifier.4.weight',
    ]);
    expect(globToRegExp('features.*.weight').test('features.0.weight')).toBe(true);
    expect(globToRegExp('features.*.weight').test('features.0.x.weight')).toBe(false);
    expect(globToRegExp('**.weight').test('weight')).toBe(true);
  });

  it('reports a parameter selected by two rules, naming both', () => {
    const net = new Net();
    expect(() => paramGroups(net, [{ prefix: 'features', name: 'backbone' }, { glob: '**.bias' }])).toThrow(
      new ParamGroupError(
        'paramGroups: parameter "features.0.bias" is selected by both backbone and rule 1; a parameter may belong to one group only',
      ),
    );
  });

  it('reports, groups or ignores unmatched parameters', () => {
    const net = new Net();
    expect(() => paramGroups(net, [{ prefix: 'features' }], { onUnmatched: 'error' })).toThrow(
      /6 parameter\(s\) selected by no rule: "classifier.0.weight", "classifier.0.bias"/,
    );
    expect(paramGroups(net, [{ prefix: 'features' }], { onUnmatched: 'ignore' }).length).toBe(1);
    expect(paramGroups(net, [{ prefix: 'features' }]).length).toBe(2);
    expect(() => paramGroups(net, [{ lr: 1 }])).toThrow(/rule 0 has no selector/);
  });

  it('skipFrozen leaves frozen parameters out', () => {
    const net = new Net();
    net.features.requiresGrad_(false);
    const groups = paramGroups(net, [{ prefix: '' }], { skipFrozen: true, onUnmatched: 'error' });
    expect(groups[0]!.params).toEqual(net.classifier.parameters());
  });
});

describe('weightDecayGroups', () => {
  it('exempts biases and norm layers from weight decay', () => {
    class M extends Module {
      conv = new Conv2d(3, 4, 3);
      bn = new BatchNorm2d(4);
      fc = new Linear(4, 2);
      ln = new LayerNorm(2);
    }
    const m = new M();
    const [decay, noDecay] = weightDecayGroups(m, 0.05, { lr: 0.1 });
    expect(decay).toMatchObject({ weightDecay: 0.05, lr: 0.1 });
    expect(noDecay).toMatchObject({ weightDecay: 0, lr: 0.1 });
    expect(names(m, decay!.params)).toEqual(['conv.weight', 'fc.weight']);
    expect(names(m, noDecay!.params)).toEqual([
      'conv.bias',
      'bn.weight',
      'bn.bias',
      'fc.bias',
      'ln.weight',
      'ln.bias',
    ]);
    expect(() => weightDecayGroups(m, -1)).toThrow(/weightDecay must be a non-negative number, got -1/);
  });
});
