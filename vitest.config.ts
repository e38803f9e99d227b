import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // DynamoDB Local and the local runtime are real processes; keep parallelism within a 2-core machine.
    maxWorkers: 2,
  },
});
