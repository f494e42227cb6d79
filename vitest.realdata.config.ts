// The real-data tests (`npm run test:realdata`): they load ../shared/data and take minutes, so
// they run in CI after the suite, not in `npm test`.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/realdata/**/*.test.{ts,tsx}'],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    globalSetup: ['test/harness/global-setup.ts'],
    reporters: ['default', './test/harness/summary-reporter.ts'],
    fileParallelism: false,
  },
});
