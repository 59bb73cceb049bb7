/**
 * Raised by `Module.loadStateDict` when keys are missing, unexpected or
 * mis-shaped. The message is PyTorch's, word for word.
 *
 * @example
 * ```ts
 * try { net.loadStateDict({}); } catch (e) { if (e instanceof StateDictError) console.log(e.missingKeys); }
 * ```
 */
export class StateDictError extends Error {
  /** Keys the module expects but the state dict lacks. */
  readonly missingKeys: string[];
  /** Keys in the state dict the module does not have. */
  readonly unexpectedKeys: string[];
  /**
   * @param message PyTorch's error text.
   * @param missingKeys keys the module expects but the state dict lacks.
   * @param unexpectedKeys keys in the state dict the module does not have.
   */
  constructor(message: string, missingKeys: string[], unexpectedKeys: string[]) {
    super(message);
    this.name = 'StateDictError';
    this.missingKeys = missingKeys;
    this.unexpectedKeys = unexpectedKeys;
  }
}

/**
 * Raised by a layer or loss given an input of the wrong rank, size or dtype,
 * or by a constructor given an invalid argument. The message names the
 * layer, the argument, the value and what was expected.
 *
 * @example
 * ```ts
 * // Conv2d(3, 6): expected input [N, 3, H, W], got [2, 1, 32, 32]
 * try { new Conv2d(3, 6, 5).forward(x); } catch (e) { if (e instanceof NnInputError) console.log(e.message); }
 * ```
 */
export class NnInputError extends Error {
  /**
   * @param message the full explanation.
   */
  constructor(message: string) {
    super(message);
    this.name = 'NnInputError';
  }
}

/**
 * Raised by `paramGroups` when a parameter matches two rules, or (when asked
 * to) matches none.
 *
 * @example
 * ```ts
 * try { paramGroups(net, rules, { onUnmatched: 'error' }); } catch (e) { if (e instanceof ParamGroupError) console.log(e.message); }
 * ```
 */
export class ParamGroupError extends Error {
  /**
   * @param message the full explanation, naming the parameters and rules.
   */
  constructor(message: string) {
    super(message);
    this.name = 'ParamGroupError';
  }
}

/** Formats a shape as `[2, 3]`. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
