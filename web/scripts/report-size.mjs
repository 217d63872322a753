// Prints the gzipped size of the built JavaScript and fails the build when the
// first load is above the budget: the sell screen has to load fast on a cheap
// phone over a weak connection. The first load is the entry chunk and what it
// imports statically (Vite's build manifest); chunks loaded on demand (the
// dashboards, the chart, the Urdu font's CSS) are listed but not counted there.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const BUDGET_KB = 250;
const dist = new URL('../dist/', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('.vite/manifest.json', dist), 'utf8'));
const size = (file) => gzipSync(readFileSync(new URL(file, dist)), { level: 9 }).length;

const firstLoad = new Set();
const visit = (key) => {
  const chunk = manifest[key];
  if (!chunk || firstLoad.has(chunk.file)) return;
  firstLoad.add(chunk.file);
  for (const imported of chunk.imports ?? []) visit(imported);
};
for (const [key, chunk] of Object.entries(manifest)) if (chunk.isEntry) visit(key);

const js = [...new Set(Object.values(manifest).map((c) => c.file))].filter((f) => f.endsWith('.js')).sort();
let first = 0;
let all = 0;
for (const file of js) {
  const gz = size(file);
  all += gz;
  if (firstLoad.has(file)) first += gz;
  console.log(`  ${file.padEnd(44)} ${(gz / 1024).toFixed(1).padStart(7)} KB gzipped${firstLoad.has(file) ? '  first load' : ''}`);
}
const kb = (n) => (n / 1024).toFixed(1);
console.log(`JS first load: ${kb(first)} KB gzipped (budget ${BUDGET_KB} KB); all JS, with chunks loaded on demand: ${kb(all)} KB`);
if (first > BUDGET_KB * 1024) {
  console.error(`first load over budget by ${kb(first - BUDGET_KB * 1024)} KB`);
  process.exit(1);
}
