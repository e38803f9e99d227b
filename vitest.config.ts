import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // DynamoDB Local and the local runtime are real processes, and the SLA tests run case time 200,000×
    // faster: one file at a time, so no test's timing depends on what another file is doing meanwhile.
    fileParallelism: false,
  },
});
