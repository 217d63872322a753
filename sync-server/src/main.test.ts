import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// The quick start as a newcomer meets it: `npm start`'s script on this checkout.
const root = fileURLToPath(new URL('../..', import.meta.url));
const dataDir = await mkdtemp(path.join(tmpdir(), 'bazaar-start-'));
afterAll(() => rm(dataDir, { recursive: true, force: true }));

/** Runs a command until `until` matches its output or it exits; answers what it printed and its exit code. */
function run(command: string, args: string[], env: Record<string, string>, until?: RegExp) {
  const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let stdout = '';
  let stderr = '';
  const done = new Promise<{ stdout: string; stderr: string; code: number | null; match: RegExpMatchArray | null }>((resolve) => {
    const check = () => {
      const match = until ? stdout.match(until) : null;
      if (match) resolve({ stdout, stderr, code: null, match });
    };
    child.stdout.on('data', (d) => {
      stdout += d;
      check();
    });
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ stdout, stderr, code, match: null }));
  });
  return {
    done,
    stop: () => {
      if (child.exitCode === null) process.kill(-child.pid!, 'SIGTERM');
    },
  };
}

describe('npm start', () => {
  it('builds the shop app when it is missing or stale, and shows the sign-in page at the address it prints', async () => {
    const start = run('bash', ['scripts/start.sh'], { PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, /running at (http:\/\/\S+)/);
    try {
      const { match, stdout, stderr } = await start.done;
      expect(match, stdout + stderr).not.toBeNull();
      const url = match![1]!;
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const page = await fetch(url);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('<title>Bazaar Inventory</title>');
      expect(html).toMatch(/<script type="module"[^>]+src="\/assets\//);
    } finally {
      start.stop();
    }
  }, 240_000);

  it('a bad setting stops the server with one line naming it', async () => {
    const bad = run('npx', ['tsx', 'sync-server/src/main.ts'], { PORT: 'eighty', DATA_DIR: dataDir });
    const { code, stderr } = await bad.done;
    expect(code).toBe(1);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^bazaar sync server: invalid configuration: PORT: /);
  }, 60_000);
});
