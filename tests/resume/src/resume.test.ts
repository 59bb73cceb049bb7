import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { BATCHES, EPOCHS } from './settings';

const script = resolve(__dirname, 'training-run.ts');
const dir = mkdtempSync(join(tmpdir(), 'opt-resume-'));

/**
 * Runs the training script in a fresh Node process (asynchronously: a test worker blocked for
 * a minute on a loaded machine misses vitest's own messages).
 */
async function run(
  out: string,
  ...args: string[]
): Promise<{ step: number; lrs: number[]; params: Record<string, string>; momentum: string[] }> {
  await promisify(execFile)(
    process.execPath,
    ['--conditions=@opt/source', '--import', 'tsx', script, out, ...args],
    {
      cwd: resolve(__dirname, '..'),
    },
  );
  return JSON.parse(readFileSync(out, 'utf8'));
}

describe('a conv net stopped mid-epoch and resumed in a new process', () => {
  let whole: Awaited<ReturnType<typeof run>> | undefined;
  it.each([3, BATCHES + 2])(
    'ends bit-identical to the uninterrupted run (stopped after step %i)',
    async (k) => {
      whole ??= await run(join(dir, 'whole.json'));
      expect(whole.step).toBe(EPOCHS * BATCHES);
      const ckpt = join(dir, `ckpt-${k}.pt`);
      await run(join(dir, `unused-${k}.json`), '--stop-after', String(k), '--save', ckpt);
      const resumed = await run(join(dir, `resumed-${k}.json`), '--resume', ckpt);
      expect(resumed.step).toBe(whole.step);
      expect(resumed.lrs).toEqual(whole.lrs);
      expect(Object.keys(resumed.params)).toEqual(Object.keys(whole.params));
      for (const name of Object.keys(whole.params))
        expect(resumed.params[name], name).toBe(whole.params[name]);
      expect(resumed.momentum).toEqual(whole.momentum);
    },
  );
});
