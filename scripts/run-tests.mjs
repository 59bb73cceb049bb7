// Runs every workspace's vitest suite through turbo, then prints the one-line
// summary CI reads ("N passed, N failed"), summed from each suite's JSON report.
// Exits non-zero when turbo failed or any test failed.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const groups = ['packages', 'apps', 'tests'];
const workspaces = [
  ...groups.flatMap((g) =>
    existsSync(join(root, g)) ? readdirSync(join(root, g)).map((d) => join(root, g, d)) : [],
  ),
  join(root, 'bench'),
];
const reports = workspaces.map((w) => join(w, 'test-results.json'));
for (const r of reports) rmSync(r, { force: true });

const run = spawnSync(
  'pnpm',
  ['exec', 'turbo', 'run', 'test', '--continue', '--force', ...process.argv.slice(2)],
  {
    cwd: root,
    stdio: 'inherit',
  },
);

let passed = 0;
let failed = 0;
let skipped = 0;
for (const r of reports) {
  if (!existsSync(r)) continue;
  const json = JSON.parse(readFileSync(r, 'utf8'));
  passed += json.numPassedTests;
  failed += json.numFailedTests;
  skipped += json.numPendingTests + (json.numTodoTests ?? 0);
  // A suite that failed to load (syntax error, missing import) has no tests to count: count it as a failure.
  for (const suite of json.testResults ?? []) {
    if (suite.status === 'failed' && suite.assertionResults.length === 0) failed += 1;
  }
}
const turboFailed = run.status !== 0;
if (turboFailed && failed === 0) failed += 1; // a task failed outside vitest's counts (crash, build error)
if (skipped > 0) console.log(`${skipped} skipped`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(turboFailed || failed > 0 ? 1 : 0);
