import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

// A Unix socket path may hold about 107 bytes; a deep DATA_DIR falls back to a private temp folder.
const MAX_SOCKET_PATH = 100;
const SOCKET_FILE = '.s.PGSQL.5432';

/**
 * PGlite served over the PostgreSQL wire protocol, so the same `pg` code runs
 * against it. PGlite takes any connection without a password, so it listens
 * on no network port at all: a Unix socket in a folder only this OS user may
 * enter (0700) is the door, and only this process is meant to use it.
 * PGlite is ONE session shared by every socket: the pool in front of it must
 * have exactly one connection, or concurrent queries get each other's rows
 * (see STACK-NOTES).
 */
export async function startEmbeddedPostgres(dataDir: string): Promise<EmbeddedPostgres> {
  const dir = path.resolve(dataDir, 'pglite');
  await mkdir(dir, { recursive: true });
  let socketDir = path.resolve(dataDir, 'pglite-socket');
  let temporary = false;
  if (path.join(socketDir, SOCKET_FILE).length > MAX_SOCKET_PATH) {
    socketDir = await mkdtemp(path.join(tmpdir(), 'bazaar-pg-'));
    temporary = true;
  }
  await mkdir(socketDir, { recursive: true });
  await chmod(socketDir, 0o700);
  const socketPath = path.join(socketDir, SOCKET_FILE);
  // A socket file left by a process that was killed would refuse the bind.
  await rm(socketPath, { force: true });

  const db = await PGlite.create({ dataDir: dir });
  const server = new PGLiteSocketServer({ db, path: socketPath, maxConnections: 4 });
  await server.start();
  return {
    url: `postgres://postgres@localhost/postgres?host=${encodeURIComponent(socketDir)}&sslmode=disable`,
    async stop() {
      await server.stop();
      await db.close();
      if (temporary) await rm(socketDir, { recursive: true, force: true });
    },
  };
}
