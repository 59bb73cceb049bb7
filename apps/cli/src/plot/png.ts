import { PNG } from 'pngjs';
import { bounds, type Chart, clampY, PALETTE, tickLabel, ticks, tx } from './chart';
import { drawText, GLYPH_H, textWidth } from './font';

const W = 760;
const H = 440;
const M = { left: 70, right: 20, top: 40, bottom: 50 };

function rgb(hex: string): [number, number, number] {
  return [
    Number.parseInt(hex.slice(1, 3), 16),
    Number.parseInt(hex.slice(3, 5), 16),
    Number.parseInt(hex.slice(5, 7), 16),
  ];
}

/**
 * The chart rasterised to PNG bytes (pure JS via pngjs, no native code): the
 * SVG output's layout (title, axes, tick marks and labels, grid lines, axis
 * labels, one 2-px line per series, a legend), text in a 5×7 bitmap font.
 */
export function chartToPng(chart: Chart): Buffer {
  const png = new PNG({ width: W, height: H });
  const data = png.data;
  data.fill(255);
  const set = (x: number, y: number, c: [number, number, number]) => {
    if (x < 0 || y < 0 || x >= W || y >= H) return;
    const i = (y * W + x) * 4;
    data[i] = c[0];
    data[i + 1] = c[1];
    data[i + 2] = c[2];
    data[i + 3] = 255;
  };
  const line = (x0: number, y0: number, x1: number, y1: number, c: [number, number, number], thick = 1) => {
    let xa = Math.round(x0);
    let ya = Math.round(y0);
    const xb = Math.round(x1);
    const yb = Math.round(y1);
    const dx = Math.abs(xb - xa);
    const dy = -Math.abs(yb - ya);
    const sx = xa < xb ? 1 : -1;
    const sy = ya < yb ? 1 : -1;
    let err = dx + dy;
    for (;;) {
      for (let t = 0; t < thick; t++) {
        set(xa, ya + t, c);
        set(xa + t, ya, c);
      }
      if (xa === xb && ya === yb) break;
      const e2 = 2 * err;
      if (e2 >= dy) {
        err += dy;
        xa += sx;
      }
      if (e2 <= dx) {
        err += dx;
        ya += sy;
      }
    }
  };
  const b = bounds(chart);
  const px = (x: number) => M.left + ((x - b.x0) / (b.x1 - b.x0)) * (W - M.left - M.right);
  const py = (y: number) => H - M.bottom - ((y - b.y0) / (b.y1 - b.y0)) * (H - M.top - M.bottom);
  const grid: [number, number, number] = [229, 231, 235];
  const axis: [number, number, number] = [51, 51, 51];
  const ink: [number, number, number] = [17, 17, 17];
  const text = (s: string, x: number, y: number, scale = 1, vertical = false) =>
    drawText(s, Math.round(x), Math.round(y), (u, v) => set(u, v, ink), scale, vertical);
  const title = chart.title.length * 12 > W - 20 ? 1 : 2;
  text(chart.title, (W - textWidth(chart.title, title)) / 2, 12, title);
  for (const t of ticks(b.y0, b.y1)) {
    line(M.left - 5, py(t), W - M.right, py(t), grid);
    const label = tickLabel(t);
    text(label, M.left - 8 - textWidth(label), py(t) - (GLYPH_H >> 1));
  }
  for (const t of ticks(b.x0, b.x1)) {
    line(px(t), H - M.bottom, px(t), H - M.bottom + 5, axis);
    const label = tickLabel(t, chart.logX);
    text(label, px(t) - textWidth(label) / 2, H - M.bottom + 10);
  }
  line(M.left, H - M.bottom, W - M.right, H - M.bottom, axis);
  line(M.left, M.top, M.left, H - M.bottom, axis);
  text(chart.xLabel, (W - textWidth(chart.xLabel)) / 2, H - 18);
  text(chart.yLabel, 8, (H + textWidth(chart.yLabel)) / 2, 1, true);
  chart.series.forEach((s, k) => {
    const c = rgb(PALETTE[k % PALETTE.length]!);
    let prev: [number, number] | null = null;
    s.y.forEach((v, i) => {
      const x = tx(chart, s.x ? s.x[i]! : i);
      const y = clampY(chart, v);
      if (!Number.isFinite(x) || !Number.isFinite(y)) {
        prev = null;
        return;
      }
      const p: [number, number] = [px(x), py(y)];
      if (prev) line(prev[0], prev[1], p[0], p[1], c, 2);
      else set(Math.round(p[0]), Math.round(p[1]), c);
      prev = p;
    });
  });
  // legend: a white box in the top-right corner of the plot area, one swatch and label per series
  const labelW = Math.max(0, ...chart.series.map((s) => textWidth(s.label)));
  const boxW = 16 + 6 + labelW + 12;
  const boxH = chart.series.length * 12 + 8;
  const bx = W - M.right - 6 - boxW;
  const by = M.top + 6;
  for (let y = by; y < by + boxH; y++) for (let x = bx; x < bx + boxW; x++) set(x, y, [255, 255, 255]);
  line(bx, by, bx + boxW - 1, by, grid);
  line(bx, by + boxH - 1, bx + boxW - 1, by + boxH - 1, grid);
  line(bx, by, bx, by + boxH - 1, grid);
  line(bx + boxW - 1, by, bx + boxW - 1, by + boxH - 1, grid);
  chart.series.forEach((s, k) => {
    const c = rgb(PALETTE[k % PALETTE.length]!);
    const y = by + 5 + k * 12;
    for (let dy = 2; dy < 5; dy++) for (let dx = 0; dx < 16; dx++) set(bx + 6 + dx, y + dy, c);
    text(s.label, bx + 6 + 16 + 6, y);
  });
  return PNG.sync.write(png);
}
