import { z } from 'zod';
import { rebuildAnalytics } from './analytics/rebuild';
import { projectionPool } from './runtime/pool';

/** `npm run workers:rebuild`: rebuilds the analytics projection from the movements log. Stop the analytics consumers first. */
const { DATABASE_URL } = z.object({ DATABASE_URL: z.string().url() }).parse(process.env);
// A projection's session: the rebuild's one long transaction must not hold back devices' pulls.
const pool = projectionPool(DATABASE_URL, 1);
const started = Date.now();
const read = await rebuildAnalytics(pool);
console.log(JSON.stringify({ msg: 'analytics rebuilt from the movements log', movements: read, ms: Date.now() - started }));
await pool.end();
