import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    projects: [
      // Limits are guards against hangs, not timing checks: CI runs the e2e devnets beside these on 2 cores, where
      // a unit test that takes 1 s idle took over the 5 s default.
      {
        test: { name: 'packages', include: ['packages/*/src/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000 },
      },
      { test: { name: 'e2e', include: ['test/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000 } },
    ],
  },
})
