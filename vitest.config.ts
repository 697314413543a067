import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    // The CLI tests spawn the compiled binary; `prepare` builds it on `npm ci`.
    reporters: ['default'],
  },
});
