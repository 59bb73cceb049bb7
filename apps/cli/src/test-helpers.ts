import { readFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import { run } from './program';

/** Runs `opt-demo args` in-process; returns the exit code and what it printed. */
export async function demo(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(args, { out: (s) => (out += s), err: (s) => (err += s), isTTY: false });
  return { code, out, err };
}

/** Runs with `--json` and parses the output. */
export async function demoJson<T = any>(...args: string[]): Promise<T> {
  const r = await demo(...args, '--json', '--no-plot');
  if (r.code !== 0) throw new Error(`opt-demo ${args.join(' ')} exited ${r.code}: ${r.err}`);
  return JSON.parse(r.out) as T;
}

/** A PNG file decodes (signature, chunks, CRCs) to the expected size with some non-white pixels. */
export function checkPng(path: string): { width: number; height: number; inked: number } {
  const bytes = readFileSync(path);
  if (!bytes.subarray(0, 8).equals(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10])))
    throw new Error(`${path}: no PNG signature`);
  const png = PNG.sync.read(bytes);
  let inked = 0;
  for (let i = 0; i < png.data.length; i += 4)
    if (png.data[i] !== 255 || png.data[i + 1] !== 255 || png.data[i + 2] !== 255) inked++;
  return { width: png.width, height: png.height, inked };
}

/** An SVG file is well-formed XML (balanced tags) with an <svg> root; returns its paths' `d`s. */
export function checkSvg(path: string): string[] {
  const text = readFileSync(path, 'utf8').replace(/^<\?xml[^>]*\?>\s*/, '');
  if (!text.startsWith('<svg')) throw new Error(`${path}: root is not <svg>`);
  const stack: string[] = [];
  for (const m of text.matchAll(/<(\/?)([a-zA-Z]+)[^>]*?(\/?)>/g)) {
    const [, close, name, self] = m;
    if (self) continue;
    if (close) {
      if (stack.pop() !== name) throw new Error(`${path}: unbalanced </${name}>`);
    } else stack.push(name!);
  }
  if (stack.length !== 0) throw new Error(`${path}: unclosed <${stack.join('>, <')}>`);
  return [...text.matchAll(/<path d="([^"]*)"/g)].map((m) => m[1]!);
}

/** How many dark (text or axis ink, all channels < 100) pixels the PNG has in the rectangle [x0, x1) × [y0, y1). */
export function darkPixels(path: string, x0: number, y0: number, x1: number, y1: number): number {
  const png = PNG.sync.read(readFileSync(path));
  let n = 0;
  for (let y = y0; y < y1; y++)
    for (let x = x0; x < x1; x++) {
      const i = (y * png.width + x) * 4;
      if (png.data[i]! < 100 && png.data[i + 1]! < 100 && png.data[i + 2]! < 100) n++;
    }
  return n;
}
