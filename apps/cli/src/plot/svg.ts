import { bounds, type Chart, clampY, PALETTE, tickLabel, ticks, tx } from './chart';

const W = 760;
const H = 440;
const M = { left: 70, right: 20, top: 40, bottom: 50 };

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The chart as a standalone SVG document (axes, ticks, labels, one polyline per series, a legend). */
export function chartToSvg(chart: Chart): string {
  const b = bounds(chart);
  const px = (x: number) => M.left + ((x - b.x0) / (b.x1 - b.x0)) * (W - M.left - M.right);
  const py = (y: number) => H - M.bottom - ((y - b.y0) / (b.y1 - b.y0)) * (H - M.top - M.bottom);
  const parts: string[] = [];
  parts.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  parts.push(`<text x="${W / 2}" y="24" text-anchor="middle" font-size="16">${esc(chart.title)}</text>`);
  for (const t of ticks(b.x0, b.x1)) {
    const x = px(t).toFixed(1);
    parts.push(`<line x1="${x}" y1="${H - M.bottom}" x2="${x}" y2="${H - M.bottom + 5}" stroke="#333"/>`);
    parts.push(
      `<text x="${x}" y="${H - M.bottom + 18}" text-anchor="middle" font-size="11">${tickLabel(t, chart.logX)}</text>`,
    );
  }
  for (const t of ticks(b.y0, b.y1)) {
    const y = py(t).toFixed(1);
    parts.push(`<line x1="${M.left - 5}" y1="${y}" x2="${W - M.right}" y2="${y}" stroke="#e5e7eb"/>`);
    parts.push(
      `<text x="${M.left - 8}" y="${y}" text-anchor="end" dominant-baseline="middle" font-size="11">${tickLabel(t)}</text>`,
    );
  }
  parts.push(
    `<line x1="${M.left}" y1="${H - M.bottom}" x2="${W - M.right}" y2="${H - M.bottom}" stroke="#333"/>`,
  );
  parts.push(`<line x1="${M.left}" y1="${M.top}" x2="${M.left}" y2="${H - M.bottom}" stroke="#333"/>`);
  parts.push(
    `<text x="${W / 2}" y="${H - 12}" text-anchor="middle" font-size="13">${esc(chart.xLabel)}</text>`,
  );
  parts.push(
    `<text x="16" y="${H / 2}" text-anchor="middle" font-size="13" transform="rotate(-90 16 ${H / 2})">${esc(chart.yLabel)}</text>`,
  );
  chart.series.forEach((s, k) => {
    const color = PALETTE[k % PALETTE.length]!;
    let d = '';
    let pen = false;
    s.y.forEach((v, i) => {
      const x = tx(chart, s.x ? s.x[i]! : i);
      const y = clampY(chart, v);
      if (!Number.isFinite(x) || !Number.isFinite(y)) {
        pen = false;
        return;
      }
      d += `${pen ? 'L' : 'M'}${px(x).toFixed(1)},${py(y).toFixed(1)}`;
      pen = true;
    });
    parts.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="2"/>`);
    const ly = M.top + 8 + k * 16;
    parts.push(`<rect x="${W - M.right - 190}" y="${ly - 8}" width="12" height="3" fill="${color}"/>`);
    parts.push(`<text x="${W - M.right - 172}" y="${ly - 3}" font-size="11">${esc(s.label)}</text>`);
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">\n${parts.join('\n')}\n</svg>\n`;
}
