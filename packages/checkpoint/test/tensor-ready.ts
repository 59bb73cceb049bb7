import * as tensorLib from '@opt/tensor';

/**
 * Whether `@opt/tensor` already exports `fromTypedArray` (it is written in
 * parallel). Tests that load tensors run only then, and say so loudly otherwise.
 */
export const tensorReady = typeof (tensorLib as Record<string, unknown>)['fromTypedArray'] === 'function';

export function warnIfTensorMissing(what: string): void {
  if (!tensorReady)
    console.warn(`\n*** SKIPPED: ${what} (@opt/tensor does not export fromTypedArray yet) ***\n`);
}
