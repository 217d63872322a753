import { loadConfig } from './config';
import { createLogger } from './log';
import { startServer } from './server';

const config = loadConfig();
const log = createLogger(config.LOG_LEVEL);
const server = await startServer(config, log);
log.info('bazaar sync server listening', {
  url: server.url,
  mode: config.embedded ? 'embedded (PGlite, in-process events, in-memory cache)' : 'services',
  data: config.embedded ? config.DATA_DIR : undefined,
});
if (config.embedded) {
  console.log(`\n  Bazaar Inventory is running at http://localhost:${server.port}\n  Demo users: shopkeeper, owner, manager, admin — password: bazaar-demo\n`);
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
