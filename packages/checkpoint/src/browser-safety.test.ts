import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('browser safety', () => {
  it('no source file imports a node: module statically (node-files.ts imports them lazily)', () => {
    const files = readdirSync(__dirname).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    expect(files).toContain('node-files.ts');
    for (const f of files) {
      const src = readFileSync(join(__dirname, f), 'utf8');
      expect(src, f).not.toMatch(/^import[^;]*from\s+['"]node:/m);
      expect(src, f).not.toMatch(/require\(['"]node:/);
    }
    expect(readFileSync(join(__dirname, 'node-files.ts'), 'utf8')).toMatch(/import\('node:fs\/promises'\)/);
  });
});
