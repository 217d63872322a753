import { defineConfig } from 'vitest/config';

// One runner for every suite. Integration suites talk to the real
// PostgreSQL, Redis and Kafka that `npm test` makes sure are running; each
// test file works in a database of its own, so files may run in parallel.
export default defineConfig({
  test: {
    include: ['{shared,sync-server,workers,infra,web}/**/*.test.ts'],
    exclude: ['**/node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
