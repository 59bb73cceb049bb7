import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BATCHES, EPOCHS } from './settings';

const script = resolve(__dirname, 'training-run.ts');
const dir = mkdtempSync(join(tmpdir(), 'opt-resume-'));

/** Runs the training script in a fresh Node process. */
function run(
  out: string,
  ...args: string[]
): { step: number; lrs: number[]; params: Record<string, string>; momentum: string[] } {
  execFileSync(process.execPath, ['--conditions=@opt/source', '--import', 'tsx', script, out, ...args], {
    cwd: resolve(__dirname, '..'),
    stdio: 'inherit',
  });
  return JSON.parse(readFileSync(out, 'utf8'));
}

describe('a conv net stopped mid-epoch and resumed in a new process', () => {
  let whole: ReturnType<typeof run> | undefined;
  it.each([3, BATCHES + 2])('ends bit-identical to the uninterrupted run (stopped after step %i)', (k) => {
    whole ??= run(join(dir, 'whole.json'));
    expect(whole.step).toBe(EPOCHS * BATCHES);
    const ckpt = join(dir, `ckpt-${k}.pt`);
    run(join(dir, `unused-${k}.json`), '--stop-after', String(k), '--save', ckpt);
    const resumed = run(join(dir, `resumed-${k}.json`), '--resume', ckpt);
    expect(resumed.step).toBe(whole.step);
    expect(resumed.lrs).toEqual(whole.lrs);
    expect(Object.keys(resumed.params)).toEqual(Object.keys(whole.params));
    for (const name of Object.keys(whole.params)) expect(resumed.params[name], name).toBe(whole.params[name]);
    expect(resumed.momentum).toEqual(whole.momentum);
  });
});
