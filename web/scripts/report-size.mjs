// Prints the gzipped size of the built JavaScript and fails the build above the budget:
// the sell screen has to load fast on a cheap phone over a weak connection.
import { readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const BUDGET_KB = 250;
const dir = new URL('../dist/assets/', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.js'));
let total = 0;
for (const file of files) {
  const gz = gzipSync(readFileSync(new URL(file, dir)), { level: 9 }).length;
  total += gz;
  console.log(`  ${file.padEnd(40)} ${(gz / 1024).toFixed(1).padStart(7)} KB gzipped`);
}
console.log(`JS total: ${(total / 1024).toFixed(1)} KB gzipped (budget ${BUDGET_KB} KB)`);
if (total > BUDGET_KB * 1024) {
  console.error(`over budget by ${((total - BUDGET_KB * 1024) / 1024).toFixed(1)} KB`);
  process.exit(1);
}
