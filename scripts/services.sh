#!/usr/bin/env bash
# Makes sure the real services the tests need are running on this machine:
# PostgreSQL (127.0.0.1:5432), Redis (127.0.0.1:6379) and one Kafka broker
# (127.0.0.1:9092, started by infra/kafka/kafka.sh), and Chromium for the PWA's
# end-to-end tests. Starts what is stopped; installs PostgreSQL, Redis or
# Chromium from Debian's packages only if they are absent.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[services] %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_updated=
apt_install() {
  if [ -z "$apt_updated" ]; then as_root apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

wait_for() { # what, seconds, command...
  local what=$1 seconds=$2; shift 2
  for _ in $(seq 1 $((seconds * 5))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
  log "$what did not come up within ${seconds}s"; return 1
}

postgres() {
  if pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then return; fi
  if ! command -v pg_ctlcluster >/dev/null; then
    log "installing PostgreSQL"
    apt_install postgresql
    # Tests connect as postgres over loopback without a password, as on CI machines.
    local hba; hba=$(ls /etc/postgresql/*/main/pg_hba.conf | head -n1)
    as_root sed -i -E 's/^(host\s+all\s+all\s+(127\.0\.0\.1\/32|::1\/128)\s+)\S+/\1trust/' "$hba"
  fi
  local version; version=$(ls /etc/postgresql | sort -V | tail -n1)
  log "starting PostgreSQL $version"
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  wait_for PostgreSQL 30 pg_isready -h 127.0.0.1 -p 5432 -q
}

# The pull tests read from a streaming replica made with pg_basebackup
# (sync-server/test/services.ts): replication connections over loopback.
postgres_replication() {
  local hba; hba=$(ls /etc/postgresql/*/main/pg_hba.conf 2>/dev/null | sort -V | tail -n1)
  [ -n "$hba" ] || return 0
  if ! grep -Eq '^host\s+replication\s+all\s+127\.0\.0\.1/32\s+trust' "$hba"; then
    log "allowing replication connections from 127.0.0.1"
    echo 'host replication all 127.0.0.1/32 trust' | as_root tee -a "$hba" >/dev/null
    local version; version=$(ls /etc/postgresql | sort -V | tail -n1)
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main reload
  fi
}

redis() {
  if redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; then return; fi
  command -v redis-server >/dev/null || { log "installing Redis"; apt_install redis-server; }
  log "starting Redis"
  mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  wait_for Redis 15 sh -c 'redis-cli -h 127.0.0.1 -p 6379 ping | grep -q PONG'
}

# The PWA's end-to-end tests drive Debian's Chromium (Playwright cannot download its own here).
chromium_browser() {
  [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] && return
  log "installing Chromium"
  apt_install chromium
}

postgres
postgres_replication
redis
chromium_browser
bash infra/kafka/kafka.sh start
log "PostgreSQL, Redis, Kafka and Chromium are ready"
