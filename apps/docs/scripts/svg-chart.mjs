// A small SVG line chart for the gallery: axes with ticks, one polyline per series.

const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2'];

/** Round tick values for [lo, hi]. */
function ticks(lo, hi, count = 5) {
  const span = hi - lo || Math.abs(hi) || 1;
  const step0 = span / count;
  const mag = 10 ** Math.floor(Math.log10(step0));
  const step = [1, 2, 5, 10].map((f) => f * mag).find((s) => s >= step0) ?? mag * 10;
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
    out.push(Number(v.toPrecision(12)));
  return out;
}

const fmt = (v) => (Math.abs(v) >= 1e-3 || v === 0 ? String(Number(v.toPrecision(4))) : v.toExponential(1));

/**
 * Renders series `{ label, values }` (y against index) as an SVG document.
 * @param {{ title: string, series: Array<{ label: string, values: number[] }>, width?: number, height?: number }} chart
 */
export function lineChartSvg({ title, series, width = 640, height = 320 }) {
  const m = { left: 64, right: 16, top: 32, bottom: 36 };
  const all = series.flatMap((s) => s.values);
  const n = Math.max(...series.map((s) => s.values.length));
  const lo = Math.min(0, ...all);
  const hi = Math.max(...all);
  const x = (i) => m.left + (i / Math.max(1, n - 1)) * (width - m.left - m.right);
  const y = (v) => height - m.bottom - ((v - lo) / (hi - lo || 1)) * (height - m.top - m.bottom);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${width / 2}" y="18" text-anchor="middle" font-size="13">${escapeXml(title)}</text>`,
    `<line x1="${m.left}" y1="${height - m.bottom}" x2="${width - m.right}" y2="${height - m.bottom}" stroke="#333"/>`,
    `<line x1="${m.left}" y1="${m.top}" x2="${m.left}" y2="${height - m.bottom}" stroke="#333"/>`,
  ];
  for (const t of ticks(lo, hi)) {
    parts.push(
      `<line x1="${m.left - 4}" y1="${y(t)}" x2="${width - m.right}" y2="${y(t)}" stroke="#eee"/>`,
      `<text x="${m.left - 6}" y="${y(t) + 4}" text-anchor="end">${fmt(t)}</text>`,
    );
  }
  for (const t of ticks(0, n - 1)) {
    parts.push(`<text x="${x(t)}" y="${height - m.bottom + 16}" text-anchor="middle">${t}</text>`);
  }
  parts.push(`<text x="${width / 2}" y="${height - 4}" text-anchor="middle">epoch</text>`);
  series.forEach((s, k) => {
    const color = COLORS[k % COLORS.length];
    const points = s.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
    parts.push(
      `<polyline class="series" fill="none" stroke="${color}" stroke-width="1.5" points="${points}"/>`,
    );
    parts.push(
      `<text x="${width - m.right - 4}" y="${m.top + 14 * (k + 1)}" text-anchor="end" fill="${color}">${escapeXml(s.label)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n');
}

function escapeXml(s) {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
