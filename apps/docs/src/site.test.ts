import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveStatic } from './serve';

const site = resolve(__dirname, '../site');
const artifacts = resolve(__dirname, '../test-output');
const packages = ['tensor', 'autograd', 'nn', 'data', 'optim', 'lr-scheduler', 'checkpoint'];

let browser: Browser;
let server: { url: string; close: () => Promise<void> };

beforeAll(async () => {
  if (!existsSync(join(site, 'index.html')))
    throw new Error(`no built site at ${site}: run \`pnpm run docs\` first`);
  server = await serveStatic(site);
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
  mkdirSync(artifacts, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Opens a page and returns it with the console errors and failed requests seen while it loaded. */
async function open(path: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(err.message));
  page.on('requestfailed', (req) => errors.push(`request failed: ${req.url()}`));
  const response = await page.goto(`${server.url}/${path}`, { waitUntil: 'load' });
  expect(response?.status(), path).toBe(200);
  return { page, errors };
}

describe('the documentation site in Chromium', () => {
  it('home page loads without console errors', async () => {
    const { page, errors } = await open('index.html');
    expect(await page.title()).toContain('@opt');
    await page.screenshot({ path: join(artifacts, 'home.png'), fullPage: false });
    expect(errors, errors.join('; ')).toEqual([]);
    await page.close();
  });

  it.each(packages)('API page of @opt/%s loads without console errors', async (name) => {
    const file = readdirSync(join(site, 'modules')).find((f) => f === `_opt_${name}.html`);
    expect(file, `modules/_opt_${name}.html`).toBeDefined();
    const { page, errors } = await open(`modules/${file}`);
    expect(await page.textContent('h1')).toContain(`@opt/${name}`);
    expect(errors).toEqual([]);
    await page.close();
  });

  const guides = existsSync(join(site, 'documents')) ? readdirSync(join(site, 'documents')) : [];
  it('has every guide', () => {
    expect(guides.length).toBeGreaterThanOrEqual(8);
  });
  it.each(guides)('guide %s loads without console errors', async (file) => {
    const { page, errors } = await open(`documents/${file}`);
    expect((await page.textContent('.tsd-panel, .col-content'))?.length).toBeGreaterThan(200);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('search finds CosineAnnealingLR', async () => {
    const { page, errors } = await open('index.html');
    await page.click('#tsd-search-trigger');
    await page.fill('#tsd-search-input', 'CosineAnnealingLR');
    await page.waitForSelector('#tsd-search-results li a');
    const results = await page.$$eval('#tsd-search-results li', (lis) =>
      lis.map((li) => li.textContent ?? ''),
    );
    expect(results.some((r) => r.includes('CosineAnnealingLR'))).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('gallery shows an image for every scheduler, rendered by the package', async () => {
    const { page, errors } = await open('gallery/index.html');
    const images = await page.$$eval('img', (imgs) =>
      imgs.map((img) => ({ src: img.getAttribute('src'), ok: img.complete && img.naturalWidth > 0 })),
    );
    expect(images.length).toBeGreaterThanOrEqual(13);
    expect(images.every((i) => i.ok)).toBe(true);
    await page.screenshot({ path: join(artifacts, 'gallery.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('playground redraws the schedule and the SGD trajectory when an option changes', async () => {
    const { page, errors } = await open('playground/index.html');
    await page.waitForSelector('body[data-ready="true"]');
    const before = await page.getAttribute('#schedule .curve', 'd');
    const lastBefore = await page.textContent('#last-lr');
    await page.selectOption('#scheduler', 'StepLR');
    await page.fill('#param', '10');
    await page.dispatchEvent('#param', 'input');
    const after = await page.getAttribute('#schedule .curve', 'd');
    expect(after).not.toBe(before);
    // StepLR(stepSize 10, gamma 0.1) from lr 0.1 over 100 epochs ends at 0.1 · 0.1^9
    expect(Number(await page.textContent('#last-lr'))).toBeCloseTo(0.1 * 0.1 ** 9, 15);
    expect(await page.textContent('#last-lr')).not.toBe(lastBefore);

    const xBefore = await page.textContent('#final-x');
    await page.fill('#momentum', '0');
    await page.fill('#iters', '3');
    await page.dispatchEvent('#iters', 'input');
    // plain SGD on y = 4x²: x ← x(1 − 8·lr), lr 0.01, 3 steps from 2
    expect(Number(await page.textContent('#final-x'))).toBeCloseTo(2 * 0.92 ** 3, 5);
    expect(await page.textContent('#final-x')).not.toBe(xBefore);
    await page.screenshot({ path: join(artifacts, 'playground.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });
});
