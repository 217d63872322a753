/**
 * The sync server under test, in a process of its own so that the load
 * generator does not share its event loop and CPU can be told apart.
 * Started by sync-bench.ts through `fork`; configured by the environment the
 * parent passes; answers `{ type: 'ready', url }` and stops on `'stop'` or
 * when the parent goes away.
 */
import { loadConfig, startServer, type RunningServer } from '../../sync-server/src/index';

let server: RunningServer | null = null;
let stopping = false;

async function stop(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    await server?.stop().catch(() => {});
  }
  process.exit(code);
}

process.on('message', (msg) => {
  if (msg === 'stop') void stop(0);
});
// The parent died or closed the channel: never outlive it.
process.on('disconnect', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
process.on('SIGINT', () => void stop(0));

try {
  server = await startServer(loadConfig(process.env));
  process.send?.({ type: 'ready', url: server.url });
} catch (err) {
  process.send?.({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  await stop(1);
}
