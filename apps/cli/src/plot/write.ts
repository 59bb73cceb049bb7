import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, extname } from 'node:path';
import { CliError } from '../errors';
import type { Chart } from './chart';
import { chartToPng } from './png';
import { chartToSvg } from './svg';

/** Writes the chart to `path` as PNG or SVG, by extension. */
export function writeChart(path: string, chart: Chart): void {
  const ext = extname(path).toLowerCase();
  if (ext !== '.png' && ext !== '.svg') {
    throw new CliError(`--out must end in .png or .svg; got '${path}'`);
  }
  mkdirSync(dirname(path) || '.', { recursive: true });
  writeFileSync(path, ext === '.png' ? chartToPng(chart) : chartToSvg(chart));
}
