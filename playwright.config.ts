import { defineConfig, devices } from '@playwright/test';

// End-to-end tests of the PWA against the full stack: the sync server on the
// real PostgreSQL, Redis and Kafka (e2e/server.ts), in a database made fresh
// for the run and loaded with the demo data.
const PORT = Number(process.env.E2E_PORT ?? 8181);
export const baseURL = `http://localhost:${PORT}`;
/** The second instance of e2e/server.ts: access tokens that expire after 30 s. */
export const shortTokenURL = `http://localhost:${PORT + 1}`;
/** The third instance: it reads request bodies of at most 4 KiB, so ordinary pushes exceed it. */
export const smallBodyURL = `http://localhost:${PORT + 2}`;

export default defineConfig({
  testDir: 'e2e',
  // One shared server and store: tests run one at a time so stock figures are theirs alone.
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  outputDir: 'test-results/artifacts',
  use: {
    baseURL,
    trace: 'retain-on-failure',
    serviceWorkers: 'allow',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Pixel 7'],
        browserName: 'chromium',
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
          args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
        },
      },
    },
  ],
  webServer: {
    command: 'npm run build:web && npx tsx e2e/server.ts',
    // The small-body instance starts last: once it answers, all do.
    url: `${smallBodyURL}/healthz`,
    reuseExistingServer: false,
    timeout: 180_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: { E2E_PORT: String(PORT) },
  },
});
