// Builds the whole static site into apps/docs/site:
//   1. the typedoc API reference of every package plus the guides of docs/guides,
//   2. the scheduler gallery, drawn from the built @opt/lr-scheduler,
//   3. the playground, which loads the browser (ESM) builds of @opt/lr-scheduler and @opt/optim.
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gallerySpecs } from './gallery-specs.mjs';
import { lineChartSvg } from './svg-chart.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const app = resolve(here, '..');
const root = resolve(app, '../..');
const site = join(app, 'site');

execFileSync('pnpm', ['exec', 'typedoc', '--options', join(root, 'typedoc.json')], {
  cwd: root,
  stdio: 'inherit',
});

// The gallery: every schedule computed by the real scheduler classes, from the package build.
const dist = (pkg) => join(root, 'packages', pkg, 'dist', 'index.js');
const schedulers = await import(pathToFileURL(dist('lr-scheduler')).href);
const gallery = join(site, 'gallery');
mkdirSync(gallery, { recursive: true });
const epochs = 200;
const cards = [];
for (const spec of gallerySpecs) {
  const values = schedulers
    .lrSequence((optimizer) => spec.make(schedulers, optimizer), epochs, {
      lrs: [0.1],
      ...(spec.metric ? { metric: spec.metric } : {}),
    })
    .lrs.map((row) => row[0]);
  const file = `${spec.name}.svg`;
  writeFileSync(join(gallery, file), lineChartSvg({ title: spec.title, series: [{ label: 'lr', values }] }));
  cards.push(
    `<figure><img src="${file}" alt="${spec.title}" width="640" height="320"><figcaption>${spec.title}</figcaption></figure>`,
  );
}
writeFileSync(
  join(gallery, 'index.html'),
  page(
    'Scheduler gallery',
    `<h1>Scheduler gallery</h1>
<p>Each curve is the learning rate of one parameter group (initial lr 0.1) over ${epochs} epochs, computed at build time by
<code>@opt/lr-scheduler</code> itself with the settings of the classic PyTorch tutorials.</p>
${cards.join('\n')}`,
  ),
);

// The playground: static page + browser builds of the packages it imports.
const playground = join(site, 'playground');
mkdirSync(playground, { recursive: true });
for (const pkg of ['lr-scheduler', 'optim', 'tensor']) copyFileSync(dist(pkg), join(playground, `${pkg}.js`));
cpSync(join(app, 'static', 'playground'), playground, { recursive: true });

function page(title, body) {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title} · @opt</title><link rel="icon" href="../assets/favicon.svg" type="image/svg+xml">
<style>body{font-family:system-ui,sans-serif;max-width:980px;margin:2rem auto;padding:0 1rem}figure{display:inline-block;margin:0 0 1.5rem}figcaption{font-size:.85rem;color:#555}</style>
</head><body><p><a href="../index.html">← @opt documentation</a></p>
${body}
</body></html>
`;
}
console.log(`docs: site written to ${site}`);
