import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { smokeCalls } from './smoke-calls';

const root = resolve(__dirname, '../../..');
const packageDirs = readdirSync(join(root, 'packages')).map((d) => join(root, 'packages', d));
const manifests = new Map<string, { dir: string; deps: string[] }>();
for (const dir of packageDirs) {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  manifests.set(pkg.name, { dir, deps: Object.keys(pkg.dependencies ?? {}) });
}

/** The package and every workspace package it depends on, transitively. */
function closure(name: string, seen = new Set<string>()): Set<string> {
  seen.add(name);
  for (const dep of manifests.get(name)?.deps ?? []) {
    if (manifests.has(dep) && !seen.has(dep)) closure(dep, seen);
  }
  return seen;
}

/**
 * Runs a command without blocking the test worker. A synchronous spawn that
 * takes long (npm install on a loaded CI machine) starves vitest's worker RPC
 * and fails the run with "Timeout calling onTaskUpdate" even when every test passes.
 */
const execFileAsync = promisify(execFile);
async function run(cmd: string, args: string[], cwd: string): Promise<string> {
  const { stdout } = await execFileAsync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  return stdout;
}

const tarballs = new Map<string, string>();
const packDir = mkdtempSync(join(tmpdir(), 'opt-pack-'));

beforeAll(async () => {
  for (const [name, { dir }] of manifests) {
    const out = await run('pnpm', ['pack', '--pack-destination', packDir], dir);
    const file = out.trim().split('\n').pop()!.trim();
    tarballs.set(name, file.startsWith('/') ? file : join(packDir, file));
  }
});

describe.each([...manifests.keys()])('%s, packed and installed alone', (name) => {
  it('declares only downward workspace dependencies and ships dist only', async () => {
    const listing = await run('tar', ['-tzf', tarballs.get(name)!], root);
    for (const entry of ['package/dist/index.js', 'package/dist/index.cjs', 'package/dist/index.d.ts']) {
      expect(listing).toContain(entry);
    }
    expect(listing).not.toMatch(/\.test\.|package\/src\//);
    if (name === '@opt/lr-scheduler') expect(manifests.get(name)!.deps).toEqual([]);
  });

  it('passes publint --strict on the packed tarball', async () => {
    const out = await run('pnpm', ['exec', 'publint', 'run', tarballs.get(name)!, '--strict'], root);
    expect(out).not.toMatch(/error|warning/i);
  });

  it('imports as ESM and requires as CJS, and one call works', async () => {
    const project = mkdtempSync(join(tmpdir(), 'opt-consumer-'));
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
    const install = [...closure(name)].map((n) => tarballs.get(n)!);
    await run(
      'npm',
      ['install', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error', ...install],
      project,
    );
    const call = smokeCalls[name]!;
    const tensorName = '@opt/tensor';
    mkdirSync(join(project, 'check'), { recursive: true });
    writeFileSync(
      join(project, 'check', 'esm.mjs'),
      `import * as m from '${name}';\nimport * as t from '${tensorName}';\nconsole.log(JSON.stringify(${call.expression}));\n`,
    );
    writeFileSync(
      join(project, 'check', 'cjs.cjs'),
      `const m = require('${name}');\nconst t = require('${tensorName}');\nconsole.log(JSON.stringify(${call.expression}));\n`,
    );
    const needsTensor = closure(name).has(tensorName);
    for (const file of ['esm.mjs', 'cjs.cjs']) {
      if (!needsTensor) {
        const src = readFileSync(join(project, 'check', file), 'utf8').replace(/^.*@opt\/tensor.*\n/m, '');
        writeFileSync(join(project, 'check', file), src);
      }
      const out = await run('node', [join('check', file)], project);
      expect(out.trim()).toBe(call.expected);
    }
  });
});
