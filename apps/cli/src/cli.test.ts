import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPng, checkSvg, darkPixels, demo, demoJson } from './test-helpers';

const dir = mkdtempSync(join(tmpdir(), 'opt-demo-test-'));

describe('opt-demo lr / lr-sweep: gradient descent on y = 4x²', () => {
  it('follows x_{k+1} = x_k(1 − 8·lr); lr 0.125 reaches 0 in one step; 0.5 and 0.3 diverge', async () => {
    const r = await demoJson('lr', '--lrs', '0.5,0.2,0.125,0.1,0.3', '--iters', '6');
    for (const run of r.runs) {
      run.iterates.forEach((it: { iter: number; x: number; grad: number; loss: number }, k: number) => {
        const x = 2 * (1 - 8 * run.lr) ** k;
        expect(it.x).toBeCloseTo(x, 3);
        expect(it.grad).toBeCloseTo(8 * x, 2);
        expect(it.loss / Math.max(1, 4 * x * x)).toBeCloseTo((4 * x * x) / Math.max(1, 4 * x * x), 4);
      });
    }
    const by = (lr: number) => r.runs.find((x: { lr: number }) => x.lr === lr);
    expect(by(0.125).iterates[1].x).toBe(0);
    expect(by(0.125).verdict).toBe('reaches 0 in one step');
    expect(by(0.5).verdict).toBe('diverges');
    expect(by(0.3).verdict).toBe('diverges');
    expect(by(0.1).verdict).toBe('converges');
  });

  it("prints the tutorial's lines and writes a valid PNG and SVG", async () => {
    const text = await demo('lr', '--lrs', '0.125', '--iters', '2', '--out', join(dir, 'lr.png'));
    expect(text.code).toBe(0);
    expect(text.out).toContain('Iter:0, X:       2, X.grad:      16, loss:      16');
    const png = checkPng(join(dir, 'lr.png'));
    expect(png.width).toBe(760);
    expect(png.inked).toBeGreaterThan(500);
    // text drawn into the PNG (regions clear of every line): the title, the y tick labels, the x axis label
    expect(darkPixels(join(dir, 'lr.png'), 100, 0, 660, 38)).toBeGreaterThan(50);
    expect(darkPixels(join(dir, 'lr.png'), 20, 40, 59, 390)).toBeGreaterThan(20);
    expect(darkPixels(join(dir, 'lr.png'), 100, 415, 660, 440)).toBeGreaterThan(20);
    await demo('lr', '--iters', '3', '--out', join(dir, 'lr.svg'), '--no-plot');
    expect(checkSvg(join(dir, 'lr.svg'))).toHaveLength(4);
  });

  it('lr-sweep: np.linspace(0.01, 0.2, 10) and loss_k = 16(1 − 8lr)^{2k}', async () => {
    const r = await demoJson('lr-sweep', '--iters', '20');
    expect(r.runs.map((x: { lr: number }) => x.lr)).toEqual(
      Array.from({ length: 10 }, (_, i) => expect.closeTo(0.01 + (0.19 * i) / 9, 12)),
    );
    for (const run of r.runs) {
      for (const k of [0, 1, 5]) expect(run.losses[k]).toBeCloseTo(16 * (1 - 8 * run.lr) ** (2 * k), 3);
    }
  });
});

describe('opt-demo momentum', () => {
  it('weights (1 − β)βᵗ and SGD momentum following v ← μv + 8x, x ← x − lr·v', async () => {
    const r = await demoJson('momentum', '--iters', '30');
    for (const e of r.ewa) {
      expect(e.memory).toBeCloseTo(1 / (1 - e.beta), 10);
      e.weights.slice(0, 5).forEach((w: number, t: number) => {
        expect(w).toBeCloseTo((1 - e.beta) * e.beta ** t, 12);
      });
    }
    expect(r.runs.map((x: { lr: number; momentum: number }) => [x.lr, x.momentum])).toEqual([
      [0.01, 0.9],
      [0.01, 0.63],
      [0.03, 0],
    ]);
    for (const run of r.runs) {
      let x = 2;
      let v = 0;
      run.losses.forEach((loss: number, i: number) => {
        expect(loss).toBeCloseTo(4 * x * x, 3);
        const g = 8 * x;
        v = i === 0 ? g : run.momentum * v + g;
        x -= run.lr * v;
      });
    }
  });
});

