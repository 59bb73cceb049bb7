/** One line of a chart: its label and points (`x` defaults to 0, 1, 2, …). */
export interface Series {
  label: string;
  y: readonly number[];
  x?: readonly number[];
}

/** A line chart: what every command plots, in the terminal and to PNG/SVG files. */
export interface Chart {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  /** Logarithmic x axis (the lr range test). */
  logX?: boolean;
  /** Values above this are drawn at it (diverging runs would flatten the rest). */
  yMax?: number;
}

/** Line colours, shared by SVG, PNG and the terminal legend. */
export const PALETTE = [
  '#2563eb',
  '#dc2626',
  '#16a34a',
  '#9333ea',
  '#ea580c',
  '#0891b2',
  '#ca8a04',
  '#db2777',
  '#4b5563',
  '#65a30d',
];

/** The data ranges of a chart (finite values only, `yMax` applied). */
export function bounds(chart: Chart): { x0: number; x1: number; y0: number; y1: number } {
  let x0 = Number.POSITIVE_INFINITY;
  let x1 = Number.NEGATIVE_INFINITY;
  let y0 = Number.POSITIVE_INFINITY;
  let y1 = Number.NEGATIVE_INFINITY;
  for (const s of chart.series) {
    s.y.forEach((v, i) => {
      const x = tx(chart, s.x ? s.x[i]! : i);
      const y = clampY(chart, v);
      if (!Number.isFinite(x) || !Number.isFinite(y)) return;
      x0 = Math.min(x0, x);
      x1 = Math.max(x1, x);
      y0 = Math.min(y0, y);
      y1 = Math.max(y1, y);
    });
  }
  if (!Number.isFinite(x0)) return { x0: 0, x1: 1, y0: 0, y1: 1 };
  if (x1 === x0) x1 = x0 + 1;
  if (y1 === y0) {
    y1 = y0 + Math.max(1, Math.abs(y0) * 0.1);
  }
  return { x0, x1, y0, y1 };
}

/** The x coordinate in axis units (log10 for a log axis). */
export function tx(chart: Chart, x: number): number {
  return chart.logX ? Math.log10(x) : x;
}

/** The y value as drawn (capped at `yMax`, non-finite as the cap when there is one). */
export function clampY(chart: Chart, y: number): number {
  if (chart.yMax !== undefined && (y > chart.yMax || y === Number.POSITIVE_INFINITY || Number.isNaN(y)))
    return chart.yMax;
  return y;
}

/** About `count` round tick values covering [lo, hi]. */
export function ticks(lo: number, hi: number, count = 5): number[] {
  const span = hi - lo;
  const step0 = span / count;
  const mag = 10 ** Math.floor(Math.log10(step0));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => span / s <= count) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
    out.push(Number(v.toPrecision(12)));
  return out;
}

/** A short label for a tick value. */
export function tickLabel(v: number, log = false): string {
  if (log) return `1e${Math.round(v)}`;
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-3) return v.toExponential(0);
  return String(Number(v.toPrecision(4)));
}
