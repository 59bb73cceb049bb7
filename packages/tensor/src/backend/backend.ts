import type { ConvGeometry } from '../wasm/wasm-kernels';

/** A float storage the kernels run on. */
export type FloatArray = Float32Array | Float64Array;

/**
 * The kernels behind the heavy ops. Ops resolve shapes, strides and dtypes
 * once, then call one of these on flat typed arrays; a faster backend
 * replaces them without touching the ops or autograd.
 *
 * @example
 * ```ts
 * const mine: Backend = { ...jsBackend, name: 'mine', gemm: myGemm };
 * setBackend(mine);
 * ```
 */
export interface Backend {
  /** Name shown in benchmarks and errors. */
  readonly name: string;
  /**
   * `c[cOff + i·n + j] (+)= Σ_p a[aOff + i·aRow + p·aCol] · b[bOff + p·bRow + j·bCol]`:
   * a strided `m × k` times a strided `k × n` into a dense row-major `m × n` block of `c`.
   */
  gemm(
    m: number,
    n: number,
    k: number,
    a: FloatArray,
    aOff: number,
    aRow: number,
    aCol: number,
    b: FloatArray,
    bOff: number,
    bRow: number,
    bCol: number,
    c: FloatArray,
    cOff: number,
    accumulate: boolean,
  ): void;
  /** Convolution forward over dense NCHW `input` and OIHW `weight` into dense `output`. */
  conv2d(
    g: ConvGeometry,
    input: FloatArray,
    weight: FloatArray,
    bias: FloatArray | null,
    output: FloatArray,
  ): void;
  /** Gradient with respect to the input, written (not accumulated) into `gradInput`. */
  conv2dBackwardInput(
    g: ConvGeometry,
    gradOutput: FloatArray,
    weight: FloatArray,
    gradInput: FloatArray,
  ): void;
  /** Gradient with respect to the weight, written (not accumulated) into `gradWeight`. */
  conv2dBackwardWeight(
    g: ConvGeometry,
    gradOutput: FloatArray,
    input: FloatArray,
    gradWeight: FloatArray,
  ): void;
  /**
   * Max pooling over 2×2 windows with stride 2, every window inside its plane: `planes` dense
   * `h × w` float32 planes from `x[xOff]` give `outH × outW` maxima in `out` and their flat indices
   * in the plane in `idx` (both from 0). The first maximum in row-major order wins, a NaN over any
   * number (PyTorch's rule).
   */
  maxPool2x2(
    x: Float32Array,
    xOff: number,
    out: Float32Array,
    idx: Int32Array,
    planes: number,
    h: number,
    w: number,
    outH: number,
    outW: number,
  ): void;
  /** ReLU of `n` dense float32 values: negatives (−0 too) become +0, positives and NaN stay. */
  relu(x: Float32Array, xOff: number, out: Float32Array, outOff: number, n: number): void;
  /**
   * ReLU's gradient (PyTorch's `threshold_backward`) over `n` dense float32 values: +0 where the
   * output `y` is at most `threshold`, else the gradient `g`; `out` may be `g` at the same offset.
   */
  thresholdBackward(
    g: Float32Array,
    gOff: number,
    y: Float32Array,
    yOff: number,
    out: Float32Array,
    outOff: number,
    n: number,
    threshold: number,
  ): void;
}

export type { ConvGeometry };