describe('opt-demo schedulers', () => {
  it("computes every scheduler with the tutorial's settings", async () => {
    const r = await demoJson('schedulers');
    const names = r.schedulers.map((s: { name: string }) => s.name);
    for (const n of [
      'StepLR',
      'MultiStepLR',
      'ExponentialLR',
      'CosineAnnealingLR',
      'ReduceLROnPlateau',
      'LambdaLR',
      'OneCycleLR',
      'CyclicLR',
    ]) {
      expect(names).toContain(n);
    }
    const get = (n: string) => r.schedulers.find((s: { name: string }) => s.name === n).lrs as number[];
    get('StepLR').forEach((lr, e) => {
      expect(lr).toBeCloseTo(0.1 * 0.1 ** Math.floor(e / 50), 12);
    });
    get('ExponentialLR').forEach((lr, e) => {
      expect(lr).toBeCloseTo(0.1 * 0.95 ** e, 12);
    });
    get('CosineAnnealingLR')
      .slice(0, 51)
      .forEach((lr, e) => {
        expect(lr).toBeCloseTo(0.05 * (1 + Math.cos((Math.PI * e) / 50)), 10);
      });
  });

  it('prints a table whose cells stay apart and match the closed forms', async () => {
    const r = await demo('schedulers', '--no-plot');
    const row = r.out.split('\n').find((l) => l.trim().startsWith('ExponentialLR '))!;
    const cells = row.trim().split(/\s+/).slice(1, 6).map(Number);
    expect(cells).toHaveLength(5);
    [0, 50, 100, 150, 199].forEach((e, i) => {
      expect(cells[i]! / (0.1 * 0.95 ** e)).toBeCloseTo(1, 2);
    });
  });

  it('--each writes one valid plot per scheduler', async () => {
    const r = await demo('schedulers', '--each', '--no-plot', '--out', join(dir, 'each.png'));
    expect(r.code).toBe(0);
    for (let i = 1; i <= 14; i++) expect(checkPng(join(dir, `each-${i}.png`)).inked).toBeGreaterThan(500);
  });

  it('--name picks one and passes options through; bad names and values are one-line errors', async () => {
    const r = await demoJson('schedulers', '--name', 'StepLR', '--step-size', '30', '--gamma', '0.5');
    expect(r.schedulers).toHaveLength(1);
    expect(r.schedulers[0].lrs[60]).toBeCloseTo(0.025, 12);
    const bad = await demo('schedulers', '--name', 'Nope');
    expect(bad.code).toBe(1);
    expect(bad.err.trim().split('\n')).toHaveLength(1);
    expect(bad.err).toMatch(/unknown scheduler 'Nope'/);
    const wrong = await demo('schedulers', '--name', 'CosineAnnealingLR', '--t-max', '-3');
    expect(wrong.code).toBe(1);
    expect(wrong.err).toMatch(/^opt-demo: error: CosineAnnealingLR: /);
  });
});

