import { defaultGenerator, fromTypedArray, type Generator, type Tensor } from '@opt/tensor';

function gen(g: Generator | undefined): Generator {
  return g ?? defaultGenerator;
}

/** Fills `t` in place with U(a, b) draws from the generator. */
export function fillUniform(t: Tensor, a: number, b: number, generator?: Generator): void {
  const g = gen(generator);
  const out = new Float64Array(t.numel);
  for (let i = 0; i < out.length; i++) out[i] = a + (b - a) * g.random();
  t.copy_(fromTypedArray(out, [...t.shape], { dtype: 'float64' }).to(t.dtype));
}

/** Fills `t` in place with N(mean, std²) draws from the generator . */
export function fillNormal(t: Tensor, mean: number, std: number, generator?: Generator): void {
  const g = gen(generator);
  const out = new Float64Array(t.numel);
  for (let i = 0; i < out.length; i++) out[i] = mean + std * g.normal();
  t.copy_(fromTypedArray(out, [...t.shape], { dtype: 'float64' }).to(t.dtype));
}
