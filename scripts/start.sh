#!/usr/bin/env bash
# npm start: the whole system on this machine. With no DATABASE_URL, REDIS_URL or
# KAFKA_BROKERS it runs embedded: PGlite under DATA_DIR, events in process,
# cache in memory, demo data loaded. The shop app is built first when it is
# missing or older than its sources, so the printed address shows it.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci --no-audit --no-fund
built=web/dist/index.html
if [ ! -f "$built" ] || [ -n "$(find web/src web/public web/index.html web/vite.config.ts shared/src -newer "$built" -print -quit 2>/dev/null)" ]; then
  echo "building the shop app (web/dist)…" >&2
  NODE_ENV=production npm run --silent build:web >&2
fi
exec npm run --silent start -w sync-server
