import { mkdtempSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { load } from '../src/save-load';
import { runChild } from './run-child';

const tsx = createRequire(import.meta.url).resolve('tsx');

describe('a process killed at a chosen point of an atomic save', () => {
  for (const phase of ['mid-write', 'before-rename']) {
    it(`${phase}: the previous file is intact and loads`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'opt-crash-'));
      const path = join(dir, 'ckpt.pt');
      const r = await runChild(process.execPath, [
        '--conditions=@opt/source',
        '--import',
        tsx,
        join(__dirname, 'crash-child.ts'),
        path,
        phase,
      ]);
      expect(r.signal).toBe('SIGKILL');
      expect(r.stdout).toBe('');
      const obj = await load(path);
      expect(obj.version).toBe(1);
      expect(obj.payload.every((b: number) => b === 1)).toBe(true);
      // the dead process left its temporary file beside the target, never in its place
      expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toHaveLength(1);
    });
  }
});
