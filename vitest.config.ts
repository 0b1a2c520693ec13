import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration suites start real server processes; keep parallelism modest on 2-core machines.
    maxWorkers: 2,
    minWorkers: 1,
    // The AWS SDK warns on every process that Node 22 will be needed from 2027; once is enough (README).
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
