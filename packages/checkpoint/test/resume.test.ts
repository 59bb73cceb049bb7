import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runChild } from './run-child';
import { ToyRun } from './toy-run';

const tsx = createRequire(import.meta.url).resolve('tsx');

describe('exact resume in a new process (plain-JS stand-in for the integrator’s conv-net test)', () => {
  it('N steps + save + load in a new process + N steps is bit-identical to 2N steps', async () => {
    const N = 23; // crosses epoch boundaries (7 samples) and a schedule change mid-epoch
    const straight = new ToyRun();
    for (let i = 0; i < 2 * N; i++) straight.step();

    const first = new ToyRun();
    for (let i = 0; i < N; i++) first.step();
    const path = join(mkdtempSync(join(tmpdir(), 'opt-resume-')), 'state.pt');
    await first.save(path, N);

    const child = await runChild(process.execPath, [
      '--conditions=@opt/source',
      '--import',
      tsx,
      join(__dirname, 'toy-run.ts'),
      path,
      String(2 * N),
    ]);
    expect(child.stderr).toBe('');
    expect(JSON.parse(child.stdout)).toEqual(straight.bits());
    // and the check has teeth: a run that resumes without the generators diverges
    const broken = new ToyRun();
    const objs = broken.objects();
    const { loadTrainingState } = await import('../src/training-state');
    await loadTrainingState(path, {
      model: objs.model,
      optimizer: objs.optimizer,
      scheduler: objs.scheduler,
      loader: objs.loader,
    });
    for (let i = N; i < 2 * N; i++) broken.step();
    expect(broken.bits()).not.toEqual(straight.bits());
  });
});
