import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromTypedArray, tensor } from '@opt/tensor';
import { expectClose } from '@opt/tensor/testing';
import { describe, expect, it } from 'vitest';
import { adaptiveAvgPool2d, avgPool2d, conv2d, gelu, maxPool2d, Variable } from '../src/index';

interface T {
  shape: number[];
  values: number[];
}
const fx = JSON.parse(readFileSync(join(__dirname, 'fixtures/convnet.json'), 'utf8')) as {
  inputs: Record<string, T>;
  target: number[];
  logits: T;
  loss: number;
  grads: Record<string, T>;
};
const leaf = (t: T) =>
  new Variable(fromTypedArray(Float32Array.from(t.values), t.shape), { requiresGrad: true });

describe('a small conv net, forward and backward, against PyTorch 1.13 (fixtures/make_fixtures.py)', () => {
  const p = Object.fromEntries(Object.entries(fx.inputs).map(([k, v]) => [k, leaf(v)])) as Record<
    string,
    Variable
  >;
  let h = maxPool2d(conv2d(p.x!, p.w1!, p.b1!, { padding: 1 }).relu(), 2);
  h = conv2d(h, p.w2!, p.b2!, { groups: 2 }).relu();
  h = avgPool2d(h, 2, { padding: 1, countIncludePad: false });
  h = adaptiveAvgPool2d(h, 1).flatten(1);
  const logits = gelu(h.matmul(p.w3!).add(p.b3!));
  const logp = logits.logSoftmax(1);
  const target = tensor(fx.target, undefined, { dtype: 'int32' });
  const nll = logp.gather(1, target.unsqueeze(1)).mean().neg();
  const loss = nll.add(logits.softmax(0).var(1).sum());
  loss.backward();

  it('gives PyTorch’s logits and loss', () => {
    expectClose(logits.data, fromTypedArray(Float32Array.from(fx.logits.values), fx.logits.shape), {
      rtol: 1e-4,
      atol: 1e-6,
    });
    expect(loss.item()).toBeCloseTo(fx.loss, 5);
  });

  it.each(Object.keys(fx.grads))('gives PyTorch’s gradient for %s', (name) => {
    const g = fx.grads[name]!;
    expectClose(p[name]!.grad!, fromTypedArray(Float32Array.from(g.values), g.shape), {
      rtol: 1e-4,
      atol: 1e-6,
    });
  });
});
