import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { defineConfig, devices } from '@playwright/test';

// End-to-end tests of the PWA against the real sync server, embedded (PGlite)
// in a throwaway data directory so every run starts from the demo seed.
// The config is loaded again in each worker: the directory is fixed once, in the runner.
if (!process.env.E2E_DATA_DIR) {
  const cache = path.resolve('.cache');
  mkdirSync(cache, { recursive: true });
  // Earlier runs' databases are of no further use.
  for (const dir of readdirSync(cache, { withFileTypes: true }).filter((d) => d.isDirectory() && d.name.startsWith('e2e-'))) {
    rmSync(path.join(cache, dir.name), { recursive: true, force: true });
  }
  process.env.E2E_DATA_DIR = path.join(cache, `e2e-${Date.now()}`);
}
const PORT = Number(process.env.E2E_PORT ?? 8181);
export const baseURL = `http://localhost:${PORT}`;

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
    command: 'npm run build:web && npm start',
    url: `${baseURL}/healthz`,
    reuseExistingServer: false,
    timeout: 180_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: { PORT: String(PORT), DATA_DIR: process.env.E2E_DATA_DIR, LOG_LEVEL: 'warn' },
  },
});
