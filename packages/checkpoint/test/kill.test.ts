import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CheckpointManager } from '../src/checkpoint-manager';
import { load } from '../src/save-load';

const require = createRequire(import.meta.url);
const tsx = require.resolve('tsx');

/** Runs the saving child until it has reported `atLeast` saves, then waits `extraMs` and SIGKILLs it. */
function runAndKill(dir: string, single: string, extraMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--conditions=@opt/source', '--import', tsx, join(__dirname, 'kill-child.ts'), dir, single],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let last = -1;
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      for (const m of chunk.matchAll(/done (\d+)/g)) last = Number(m[1]);
      if (last >= 0 && !timer) timer = setTimeout(() => child.kill('SIGKILL'), extraMs);
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(last);
      else reject(new Error(`child exited with ${code}: ${err}`));
    });
  });
}

describe('kill test: SIGKILL while saving in a loop', () => {
  it('always leaves the latest complete checkpoint loadable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'opt-kill-'));
    const single = join(dir, 'single.pt');
    const manager = new CheckpointManager(join(dir, 'managed'), { keepLast: 2 });
    let seed = 12345;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let round = 0; round < 6; round++) {
      const lastDone = await runAndKill(join(dir, 'managed'), single, Math.floor(rand() * 300));
      const one = await load(single);
      expect(one.step).toBeGreaterThanOrEqual(lastDone);
      expect(one.payload.every((b: number) => b === one.step % 251)).toBe(true);
      const latest = await manager.loadLatest();
      expect(latest).not.toBeNull();
      expect(latest!.skipped).toEqual([]);
      expect(latest!.state.step).toBeGreaterThanOrEqual(lastDone);
      expect(latest!.state.extras.payload.every((b: number) => b === latest!.state.step % 251)).toBe(true);
    }
  }, 120_000);
});
