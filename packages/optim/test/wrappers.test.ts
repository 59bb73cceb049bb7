import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Tensor, tensor, zeros } from '@opt/tensor';
import { describe, expect, it } from 'vitest';
import { ApplyIfFinite } from '../src/apply-if-finite';
import { MultiSteps } from '../src/gradient-accumulation';
import { Lion } from '../src/lion';
import { Lookahead } from '../src/lookahead';
import { SGD } from '../src/sgd';
import { AveragedModel, getEmaMultiAvgFn, SWALR, updateBn } from '../src/swa/index';
import type { ParamLike } from '../src/types';

const p = (v: number[]): ParamLike => ({ data: tensor(v, undefined, { dtype: 'float64' }), grad: null });
const g = (v: number[]) => tensor(v, undefined, { dtype: 'float64' });

describe('Lion', () => {
  it('follows θ ← θ(1 − γλ) − γ·sign(β₁m + (1 − β₁)g), m ← β₂m + (1 − β₂)g', () => {
    const w = p([1, -2, 0.5]);
    const opt = new Lion([w], { lr: 0.1, betas: [0.9, 0.99], weightDecay: 0.1 });
    let x = [1, -2, 0.5];
    let m = [0, 0, 0];
    const grads = [
      [0.3, -0.2, 0],
      [-1, 0.05, 2],
      [0.01, 0.01, -0.3],
    ];
    for (const gr of grads) {
      w.grad = g(gr);
      opt.step();
      x = x.map((xi, i) => xi * (1 - 0.1 * 0.1) - 0.1 * Math.sign(0.9 * m[i]! + 0.1 * gr[i]!));
      m = m.map((mi, i) => 0.99 * mi + 0.01 * gr[i]!);
      expect(Array.from(w.data.toTypedArray())).toEqual(x.map((v) => expect.closeTo(v, 12)));
    }
    expect(String(opt)).toContain('Lion (\nParameter Group 0\n    betas: (0.9, 0.99)\n');
  });
});

describe('Lookahead', () => {
  it('k fast SGD steps, then slow ← slow + α(fast − slow) and fast ← slow', () => {
    const w = p([1]);
    const opt = new Lookahead(new SGD([w], { lr: 0.1 }), { k: 3, alpha: 0.5 });
    let fast = 1;
    let slow = 1;
    for (let t = 1; t <= 9; t++) {
      w.grad = g([2 * w.data.item()]); // f = x²
      opt.step();
      fast -= 0.1 * 2 * fast;
      if (t % 3 === 0) {
        slow += 0.5 * (fast - slow);
        fast = slow;
      }
      expect(w.data.item()).toBeCloseTo(fast, 12);
    }
    expect(opt.paramGroups[0]!.lr).toBe(0.1);
    const sd = opt.stateDict();
    const w2 = p([w.data.item()]);
    const again = new Lookahead(new SGD([w2], { lr: 0.7 }), { k: 3, alpha: 0.5 });
    again.loadStateDict(sd);
    expect(again.fastSteps).toBe(9);
    expect(again.paramGroups[0]!.lr).toBe(0.1);
    expect(() => new Lookahead(new SGD([p([1])]), { k: 0 })).toThrow(/k: 0/);
  });
});

describe('MultiSteps (gradient accumulation)', () => {
  it('k micro-batches step like one batch with the mean gradient', () => {
    const a = p([1, 2]);
    const b = p([1, 2]);
    const acc = new MultiSteps(new SGD([a], { lr: 0.1, momentum: 0.9 }), { everyK: 3 });
    const big = new SGD([b], { lr: 0.1, momentum: 0.9 });
    const micro = [
      [1, 2],
      [3, -1],
      [0.5, 0.5],
      [2, 2],
      [-1, 0],
      [0, 4],
    ];
    const applied: boolean[] = [];
    micro.forEach((gr) => {
      acc.zeroGrad();
      a.grad = g(gr);
      applied.push(acc.step());
    });
    for (let s = 0; s < 2; s++) {
      const mean = [0, 1].map((i) => (micro[3 * s]![i]! + micro[3 * s + 1]![i]! + micro[3 * s + 2]![i]!) / 3);
      b.grad = g(mean);
      big.step();
    }
    expect(applied).toEqual([false, false, true, false, false, true]);
    expect(Array.from(a.data.toTypedArray())).toEqual(
      Array.from(b.data.toTypedArray()).map((v) => expect.closeTo(v, 12)),
    );
    expect(() => new MultiSteps(big, { everyK: 0 })).toThrow(/everyK/);
  });
});

