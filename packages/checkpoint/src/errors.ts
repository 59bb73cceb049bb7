import * as tensorLib from '@opt/tensor';

/** `@opt/tensor`'s `OptError` (the base of every `@opt` error), or `Error` before it exists. */
const OptErrorBase = ((tensorLib as Record<string, unknown>)['OptError'] ?? Error) as new (
  message: string,
) => Error;

/**
 * Base class of every error this package throws on purpose (an `OptError`,
 * like every `@opt` error). A checkpoint that
 * is truncated, corrupted, foreign or hostile never produces anything else.
 *
 * @example
 * ```ts
 * try {
 *   await load('ckpt.pt');
 * } catch (e) {
 *   if (e instanceof CheckpointError) console.error(e.source, e.message);
 * }
 * ```
 */
export class CheckpointError extends OptErrorBase {
  /** The file (or `<bytes>`) the error is about. */
  readonly source: string;

  constructor(source: string, message: string) {
    super(`${source}: ${message}`);
    this.name = new.target.name;
    this.source = source;
  }
}

/**
 * The bytes are not a valid checkpoint: truncated, not a zip / pickle /
 * safetensors file, inconsistent headers, sizes that exceed the file, or a
 * pickle whose structure is not what `torch.save` writes.
 *
 * @example
 * ```ts
 * expect(() => fromBytes(new Uint8Array([1, 2, 3]))).toThrow(CheckpointFormatError);
 * ```
 */
export class CheckpointFormatError extends CheckpointError {}

/**
 * A stored checksum (a zip entry's CRC-32 or the whole-file CRC-32 this
 * package writes into the zip comment) does not match the data: the file was
 * corrupted after it was written.
 *
 * @example
 * ```ts
 * const bytes = toBytes({ a: 1 });
 * bytes[40] ^= 0xff;
 * expect(() => fromBytes(bytes)).toThrow(CheckpointError);
 * ```
 */
export class ChecksumError extends CheckpointError {}

/**
 * The pickle asks for something outside the allow-list (an unknown global such
 * as `os.system`, or an opcode that `torch.save` never writes). Nothing from
 * the file is ever executed; this is the error instead.
 *
 * @example
 * ```ts
 * // a pickle that references builtins.eval
 * expect(() => fromBytes(evil)).toThrow(UnsafePickleError);
 * ```
 */
export class UnsafePickleError extends CheckpointError {}

/**
 * The file is valid but uses something this package cannot represent: a
 * compressed zip entry, the legacy pre-1.6 `torch.save` format, an int64
 * value outside the int32 range, an unknown tensor dtype.
 *
 * @example
 * ```ts
 * // an int64 tensor holding 2 ** 40
 * expect(() => fromBytes(big)).toThrow(CheckpointUnsupportedError);
 * ```
 */
export class CheckpointUnsupportedError extends CheckpointError {}

/**
 * A value given to `save` / `toBytes` cannot be written: a function, a symbol,
 * `undefined`, a cyclic tuple, a tensor of an unknown dtype, a non-tensor in a
 * safetensors map.
 *
 * @example
 * ```ts
 * expect(() => toBytes({ f: () => 1 })).toThrow(CheckpointSerializeError);
 * ```
 */
export class CheckpointSerializeError extends CheckpointError {}
