import { isFloating, torchDTypeName } from './dtype';
import type { Tensor } from './tensor';

const PRECISION = 4;
const LINEWIDTH = 80;
const THRESHOLD = 1000;
const EDGEITEMS = 3;

/** Python's `'{:.4e}'`: a two-digit exponent at least. */
function sci(v: number): string {
  const s = v.toExponential(PRECISION);
  const i = s.indexOf('e');
  const exp = s.slice(i + 2);
  return `${s.slice(0, i)}e${s[i + 1]}${exp.length < 2 ? `0${exp}` : exp}`;
}

function nonFinite(v: number): string | null {
  if (Number.isNaN(v)) return 'nan';
  if (v === Number.POSITIVE_INFINITY) return 'inf';
  if (v === Number.NEGATIVE_INFINITY) return '-inf';
  return null;
}

/** Chooses one number format for a whole tensor, as PyTorch's `_Formatter` does. */
class Formatter {
  private readonly floating: boolean;
  private readonly bool: boolean;
  private intMode = true;
  private sciMode = false;
  maxWidth = 1;

  constructor(values: readonly number[], floating: boolean, bool: boolean) {
    this.floating = floating;
    this.bool = bool;
    if (!floating) {
      for (const v of values) this.maxWidth = Math.max(this.maxWidth, this.raw(v).length);
      return;
    }
    const finite = values.filter((v) => Number.isFinite(v) && v !== 0);
    if (finite.length === 0) return;
    let lo = Number.POSITIVE_INFINITY;
    let hi = 0;
    for (const v of finite) {
      const a = Math.abs(v);
      lo = Math.min(lo, a);
      hi = Math.max(hi, a);
      if (v !== Math.ceil(v)) this.intMode = false;
    }
    if (this.intMode) {
      if (hi / lo > 1000 || hi > 1e8) {
        this.sciMode = true;
        for (const v of finite) this.maxWidth = Math.max(this.maxWidth, sci(v).length);
      } else {
        for (const v of finite) this.maxWidth = Math.max(this.maxWidth, v.toFixed(0).length + 1);
      }
    } else if (hi / lo > 1000 || hi > 1e8 || lo < 1e-4) {
      this.sciMode = true;
      for (const v of finite) this.maxWidth = Math.max(this.maxWidth, sci(v).length);
    } else {
      for (const v of finite) this.maxWidth = Math.max(this.maxWidth, v.toFixed(PRECISION).length);
    }
  }

  private raw(v: number): string {
    if (this.bool) return v !== 0 ? 'True' : 'False';
    if (!this.floating) return String(v);
    const nf = nonFinite(v);
    if (nf !== null) return nf;
    if (this.sciMode) return sci(v);
    const sign = Object.is(v, -0) ? '-' : '';
    if (this.intMode) return `${sign}${v.toFixed(0)}.`;
    return `${sign}${v.toFixed(PRECISION)}`;
  }

  format(v: number): string {
    return this.raw(v).padStart(this.maxWidth, ' ');
  }
}

/** Nested values with summarisation applied (edge items of each dimension only). */
function summarized(t: Tensor, summarize: boolean): number[] {
  const out: number[] = [];
  const rec = (d: number, p: number): void => {
    if (d === t.ndim) {
      out.push(t.values[p]);
      return;
    }
    const n = t.shape[d];
    if (summarize && n > 2 * EDGEITEMS) {
      for (let i = 0; i < EDGEITEMS; i++) rec(d + 1, p + i * t.strides[d]);
      for (let i = n - EDGEITEMS; i < n; i++) rec(d + 1, p + i * t.strides[d]);
    } else for (let i = 0; i < n; i++) rec(d + 1, p + i * t.strides[d]);
  };
  rec(0, t.offset);
  return out;
}

function body(t: Tensor, d: number, p: number, indent: number, summarize: boolean, f: Formatter): string {
  const ndim = t.ndim;
  if (d === ndim) return f.format(t.values[p]);
  const n = t.shape[d];
  const cut = summarize && n > 2 * EDGEITEMS;
  if (d === ndim - 1) {
    const items: string[] = [];
    for (let i = 0; i < n; i++) {
      if (cut && i === EDGEITEMS) {
        items.push(' ...');
        i = n - EDGEITEMS - 1;
        continue;
      }
      items.push(f.format(t.values[p + i * t.strides[d]]));
    }
    const elementLength = f.maxWidth + 2;
    const perLine = Math.max(1, Math.floor((LINEWIDTH - indent) / elementLength));
    const lines: string[] = [];
    for (let i = 0; i < items.length; i += perLine) lines.push(items.slice(i, i + perLine).join(', '));
    return `[${lines.join(`,\n${' '.repeat(indent + 1)}`)}]`;
  }
  const slices: string[] = [];
  for (let i = 0; i < n; i++) {
    if (cut && i === EDGEITEMS) {
      slices.push('...');
      i = n - EDGEITEMS - 1;
      continue;
    }
    slices.push(body(t, d + 1, p + i * t.strides[d], indent + 1, summarize, f));
  }
  const dimsLeft = ndim - d;
  return `[${slices.join(`,${'\n'.repeat(dimsLeft - 1)}${' '.repeat(indent + 1)}`)}]`;
}

/**
 * PyTorch's `repr` of a tensor (precision 4, line width 80, summarised over 1000 elements with 3 edge
 * items): `tensor([[1., 2.],\n        [3., 4.]])`, a `dtype=` suffix for float64 and int32.
 *
 * @example
 * ```ts
 * formatTensor(tensor([0.5, 2])); // 'tensor([0.5000, 2.0000])'
 * ```
 */
export function formatTensor(t: Tensor): string {
  const prefix = 'tensor(';
  const indent = prefix.length;
  const suffixes: string[] = [];
  let str: string;
  if (t.numel === 0) {
    str = '[]';
    if (t.ndim !== 1) suffixes.push(`size=(${t.shape.join(', ')}${t.ndim === 1 ? ',' : ''})`);
  } else {
    const summarize = t.numel > THRESHOLD;
    const f = new Formatter(summarized(t, summarize), isFloating(t.dtype), t.dtype === 'bool');
    str = body(t, 0, t.offset, indent, summarize, f);
  }
  if (t.dtype === 'float64' || t.dtype === 'int32') suffixes.push(`dtype=${torchDTypeName(t.dtype)}`);
  const full = prefix + str;
  const parts = [full];
  let lastLineLen = full.length - full.lastIndexOf('\n') + 1;
  for (const s of suffixes) {
    if (lastLineLen + s.length + 2 > LINEWIDTH) {
      parts.push(`,\n${' '.repeat(indent)}${s}`);
      lastLineLen = indent + s.length;
    } else {
      parts.push(`, ${s}`);
      lastLineLen += s.length + 2;
    }
  }
  return `${parts.join('')})`;
}
