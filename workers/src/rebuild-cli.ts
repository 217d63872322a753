import pg from 'pg';
import { z } from 'zod';
import { rebuildAnalytics } from './analytics/rebuild';

/** `npm run workers:rebuild`: rebuilds the analytics projection from the movements log. Stop the analytics consumers first. */
const { DATABASE_URL } = z.object({ DATABASE_URL: z.string().url() }).parse(process.env);
const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
const started = Date.now();
const read = await rebuildAnalytics(pool);
console.log(JSON.stringify({ msg: 'analytics rebuilt from the movements log', movements: read, ms: Date.now() - started }));
await pool.end();
