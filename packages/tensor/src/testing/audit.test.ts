import { describe, expect, it } from 'vitest';
import { unmatchedPatterns } from './audit';

describe('unmatchedPatterns', () => {
  it('returns the patterns no case name matches, in order', () => {
    const entries = [{ name: /^relu / }, { name: /^gone / }, { name: /inf$/ }, { name: /^x/ }];
    expect(unmatchedPatterns(entries, ['relu at -0', 'exp at inf'])).toEqual([/^gone /, /^x/]);
    expect(unmatchedPatterns([], ['a'])).toEqual([]);
  });
});
