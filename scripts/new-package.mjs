// Writes the standard files of one publishable package (used once per package at set-up).
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
const [dir, name, description, deps = ''] = process.argv.slice(2);
const write = (f, s) => { if (!existsSync(`${dir}/${f}`)) writeFileSync(`${dir}/${f}`, s); };
mkdirSync(`${dir}/src`, { recursive: true });
const dependencies = Object.fromEntries(deps.split(',').filter(Boolean).map((d) => [d, 'workspace:^']));
const pkg = {
  name, version: '0.1.0', description, license: 'MIT',
  repository: { type: 'git', url: 'https://example.invalid/opt.git', directory: dir },
  keywords: ['pytorch', 'deep-learning', 'machine-learning', 'typescript'],
  type: 'module', sideEffects: false, engines: { node: '>=20' },
  main: './dist/index.cjs', module: './dist/index.js', types: './dist/index.d.ts',
  exports: {
    '.': {
      '@opt/source': './src/index.ts',
      import: { types: './dist/index.d.ts', default: './dist/index.js' },
      require: { types: './dist/index.d.cts', default: './dist/index.cjs' },
    },
    './package.json': './package.json',
  },
  files: ['dist'],
  scripts: {
    build: 'tsup', test: 'vitest run', typecheck: 'tsc --noEmit -p tsconfig.json',
  },
  dependencies, publishConfig: { access: 'public' },
};
write('package.json', JSON.stringify(pkg, null, 2) + '\n');
write('tsconfig.json', JSON.stringify({ extends: '../../tsconfig.base.json', include: ['src', 'test', '*.ts'] }, null, 2) + '\n');
write('tsup.config.ts', "import { defineConfig } from 'tsup';\nimport { packageConfig } from '../../tsup.base';\n\nexport default defineConfig(packageConfig());\n");
write('vitest.config.ts', "import { sharedTestConfig } from '../../vitest.shared';\n\nexport default sharedTestConfig;\n");
write('typedoc.json', JSON.stringify({ extends: ['../../typedoc.base.json'], entryPoints: ['src/index.ts'] }, null, 2) + '\n');
write('src/index.ts', '');
