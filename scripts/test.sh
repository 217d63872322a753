#!/usr/bin/env bash
# npm test: start the real services the suites need, type-check, run every suite.
set -euo pipefail
cd "$(dirname "$0")/.."

[ -d node_modules ] || npm ci --no-audit --no-fund
bash scripts/services.sh
npm run --silent typecheck

mkdir -p .cache
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=.cache/vitest-report.json "$@" || status=$?

# The PWA end to end, in Debian's Chromium against the real server.
e2e=0
PLAYWRIGHT_JSON_OUTPUT_NAME=.cache/playwright-report.json npx playwright test --reporter=list,json || e2e=$?
[ $e2e -eq 0 ] || status=$e2e

# One plain closing line for CI, counting both runners.
node -e '
  const fs = require("fs");
  const read = (f) => { try { return JSON.parse(fs.readFileSync(f, "utf8")); } catch { return null; } };
  const v = read(".cache/vitest-report.json"), p = read(".cache/playwright-report.json");
  const passed = (v?.numPassedTests ?? 0) + (p?.stats?.expected ?? 0) + (p?.stats?.flaky ?? 0);
  const failed = (v?.numFailedTests ?? 0) + (p?.stats?.unexpected ?? 0) + (v ? 0 : 1) + (p ? 0 : 1);
  const skipped = (v ? v.numPendingTests + v.numTodoTests : 0) + (p?.stats?.skipped ?? 0);
  console.log(`Tests: ${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ""));
' || true
exit $status
