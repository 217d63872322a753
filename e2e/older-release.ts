import { execFileSync, execSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

/**
 * The commit before the one that first set `PROTOCOL_VERSION = <protocol + 1>`:
 * the last release of the app that spoke `protocol`. Needs the repository's
 * history (a clone, not an archive).
 */
export function lastReleaseOf(protocol: number): string {
  const introduced = execFileSync('git', ['log', '--format=%H', '-S', `PROTOCOL_VERSION = ${protocol + 1};`, '--', 'shared/src/protocol/version.ts'], { cwd: root, encoding: 'utf8' })
    .trim()
    .split('\n')
    .at(-1);
  if (!introduced) throw new Error(`no commit introduces protocol ${protocol + 1}: is this a full clone?`);
  return `${introduced}^`;
}

/**
 * Builds the PWA as it was at `revision` into web/dist, where the e2e server
 * serves it, as a release that was deployed then: its own web and shared
 * sources from git, today's installed packages (a release is built from its
 * lockfile; the web's dependencies have not changed since protocol 6).
 */
export function buildOlderRelease(revision: string, appVersion: string): void {
  const tree = mkdtempSync(path.join(os.tmpdir(), 'bazaar-release-'));
  try {
    execSync(`git archive ${revision} web shared tsconfig.base.json | tar -x -C ${tree}`, { cwd: root, stdio: 'pipe' });
    // Its packages resolve to today's, except its own shared package.
    const modules = path.join(tree, 'node_modules');
    mkdirSync(path.join(modules, '@bazaar'), { recursive: true });
    for (const entry of readdirSync(path.join(root, 'node_modules'))) {
      if (entry !== '@bazaar') symlinkSync(path.join(root, 'node_modules', entry), path.join(modules, entry));
    }
    symlinkSync(path.join(tree, 'shared'), path.join(modules, '@bazaar', 'shared'));
    execFileSync(process.execPath, [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--outDir', path.join(root, 'web', 'dist'), '--emptyOutDir'], {
      cwd: path.join(tree, 'web'),
      env: { ...process.env, APP_VERSION: appVersion },
      stdio: 'pipe',
    });
  } finally {
    rmSync(tree, { recursive: true, force: true });
  }
}

/** Builds today's PWA into web/dist, as `npm run build -w web` does for the run. */
export function buildCurrentRelease(appVersion: string): void {
  execSync('npm run build -w web', { cwd: root, env: { ...process.env, APP_VERSION: appVersion }, stdio: 'pipe' });
}
