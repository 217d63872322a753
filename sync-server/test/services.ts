import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import pg from 'pg';

const run = promisify(execFile);

/**
 * The real services tests use, at the addresses `npm test` makes sure are
 * running. Override with TEST_DATABASE_URL, TEST_REDIS_URL, TEST_KAFKA_BROKERS.
 */
export const services = {
  postgres: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  redis: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
  kafka: process.env.TEST_KAFKA_BROKERS ?? '127.0.0.1:9092',
};

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A fresh, empty database of its own for one test file; the server migrates it. `server` is the cluster's admin URL. */
export async function createTestDatabase(server = services.postgres): Promise<TestDatabase> {
  const name = `bazaar_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: server });
      await client.connect();
      try {
        // pg's pool.end() resolves before its connections have finished closing.
        // Forcing the drop at once would kill them mid-close, and their error
        // would surface in whatever test runs next: give them a moment first.
        for (let attempt = 0; ; attempt++) {
          try {
            await client.query(`DROP DATABASE IF EXISTS ${name}${attempt < 40 ? '' : ' WITH (FORCE)'}`);
            break;
          } catch (err) {
            if ((err as { code?: string }).code !== '55006' || attempt >= 40) throw err;
            await new Promise((r) => setTimeout(r, 50));
          }
        }
      } finally {
        await client.end();
      }
    },
  };
}

/**
 * A PostgreSQL cluster of the tests' own on port 5439, beside the shared one,
 * for the tests that stop PostgreSQL: stopping the shared cluster would fail
 * every other suite running in parallel. Made once with Debian's
 * pg_createcluster (trust on loopback, like the shared one), started here.
 */
export const spareCluster = {
  version: process.env.TEST_PG_VERSION ?? '15',
  name: 'bazaar_spare',
  port: 5439,
  get url() {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  },
  async ensure(): Promise<void> {
    const { stdout } = await run('pg_lsclusters', ['--no-header']);
    if (!stdout.split('\n').some((line) => line.split(/\s+/)[1] === this.name)) {
      await run('pg_createcluster', [this.version, this.name, '-p', String(this.port), '--', '--auth-local=trust', '--auth-host=trust']);
    }
    await this.start();
  },
  async start(): Promise<void> {
    await run('pg_ctlcluster', ['--skip-systemctl-redirect', this.version, this.name, 'start']).catch((err: { stdout?: string; stderr?: string }) => {
      if (!/already running/.test(`${err.stdout}${err.stderr}`)) throw err;
    });
  },
  async stop(): Promise<void> {
    await run('pg_ctlcluster', ['--skip-systemctl-redirect', this.version, this.name, 'stop', '-m', 'fast']);
  },
};

/**
 * A hot standby of the shared cluster on port 5440, streaming from it, made
 * with pg_basebackup: what the Kubernetes manifests point DATABASE_READ_URL
 * at. Reused while it runs; made again when it is missing or will not start.
 * PostgreSQL refuses to run as root, so its commands run as `postgres`.
 */
export const replicaCluster = {
  port: 5440,
  dir: process.env.TEST_REPLICA_DIR ?? '/var/lib/postgresql/bazaar_replica',
  /** The replica's URL for one database of the primary. */
  url(database: string) {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  },
  async ensure(): Promise<void> {
    const asPostgres = (cmd: string, args: string[]) => run('runuser', ['-u', 'postgres', '--', cmd, ...args]);
    const bin = (name: string) => `/usr/lib/postgresql/${spareCluster.version}/bin/${name}`;
    const up = async () => (await run(bin('pg_isready'), ['-h', '127.0.0.1', '-p', String(this.port)]).then(() => true, () => false));
    // A standby left from an earlier run may have fallen too far behind to stream again.
    const streaming = async () => {
      const primary = new pg.Client({ connectionString: services.postgres });
      await primary.connect();
      try {
        for (let i = 0; i < 50; i++) {
          const { rowCount } = await primary.query(`SELECT 1 FROM pg_stat_replication WHERE state = 'streaming'`);
          if (rowCount) return true;
          await new Promise((r) => setTimeout(r, 200));
        }
        return false;
      } finally {
        await primary.end();
      }
    };
    const start = () => asPostgres(bin('pg_ctl'), ['-D', this.dir, '-l', `${this.dir}/server.log`, '-w', '-t', '60', 'start']);
    const stop = () => asPostgres(bin('pg_ctl'), ['-D', this.dir, '-m', 'fast', 'stop']).catch(() => {});
    if ((await up()) && (await streaming())) return;
    if (existsSync(`${this.dir}/standby.signal`) && (await start().then(() => true, () => false)) && (await streaming())) return;
    await stop();
    await run('rm', ['-rf', this.dir]);
    const primary = new URL(services.postgres);
    await asPostgres(bin('pg_basebackup'), ['-h', primary.hostname, '-p', primary.port || '5432', '-U', 'postgres', '-D', this.dir, '-X', 'stream', '-R', '-c', 'fast']);
    // Debian keeps a cluster's configuration outside its data directory: the copy gets its own.
    await asPostgres('sh', [
      '-c',
      `printf "port = ${this.port}\\nlisten_addresses = '127.0.0.1'\\nunix_socket_directories = '/tmp'\\nhot_standby = on\\nmax_connections = 100\\n" > ${this.dir}/postgresql.conf && ` +
        `printf "local all all trust\\nhost all all 127.0.0.1/32 trust\\n" > ${this.dir}/pg_hba.conf`,
    ]);
    await start();
    if (!(await streaming())) throw new Error(`the replica on port ${this.port} does not stream from the primary; see ${this.dir}/server.log`);
  },
};

export const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

/** A Redis of one test's own, which it may kill and start again (on the same port). */
export async function startPrivateRedis(port?: number): Promise<{ url: string; process: ChildProcess }> {
  port ??= await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  for (let i = 0; i < 50; i++) {
    const up = await fetch(`http://127.0.0.1:${port}`).then(
      () => true,
      (e: { cause?: { code?: string } }) => e.cause?.code !== 'ECONNREFUSED',
    );
    if (up) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url: `redis://127.0.0.1:${port}`, process: child };
}
