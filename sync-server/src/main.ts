import { loadConfig, type Config } from './config';
import { createLogger } from './log';
import { startServer } from './server';

/** A bad setting or a failed start is one line naming it, not a stack trace. */
function fail(err: unknown): never {
  console.error(`bazaar sync server: ${(err as Error).message}`);
  process.exit(1);
}

let config: Config;
try {
  config = loadConfig();
} catch (err) {
  fail(err);
}
const log = createLogger(config.LOG_LEVEL);
const server = await startServer(config, log).catch(fail);
log.info('bazaar sync server listening', {
  url: server.url,
  mode: config.embedded ? 'embedded (PGlite, in-process events, in-memory cache)' : 'services',
  data: config.embedded ? config.DATA_DIR : undefined,
});
if (config.embedded) {
  console.log(`\n  Bazaar Inventory is running at http://${config.HOST ?? 'localhost'}:${server.port}\n  Demo users: shopkeeper, owner, manager, admin — password: bazaar-demo\n`);
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log.info('stopping', { signal });
    server.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
