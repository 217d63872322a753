import { loadConfig } from '../config';
import { projectionPool } from '@bazaar/workers';
import { rebuildBooks } from './rebuild-books';

// `npm run books:rebuild`: the books made again from the log. Stop the books consumers first.
const config = loadConfig();
if (!config.DATABASE_URL) throw new Error('DATABASE_URL names the database whose books to rebuild.');
// A projection's session: the rebuild's one long transaction must not hold back devices' pulls.
const pool = projectionPool(config.DATABASE_URL, 1);
const started = Date.now();
const read = await rebuildBooks(pool);
console.log(JSON.stringify({ msg: 'books rebuilt from the log', operations: read, ms: Date.now() - started }));
await pool.end();
