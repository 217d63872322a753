#!/usr/bin/env bash
# npm start: the whole system on this machine. With no DATABASE_URL, REDIS_URL or
# KAFKA_BROKERS it runs embedded: PGlite under DATA_DIR, events in process,
# cache in memory, demo data loaded.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci --no-audit --no-fund
exec npm run --silent start -w sync-server