describe('opt-demo optimizer and param-groups', () => {
  it('walks through step, zeroGrad, addParamGroup and the state dict round trip', async () => {
    const r = await demoJson('optimizer');
    r.step.before.flat().forEach((w: number, i: number) => {
      expect(r.step.after.flat()[i]).toBeCloseTo(w - 0.1, 5);
    });
    expect(r.printed).toContain('Parameter Group 1');
    expect(r.printed).toContain('    lr: 0.0001\n');
    for (const b of r.momentumBuffer.flat()) expect(b).toBeCloseTo((1 - 0.9 ** 10) / 0.1, 4);
    expect(r.loadedBuffer).toEqual(r.momentumBuffer);
  });

  it('features at 1e-05, classifier at 0.01, then × 0.1', async () => {
    const r = await demoJson('param-groups');
    expect(r.groups.map((g: { params: number }) => g.params)).toEqual([4, 6]);
    expect(r.groups.map((g: { lrBefore: number }) => g.lrBefore)).toEqual([1e-5, 1e-2]);
    expect(r.groups.map((g: { lrAfter: number }) => g.lrAfter)).toEqual([
      expect.closeTo(1e-6, 15),
      expect.closeTo(1e-3, 15),
    ]);
    expect(r.printed).toMatch(/^SGD \(\nParameter Group 0\n {4}dampening: 0\n/);
    const text = await demo('param-groups', '--no-plot');
    // Python: repr(1e-5 * 0.1), repr(0.01 * 0.1)
    expect(text.out).toContain('group 0: 1e-05 → 1.0000000000000002e-06\n');
    expect(text.out).toContain('group 1: 0.01 → 0.001\n');
    expect(r.net).toContain(
      '(features): Sequential(\n    (0): Conv2d(3, 6, kernel_size=(5, 5), stride=(1, 1))',
    );
  });
});

describe('opt-demo train, compare, find-lr (short settings)', () => {
  const small = ['--train-size', '384', '--test-size', '200', '--batch-size', '64'];

  it('trains, checkpoints every epoch, and --resume continues exactly', async () => {
    const a = join(dir, 'runA');
    const whole = await demoJson('train', '--epochs', '3', ...small, '--checkpoint-dir', a);
    expect(whole.history).toHaveLength(3);
    expect(readdirSync(a).filter((f) => f.endsWith('.pt')).length).toBeGreaterThanOrEqual(3);
    const again = await demoJson('train', '--epochs', '3', ...small, '--checkpoint-dir', join(dir, 'runA2'));
    const strip = (h: { samplesPerSecond?: number }[]) => h.map(({ samplesPerSecond: _s, ...rest }) => rest);
    expect(strip(again.history)).toEqual(strip(whole.history)); // same seed, same numbers
    const first = join(
      a,
      readdirSync(a)
        .filter((f) => /checkpoint-\d+\.pt$/.test(f))
        .sort()[0]!,
    );
    const resumed = await demoJson(
      'train',
      '--epochs',
      '3',
      ...small,
      '--checkpoint-dir',
      join(dir, 'runB'),
      '--resume',
      first,
    );
    expect(strip(resumed.history)).toEqual(strip(whole.history).slice(1));
  });

  it('a missing checkpoint or a bad value is one line and exit code 1', async () => {
    const missing = await demo('train', '--resume', join(dir, 'nope.pt'));
    expect(missing.code).toBe(1);
    expect(missing.err).toBe(`opt-demo: error: checkpoint file not found: ${join(dir, 'nope.pt')}\n`);
    const lr = await demo('train', '--lr', '-0.1');
    expect(lr.code).toBe(1);
    expect(lr.err.trim().split('\n')).toHaveLength(1);
    expect(lr.err).toMatch(/--lr <lr>.*-0.1.*expected a number > 0/);
    const beta = await demo('momentum', '--betas', '0.9,1');
    expect(beta.code).toBe(1);
    expect(beta.err).toMatch(/expected a number in \[0, 1\)/);
    const unknown = await demo('lr', '--bogus');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/unknown option '--bogus'/);
  });

  it('compare runs every optimizer on the same budget and plots them', async () => {
    const r = await demoJson(
      'compare',
      '--optimizers',
      'sgd,adam',
      '--train-size',
      '256',
      '--test-size',
      '100',
      '--out',
      join(dir, 'cmp.svg'),
    );
    expect(r.results.map((x: { optimizer: string }) => x.optimizer)).toEqual(['sgd', 'adam']);
    for (const x of r.results) expect(x.losses).toHaveLength(4);
    expect(checkSvg(join(dir, 'cmp.svg'))).toHaveLength(2);
  });

  it('find-lr increases the lr geometrically and suggests one', async () => {
    const r = await demoJson(
      'find-lr',
      '--steps',
      '12',
      '--start',
      '1e-4',
      '--end',
      '1',
      '--train-size',
      '768',
      '--out',
      join(dir, 'flr.png'),
    );
    const ratio = (1 / 1e-4) ** (1 / 11);
    r.lrs.forEach((lr: number, i: number) => {
      expect(lr / (1e-4 * ratio ** i)).toBeCloseTo(1, 10);
    });
    expect(r.smoothed[0]).toBeCloseTo(r.loss[0], 10);
    expect(checkPng(join(dir, 'flr.png')).inked).toBeGreaterThan(100);
  });
});

describe('--help', () => {
  it.each([
    'lr',
    'lr-sweep',
    'momentum',
    'schedulers',
    'optimizer',
    'param-groups',
    'train',
    'compare',
    'find-lr',
  ])('%s shows its options with defaults', async (cmd) => {
    const r = await demo(cmd, '--help');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`Usage: opt-demo ${cmd}`);
    expect(r.out).toContain('--seed <n>');
    expect(r.out).toContain('(default: 0)');
  });

  it('the program lists every command', async () => {
    const r = await demo('--help');
    for (const c of [
      'lr',
      'lr-sweep',
      'momentum',
      'schedulers',
      'optimizer',
      'param-groups',
      'train',
      'compare',
      'find-lr',
    ])
      expect(r.out).toContain(c);
  });
});
