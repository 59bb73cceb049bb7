// Fused optimizer updates for @opt/tensor's WASM SIMD backend (module of its own, see update-kernels.ts).
//   Each kernel runs over `n` consecutive floats of operands staged in this module's memory (byte
//   offsets), four lanes at a time. The caller rounds `n` up to a multiple of 4 inside its staging
//   area, so there is no scalar tail: every element goes through the same f32 operations, in
//   PyTorch's order, whatever its position. Hyperparameters arrive as f32 (ATen's CPU kernels for
//   float tensors also cast their Python-float scalars to float).

// flags of sgd()
const SGD_MAXIMIZE = 1;
const SGD_WEIGHT_DECAY = 2;
const SGD_MOMENTUM = 4;
const SGD_FIRST = 8;
const SGD_NESTEROV = 16;

/**
 * SGD: d ← ±g (+ λx); with momentum b ← d on the first step, else b ← μb + (1 − τ)d, and d ← d + μb
 * (Nesterov) or b; then x ← x + (−γ)d.
 */
export function sgd(
  x: usize, g: usize, b: usize, n: i32,
  negLr: f32, momentum: f32, oneMinusDampening: f32, weightDecay: f32, flags: i32,
): void {
  const vNegLr = f32x4.splat(negLr);
  const vMom = f32x4.splat(momentum);
  const vDamp = f32x4.splat(oneMinusDampening);
  const vWd = f32x4.splat(weightDecay);
  const end = <usize>n << 2;
  const maximize = (flags & SGD_MAXIMIZE) != 0;
  const decay = (flags & SGD_WEIGHT_DECAY) != 0;
  const momentumOn = (flags & SGD_MOMENTUM) != 0;
  const first = (flags & SGD_FIRST) != 0;
  const nesterov = (flags & SGD_NESTEROV) != 0;
  for (let o: usize = 0; o < end; o += 16) {
    const xi = v128.load(x + o);
    let d = v128.load(g + o);
    if (maximize) d = f32x4.neg(d);
    if (decay) d = f32x4.add(d, f32x4.mul(vWd, xi));
    if (momentumOn) {
      let bi = d;
      if (!first) bi = f32x4.add(f32x4.mul(v128.load(b + o), vMom), f32x4.mul(vDamp, d));
      v128.store(b + o, bi);
      d = nesterov ? f32x4.add(d, f32x4.mul(vMom, bi)) : bi;
    }
    v128.store(x + o, f32x4.add(xi, f32x4.mul(vNegLr, d)));
  }
}

// flags of adam()
const ADAM_MAXIMIZE = 1;
const ADAM_L2 = 2;
const ADAM_DECOUPLED = 4;
const ADAM_AMSGRAD = 8;
const ADAM_LERP_FROM_END = 16; // ATen's lerp for a weight ≥ 0.5: end − (end − self)(1 − w)

/**
 * Adam / AdamW: g ← ±g (+ λx for L2); x ← x(1 − γλ) when decoupled; m ← m + (1 − β₁)(g − m)
 * (g − (g − m)β₁ when β₁ ≤ 0.5);
 * v ← vβ₂ + ((1 − β₂)g)g; AMSGrad v̂ ← max(v̂, v); x ← x + (−γ/(1 − β₁ᵗ))·(m / (√v / √(1 − β₂ᵗ) + ε)).
 */
export function adam(
  x: usize, g: usize, m: usize, v: usize, vmax: usize, n: i32,
  oneMinusBeta1: f32, beta1: f32, beta2: f32, oneMinusBeta2: f32, weightDecay: f32, decayFactor: f32,
  negStepSize: f32, bc2Sqrt: f32, eps: f32, flags: i32,
): void {
  const vC1 = f32x4.splat(oneMinusBeta1);
  const vB1 = f32x4.splat(beta1);
  const vB2 = f32x4.splat(beta2);
  const vC2 = f32x4.splat(oneMinusBeta2);
  const vWd = f32x4.splat(weightDecay);
  const vDecay = f32x4.splat(decayFactor);
  const vStep = f32x4.splat(negStepSize);
  const vBc2 = f32x4.splat(bc2Sqrt);
  const vEps = f32x4.splat(eps);
  const end = <usize>n << 2;
  const maximize = (flags & ADAM_MAXIMIZE) != 0;
  const l2 = (flags & ADAM_L2) != 0;
  const decoupled = (flags & ADAM_DECOUPLED) != 0;
  const amsgrad = (flags & ADAM_AMSGRAD) != 0;
  const fromEnd = (flags & ADAM_LERP_FROM_END) != 0;
  for (let o: usize = 0; o < end; o += 16) {
    let xi = v128.load(x + o);
    let gi = v128.load(g + o);
    if (maximize) gi = f32x4.neg(gi);
    if (l2) gi = f32x4.add(gi, f32x4.mul(vWd, xi));
    if (decoupled) xi = f32x4.mul(xi, vDecay);
    let mi = v128.load(m + o);
    const diff = f32x4.sub(gi, mi);
    mi = fromEnd ? f32x4.sub(gi, f32x4.mul(diff, vB1)) : f32x4.add(mi, f32x4.mul(vC1, diff));
    let vi = f32x4.add(f32x4.mul(v128.load(v + o), vB2), f32x4.mul(f32x4.mul(vC2, gi), gi));
    v128.store(m + o, mi);
    v128.store(v + o, vi);
    if (amsgrad) {
      vi = f32x4.max(v128.load(vmax + o), vi);
      v128.store(vmax + o, vi);
    }
    const denom = f32x4.add(f32x4.div(f32x4.sqrt(vi), vBc2), vEps);
    v128.store(x + o, f32x4.add(xi, f32x4.mul(vStep, f32x4.div(mi, denom))));
  }
}
