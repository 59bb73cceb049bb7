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
}

export type { ConvGeometry };