describe('ApplyIfFinite', () => {
  it('skips steps with NaN or ∞ gradients, counts them, and applies after the budget', () => {
    const w = p([1]);
    const opt = new ApplyIfFinite(new SGD([w], { lr: 0.5 }), { maxConsecutiveErrors: 2 });
    w.grad = g([Number.NaN]);
    expect(opt.step()).toBe(false);
    w.grad = g([Number.POSITIVE_INFINITY]);
    expect(opt.step()).toBe(false);
    expect(w.data.item()).toBe(1);
    expect(opt.notFiniteCount).toBe(2);
    w.grad = g([1]);
    expect(opt.step()).toBe(true);
    expect(w.data.item()).toBe(0.5);
    expect(opt.notFiniteCount).toBe(0);
    for (let i = 0; i < 3; i++) {
      w.grad = g([Number.NaN]);
      opt.step();
    }
    expect(opt.totalNotFinite).toBe(5);
    expect(Number.isNaN(w.data.item())).toBe(true); // the third in a row went through
  });
});

describe('swa', () => {
  const fx = JSON.parse(readFileSync(join(__dirname, 'fixtures/extras.json'), 'utf8')) as {
    swalr: {
      swaLr: number | number[];
      annealEpochs: number;
      annealStrategy: 'cos' | 'linear';
      lrs: number[][];
    }[];
  };

  it.each(fx.swalr.map((c) => [JSON.stringify({ ...c, lrs: undefined }), c] as const))(
    'SWALR %s matches PyTorch 1.13',
    (_n, c) => {
      const opt = new SGD([{ params: [p([0])] }, { params: [p([0])], lr: 0.5 }], { lr: 0.1 });
      const sched = new SWALR(opt, {
        swaLr: c.swaLr,
        annealEpochs: c.annealEpochs,
        annealStrategy: c.annealStrategy,
      });
      const lrs = [opt.paramGroups.map((gr) => gr.lr)];
      for (let e = 0; e < 14; e++) {
        sched.step();
        lrs.push(opt.paramGroups.map((gr) => gr.lr));
      }
      lrs.forEach((row, e) => {
        row.forEach((lr, i) => {
          expect(lr).toBeCloseTo(c.lrs[e]![i]!, 12);
        });
      });
      expect(sched.getLastLr()).toEqual(lrs[lrs.length - 1]);
    },
  );

  it('AveragedModel: the SWA mean of the snapshots, and EMA with decay', () => {
    const model = {
      w: p([0, 0]),
      parameters() {
        return [this.w];
      },
    };
    const swa = new AveragedModel(model);
    const ema = new AveragedModel(model, { multiAvgFn: getEmaMultiAvgFn(0.9) });
    const snaps = [
      [1, 2],
      [3, 0],
      [2, 7],
    ];
    let e = [0, 0];
    snaps.forEach((s, k) => {
      model.w.data.copy_(g(s));
      swa.updateParameters(model);
      ema.updateParameters(model);
      e = k === 0 ? s : e.map((v, i) => 0.9 * v + 0.1 * s[i]!);
    });
    expect(Array.from(swa.averaged[0]!.toTypedArray())).toEqual([2, 3]);
    expect(Array.from(ema.averaged[0]!.toTypedArray())).toEqual(e.map((v) => expect.closeTo(v, 12)));
    expect(swa.nAveraged).toBe(3);
    const target = {
      w: p([9, 9]),
      parameters() {
        return [this.w];
      },
    };
    swa.copyTo(target);
    expect(Array.from(target.w.data.toTypedArray())).toEqual([2, 3]);
    const restored = new AveragedModel(model);
    restored.loadStateDict(swa.stateDict());
    expect(restored.nAveraged).toBe(3);
    expect(Array.from(restored.averaged[0]!.toTypedArray())).toEqual([2, 3]);
  });

  it('updateBn resets the statistics, averages them over every batch with momentum null, and restores momentum and mode', () => {
    // a BatchNorm-shaped stand-in whose forward updates its statistics like PyTorch (factor 1/n when momentum is null)
    const bn = {
      runningMean: zeros([1], { dtype: 'float64' }) as Tensor,
      runningVar: zeros([1], { dtype: 'float64' }).fill_(1) as Tensor,
      momentum: 0.1 as number | null,
      n: 0,
      resetRunningStats() {
        this.runningMean.zero_();
        this.runningVar.fill_(1);
        this.n = 0;
      },
    };
    const seenMomentum: (number | null)[] = [];
    const model = {
      training: false,
      modules: () => [model, bn],
      train(mode = true) {
        this.training = mode;
      },
      forward(x: Tensor) {
        seenMomentum.push(bn.momentum);
        bn.n++;
        const f = bn.momentum === null ? 1 / bn.n : bn.momentum;
        bn.runningMean.mul_(1 - f).add_(x.mean(), { alpha: f });
      },
    };
    bn.runningMean.fill_(42);
    const batches = [g([1, 3]), g([5, 7]), g([0, 0])];
    updateBn(batches, model as never, (b) => b);
    expect(bn.runningMean.item()).toBeCloseTo((2 + 6 + 0) / 3, 12);
    expect(seenMomentum).toEqual([null, null, null]);
    expect(bn.momentum).toBe(0.1);
    expect(model.training).toBe(false);
  });
});
