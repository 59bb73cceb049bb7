import { PNG } from 'pngjs';
import { bounds, type Chart, clampY, PALETTE, ticks, tx } from './chart';

const W = 760;
const H = 440;
const M = { left: 60, right: 20, top: 20, bottom: 40 };

function rgb(hex: string): [number, number, number] {
  return [
    Number.parseInt(hex.slice(1, 3), 16),
    Number.parseInt(hex.slice(3, 5), 16),
    Number.parseInt(hex.slice(5, 7), 16),
  ];
}

/**
 * The chart rasterised to PNG bytes (pure JS via pngjs, no native code): axes,
 * tick marks, grid lines, one 2-px line per series and colour swatches for
 * the legend (PNG output carries no text; the SVG output has the labels).
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
  for (const t of ticks(b.y0, b.y1)) line(M.left, py(t), W - M.right, py(t), grid);
  for (const t of ticks(b.x0, b.x1)) line(px(t), H - M.bottom, px(t), H - M.bottom + 5, axis);
  line(M.left, H - M.bottom, W - M.right, H - M.bottom, axis);
  line(M.left, M.top, M.left, H - M.bottom, axis);
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
    for (let dy = 0; dy < 8; dy++)
      for (let dx = 0; dx < 16; dx++) set(W - M.right - 20 + dx, M.top + 4 + k * 12 + dy, c);
  });
  return PNG.sync.write(png);
}
