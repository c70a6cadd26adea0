import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    environment: 'node',
    setupFiles: ['test/helpers/setup.ts'],
    restoreMocks: true,
    unstubGlobals: true,
    // Two lines of files side by side, one file at a time in each: the tests in Chromium
    // (their timings are the product's, and a second browser beside them would skew them),
    // and everything else.
    projects: [
      {
        extends: true,
        test: { name: 'chromium', include: ['test/browser/**/*.test.ts'], fileParallelism: false },
      },
      {
        extends: true,
        test: {
          name: 'node',
          include: ['test/**/*.test.ts'],
          exclude: ['test/browser/**'],
          fileParallelism: false,
        },
      },
    ],
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      reporter: ['text-summary', 'text'],
      thresholds: { lines: 90 },
    },
  },
})
