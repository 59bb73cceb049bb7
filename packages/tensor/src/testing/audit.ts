/**
 * The entries of an edge-case audit's exclusion list (cases left as known differences, each named
 * by a pattern) that match none of the audit's case names: a stale entry would hide nothing, or
 * hide a case that was renamed.
 *
 * @example
 * ```ts
 * unmatchedPatterns([{ name: /^relu / }, { name: /^gone / }], ['relu at -0', 'exp at inf']); // [/^gone /]
 * ```
 */
export function unmatchedPatterns(
  entries: readonly { name: RegExp }[],
  caseNames: readonly string[],
): RegExp[] {
  return entries.map((e) => e.name).filter((p) => !caseNames.some((n) => p.test(n)));
}
