import { fromTypedArray, type Tensor } from '@opt/tensor';
import { describe, expect, it } from 'vitest';
import type { ParamLike } from '../src/index';
import { build, type Case, closeness, fx, setGrads } from './helpers';

// Pinned parameters (Tensor.pinMemory), with pinned or ordinary gradients: SGD, Adam and AdamW update
// them in place in the kernels' shared memory, with their state pinned too (an ordinary gradient is
// copied in chunks); the other optimizers run their loops over them. The trajectories must be
// PyTorch's, as with ordinary storage.

function pinnedParams(): ParamLike[] {
  return fx.shapes.map((s, i) => ({
    data: fromTypedArray(Float32Array.from(fx.initial[i]!), s).pinMemory(),
    grad: null,
  }));
}

function setPinnedGrads(params: ParamLike[], step: number, pinGrads = true): void {
  setGrads(params, step);
  if (pinGrads) for (const p of params) if (p.grad !== null) p.grad = p.grad.pinMemory();
}

const pinnable = (() => {
  try {
    return fromTypedArray(new Float32Array(1)).pinMemory().isPinned();
  } catch {
    return false; // no shared WebAssembly memory in this runtime
  }
})();
const label = (c: Case) => `${c.optimizer} ${JSON.stringify(c.options)}`;

describe.runIf(pinnable).each(fx.cases.map((c) => [label(c), c] as const))(
  '%s over pinned storage',
  (_name, c) => {
    it.each(['pinned', 'ordinary'])(
      `with %s gradients follows PyTorch's trajectory for ${fx.steps} steps, and keeps its state pinned`,
      (grads) => {
        const params = pinnedParams();
        const data = params.map((p) => p.data);
        const opt = build(c, params);
        for (let step = 0; step < fx.steps; step++) {
          setPinnedGrads(params, step, grads === 'pinned');
          opt.step();
          for (const [i, p] of params.entries()) {
            expect(p.data).toBe(data[i]);
            const bad = closeness(p.data, c.trajectory[step]![i]!, 1e-5, 1e-6);
            expect(bad, `param ${i} after step ${step + 1}`).toBeNull();
          }
        }
        for (const p of params) expect(p.data.isPinned()).toBe(true);
        if (!['SGD', 'Adam', 'AdamW'].includes(c.optimizer)) return;
        // the fused optimizers keep their per-element state where the parameter is
        for (const p of params) {
          for (const [k, v] of Object.entries(opt.state.get(p) ?? {})) {
            if (k === 'step' || v === null || typeof v !== 'object' || (v as Tensor).shape.length === 0)
              continue;
            expect((v as Tensor).isPinned(), `state ${k}`).toBe(true);
          }
        }
      },
    );
  },
);

describe.runIf(pinnable)('loading a state dict into an optimizer over pinned parameters', () => {
  it('pins the per-element state, and resumes on the same trajectory', () => {
    const c = fx.cases.find((k) => k.optimizer === 'Adam')!;
    const a = pinnedParams();
    const first = build(c, a);
    for (let step = 0; step < 3; step++) {
      setPinnedGrads(a, step);
      first.step();
    }
    const b = pinnedParams();
    for (const [i, p] of b.entries()) p.data.copy_(a[i]!.data);
    const second = build(c, b);
    second.loadStateDict(first.stateDict());
    for (const p of b) {
      const s = second.state.get(p);
      if (s === undefined) continue;
      expect((s.exp_avg as Tensor).isPinned()).toBe(true);
      expect((s.exp_avg_sq as Tensor).isPinned()).toBe(true);
    }
    for (let step = 3; step < 6; step++) {
      setPinnedGrads(a, step);
      setPinnedGrads(b, step);
      first.step();
      second.step();
    }
    for (const [i, p] of b.entries()) expect(p.data.toArray()).toEqual(a[i]!.data.toArray());
  });
});
