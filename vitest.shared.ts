import { defineConfig } from 'vitest/config';

/**
 * Shared vitest settings: tests import workspace packages through the
 * `@opt/source` export condition, so they run on `src/` without a build, and
 * every run writes `test-results.json` for the CI summary line.
 */
export const sharedTestConfig = defineConfig({
  resolve: { conditions: ['@opt/source'] },
  ssr: { resolve: { conditions: ['@opt/source'] } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results.json' },
    testTimeout: 60_000,
  },
});
