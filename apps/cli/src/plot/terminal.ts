import * as asciichartNs from 'asciichart';
import type { Chart } from './chart';
import { clampY } from './chart';

// asciichart is CommonJS: under Node's ESM loader its functions may sit on `default`
const asciichart = ((asciichartNs as unknown as { default?: typeof asciichartNs }).default ??
  asciichartNs) as typeof asciichartNs;

const COLORS = [
  asciichart.blue,
  asciichart.red,
  asciichart.green,
  asciichart.magenta,
  asciichart.yellow,
  asciichart.cyan,
];

/** The chart drawn with asciichart for the terminal (series resampled to `width` points). */
export function chartToTerminal(chart: Chart, width = 70, height = 12): string {
  const rows = chart.series.map((s) => {
    const n = s.y.length;
    const out: number[] = [];
    const m = Math.min(width, n);
    for (let i = 0; i < m; i++) {
      const v = clampY(chart, s.y[Math.floor((i * n) / m)]!);
      out.push(Number.isFinite(v) ? v : Number.NaN);
    }
    return out;
  });
  const finite = rows.flat().filter(Number.isFinite);
  if (finite.length === 0) return `${chart.title}: nothing to plot`;
  const plot = asciichart.plot(rows, { height, colors: rows.map((_, k) => COLORS[k % COLORS.length]!) });
  const legend = chart.series
    .map((s, k) => `${COLORS[k % COLORS.length]}──${asciichart.reset} ${s.label}`)
    .join('   ');
  return `${chart.title}\n${plot}\n${' '.repeat(8)}${chart.xLabel} →   ${legend}`;
}
