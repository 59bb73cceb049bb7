import type { Chart } from './plot/chart';
import { chartToTerminal } from './plot/terminal';
import { writeChart } from './plot/write';

/** Where a command writes: stdout/stderr in the binary, buffers in tests. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Whether stdout is a terminal (progress bars only then). */
  isTTY: boolean;
}

/** The options every command takes. */
export interface CommonOptions {
  seed: number;
  json: boolean;
  out?: string;
  plot: boolean;
}

/** Prints the result: JSON with `--json`, else the text lines; draws and writes the charts. */
export function report(io: Io, o: CommonOptions, result: unknown, lines: string[], charts: Chart[]): void {
  const files = o.out
    ? charts.map((_, i) => (charts.length === 1 ? o.out! : o.out!.replace(/(\.\w+)$/, `-${i + 1}$1`)))
    : [];
  charts.forEach((c, i) => {
    if (files[i]) writeChart(files[i], c);
  });
  if (o.json) {
    io.out(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  for (const l of lines) io.out(`${l}\n`);
  if (o.plot) for (const c of charts) io.out(`\n${chartToTerminal(c)}\n`);
  if (files.length > 0) io.out(`\nplot${files.length > 1 ? 's' : ''} written to ${files.join(', ')}\n`);
}
