import { loadConfig } from '../config';
import { createDatabase } from './database';
import { startEmbeddedPostgres } from './embedded';
import { migrate } from './migrate';

// `npm run migrate`: the server also migrates at start; this is for deploy jobs.
const config = loadConfig();
const embedded = config.DATABASE_URL ? null : await startEmbeddedPostgres(config.DATA_DIR);
const db = createDatabase({ url: config.DATABASE_URL ?? embedded!.url, poolSize: 1 });
try {
  const applied = await migrate(db.pool);
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'nothing to apply');
} finally {
  await db.close();
  await embedded?.stop();
}
