import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tuple } from '../src/python-values';
import { load, save } from '../src/save-load';
import { saveTrainingState } from '../src/training-state';
import { runChild } from './run-child';
import { makeTestTensor, testFactory, warnIfTensorMissing } from './tensor-ready';

const PYTHON = '/usr/bin/python3';
const hasTorch = spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
if (!hasTorch) {
  console.warn(`\n*** SKIPPED: PyTorch interop tests (${PYTHON} cannot import torch) ***\n`);
}

const fixtures = join(__dirname, 'fixtures');
const checker = join(__dirname, 'interop', 'check.py');
const work = mkdtempSync(join(tmpdir(), 'opt-checkpoint-interop-'));

async function python(job: object): Promise<any> {
  const jobFile = join(work, `job-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(jobFile, JSON.stringify(job));
  const r = await runChild(PYTHON, [checker, jobFile], 120_000);
  if (r.status !== 0) throw new Error(`check.py failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

// big_endian.pt: PyTorch 1.13 ignores the byteorder record, so only our reader can check it
const names = Object.keys(
  JSON.parse(readFileSync(join(fixtures, 'expected.json'), 'utf8')).files as Record<string, unknown>,
).filter((n) => n !== 'big_endian');

warnIfTensorMissing('PyTorch interop tests');

describe.skipIf(!hasTorch)('files written here, read by PyTorch (torch.load weights_only=True)', () => {
  // one Python process checks every re-saved fixture (importing torch takes most of a second)
  let problems: Record<string, string[]> = {};
  beforeAll(async () => {
    const jobs = [];
    for (const name of names) {
      const ours = join(work, `${name}.pt`);
      await save(await load(join(fixtures, `${name}.pt`), { tensorFactory: testFactory }), ours);
      jobs.push({ kind: 'same', ours, theirs: join(fixtures, `${name}.pt`) });
    }
    const results = (await python({ kind: 'batch', jobs })) as { problems: string[] }[];
    problems = Object.fromEntries(names.map((n, i) => [n, results[i]!.problems]));
  }, 180_000); // importing torch and checking every file: seconds alone, a minute under full load
  for (const name of names) {
    it(`${name}: load → save → torch.load gives what torch.save wrote, Python types included`, () => {
      expect(problems[name]).toEqual([]);
    });
  }

  it('an SGD state dict re-saved here loads into torch.optim.SGD and steps', async () => {
    const path = join(work, 'sgd-resaved.pt');
    await save(await load(join(fixtures, 'sgd_momentum.pt'), { tensorFactory: testFactory }), path);
    const r = await python({
      kind: 'optimizer',
      path,
      optimizer: 'SGD',
      shapes: [[2, 1, 3, 3], [2], [3, 8], [3]],
    });
    const group = r.loaded["'param_groups'"].list[0];
    expect(group["'lr'"]).toEqual({ float: 0.1 });
    expect(group["'momentum'"]).toEqual({ float: 0.9 });
    expect(Object.keys(r.loaded["'state'"])).toEqual(['0', '1', '2', '3']);
  });

  it('an Adam state dict built in JS (lr: 1, betas tuple) loads into torch.optim.Adam and steps like PyTorch', async () => {
    const path = join(work, 'adam-js.pt');
    const expAvg = makeTestTensor(new Float32Array([0.1, 0.2]), [2], 'float32');
    const expAvgSq = makeTestTensor(new Float32Array([0.01, 0.04]), [2], 'float32');
    const step = makeTestTensor(new Float32Array([2]), [], 'float32');
    await save(
      {
        state: { 0: { step, exp_avg: expAvg, exp_avg_sq: expAvgSq } },
        param_groups: [
          {
            lr: 1,
            betas: tuple(0.9, 0.999),
            eps: 1e-8,
            weight_decay: 0,
            amsgrad: false,
            maximize: false,
            foreach: null,
            capturable: false,
            params: [0],
          },
        ],
      },
      path,
    );
    const r = await python({ kind: 'optimizer', path, optimizer: 'Adam', shapes: [[2]] });
    const group = r.loaded["'param_groups'"].list[0];
    expect(group["'lr'"]).toEqual({ float: 1 });
    expect(group["'weight_decay'"]).toEqual({ int: 0 });
    expect(group["'betas'"]).toEqual({ tuple: [{ float: 0.9 }, { float: 0.999 }] });
    expect(r.loaded["'state'"]['0']["'exp_avg'"].values[1]).toBeCloseTo(0.2, 7);
    // Adam by hand, step 3, grad 0.5, param 1 (the reference for the step PyTorch took)
    const g = 0.5;
    const m = [0.1, 0.2].map((x) => 0.9 * x + 0.1 * g);
    const v = [0.01, 0.04].map((x) => 0.999 * x + 0.001 * g * g);
    const want = m.map(
      (mi, i) => 1 - (1 * mi) / (1 - 0.9 ** 3) / (Math.sqrt(v[i]!) / Math.sqrt(1 - 0.999 ** 3) + 1e-8),
    );
    for (const [i, x] of (r.after_step[0] as number[]).entries()) expect(x).toBeCloseTo(want[i]!, 5);
  });
  it('a training-state file is a torch.save file PyTorch reads', async () => {
    const path = join(work, 'training-state.pt');
    const w = makeTestTensor(new Float32Array([0.5, -1]), [2], 'float32');
    await saveTrainingState(path, {
      model: { stateDict: () => ({ weight: w }), loadStateDict: () => {} },
      generators: { dropout: { getState: () => ({ seed: 7, counter: 3 }), setState: () => {} } },
      epoch: 2,
      step: 40,
      extras: { note: 'x' },
    });
    const r = await python({ kind: 'describe', path });
    expect(r["'format'"]).toEqual({ str: 'opt-training-state' });
    expect(r["'epoch'"]).toEqual({ int: 2 });
    expect(r["'step'"]).toEqual({ int: 40 });
    expect(r["'model'"]["'weight'"]).toEqual({ dtype: 'torch.float32', shape: [2], values: [0.5, -1] });
    expect(r["'generators'"]["'dropout'"]).toEqual({ "'seed'": { int: 7 }, "'counter'": { int: 3 } });
  });
});
