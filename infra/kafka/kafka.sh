#!/usr/bin/env bash
# Local single-node Apache Kafka 3.9 broker (KRaft, broker+controller in one JVM), no Docker.
#
#   bash infra/kafka/kafka.sh start     # resolve jars (once), format storage (once), start, wait until ready
#   bash infra/kafka/kafka.sh stop      # SIGTERM, wait up to 30 s, then SIGKILL
#   bash infra/kafka/kafka.sh status    # exit 0 if a broker answers on 127.0.0.1:9092, 1 otherwise
#   bash infra/kafka/kafka.sh reset     # stop + delete the data dir (jars are kept)
#   bash infra/kafka/kafka.sh classpath # print the classpath (for running Kafka's Java tools)
#   bash infra/kafka/kafka.sh run <main-class> [args...]   # run a Kafka Java tool, e.g.
#       run org.apache.kafka.tools.TopicCommand --bootstrap-server 127.0.0.1:9092 --list
#
# Environment:
#   KAFKA_HOME_DIR        cache dir (default: $REPO/.cache/kafka) holding lib/, data/, kafka.log, kafka.pid
#   KAFKA_HEAP_OPTS       broker heap (default: -Xms256m -Xmx512m)
#   KAFKA_START_TIMEOUT   seconds to wait for readiness (default: 90)
#
# Needs only java (17) and mvn; jars come from Maven Central via infra/kafka/pom.xml.
set -euo pipefail

SCRIPT_DIR="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
REPO="$(cd -- "$SCRIPT_DIR/../.." && pwd -P)"

HOME_DIR="${KAFKA_HOME_DIR:-$REPO/.cache/kafka}"
LIB_DIR="$HOME_DIR/lib"
DATA_DIR="$HOME_DIR/data"
PROPS="$HOME_DIR/server.properties"
CLIENT_PROPS="$HOME_DIR/tool-client.properties"
PID_FILE="$HOME_DIR/kafka.pid"
LOG_FILE="$HOME_DIR/kafka.log"
LOCK_FILE="$HOME_DIR/.lock"
POM="$SCRIPT_DIR/pom.xml"
TEMPLATE="$SCRIPT_DIR/server.properties.template"
LOG4J="$SCRIPT_DIR/log4j.properties"

HOST=127.0.0.1
PORT=9092
BOOTSTRAP="$HOST:$PORT"
START_TIMEOUT="${KAFKA_START_TIMEOUT:-90}"
STOP_TIMEOUT=30
HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}"
# Same GC flags as Kafka's kafka-run-class.sh / kafka-server-start.sh.
BROKER_JVM_OPTS=(-server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35
  -XX:+ExplicitGCInvokesConcurrent -XX:MaxInlineLevel=15 -Djava.awt.headless=true)
# CLI tools are short-lived: favour JVM start-up time.
TOOL_JVM_OPTS=(-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.awt.headless=true)

TOPIC_COMMAND=org.apache.kafka.tools.TopicCommand   # kafka.admin.TopicCommand no longer exists in 3.9

log() { printf '[kafka.sh] %s\n' "$*" >&2; }
die() { printf '[kafka.sh] ERROR: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------- prerequisites
# ensure_tools java|mvn ... : install via apt-get only when root, else fail clearly.
ensure_tools() {
  local missing=() t
  for t in "$@"; do
    command -v "$t" >/dev/null 2>&1 && continue
    case "$t" in
      java) missing+=(openjdk-17-jre-headless) ;;
      mvn)  missing+=(maven) ;;
    esac
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "installing missing packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y --no-install-recommends "${missing[@]}" >&2 ||
      { apt-get update >&2 && apt-get install -y --no-install-recommends "${missing[@]}" >&2; } ||
      die "apt-get could not install ${missing[*]}"
  else
    die "missing: $* needs ${missing[*]} (java 17 / maven); not root, so not installing. Run: sudo apt-get install -y openjdk-17-jre-headless maven"
  fi
  for t in "$@"; do command -v "$t" >/dev/null 2>&1 || die "$t still not on PATH after install"; done
}

pom_hash() { sha256sum "$POM" | cut -d' ' -f1; }

# Fill $LIB_DIR from Maven Central unless it already matches the current pom.xml.
ensure_jars() {
  local stamp="$LIB_DIR/.resolved" want
  want="$(pom_hash)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && compgen -G "$LIB_DIR/kafka_2.13-*.jar" >/dev/null; then
    return 0
  fi
  ensure_tools mvn java
  log "resolving Kafka jars from Maven Central into $LIB_DIR (one-time) ..."
  local t0=$SECONDS tmp="$HOME_DIR/lib.tmp"
  rm -rf "$tmp"
  mkdir -p "$HOME_DIR"
  # Output goes to a file: Debian's mvn prints stray ANSI codes even with -B -q.
  if ! mvn -B -q -f "$POM" dependency:copy-dependencies \
      -DoutputDirectory="$tmp" -DincludeScope=runtime >"$HOME_DIR/mvn.log" 2>&1; then
    rm -rf "$tmp"
    tail -n 40 "$HOME_DIR/mvn.log" >&2 || true
    die "mvn dependency:copy-dependencies failed (is Maven Central reachable? see $HOME_DIR/mvn.log)"
  fi
  compgen -G "$tmp/kafka_2.13-*.jar" >/dev/null || die "resolution produced no kafka_2.13 jar"
  rm -rf "$LIB_DIR"
  mv "$tmp" "$LIB_DIR"
  echo "$want" >"$LIB_DIR/.resolved"
  log "resolved $(find "$LIB_DIR" -name '*.jar' | wc -l) jars in $((SECONDS - t0)) s"
}

classpath() { printf '%s/*' "$LIB_DIR"; }

# Run a Kafka Java main class with the cached classpath (quiet logging on stderr).
run_tool() {
  java "${TOOL_JVM_OPTS[@]}" -Dlog4j.configuration="file:$LOG4J" -cp "$(classpath)" "$@"
}

# ---------------------------------------------------------------- helpers
port_open() { timeout 2 bash -c "exec 3<>/dev/tcp/$HOST/$PORT" 2>/dev/null; }

# Broker answers Admin API requests (metadata loaded, listener up).
broker_ready() {
  timeout 30 java "${TOOL_JVM_OPTS[@]}" -Dlog4j.configuration="file:$LOG4J" -cp "$(classpath)" \
    "$TOPIC_COMMAND" --bootstrap-server "$BOOTSTRAP" --command-config "$CLIENT_PROPS" --list \
    >/dev/null 2>&1
}

# Our broker's pid: from the pid file, else by its exact command line (pid file lost).
broker_pid() {
  local pid=""
  if [ -f "$PID_FILE" ]; then
    pid="$(cat "$PID_FILE" 2>/dev/null || true)"
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null &&
       tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "kafka\.Kafka $PROPS"; then
      echo "$pid"; return 0
    fi
    rm -f "$PID_FILE"
  fi
  pid="$(pgrep -f -x ".*java .* kafka\.Kafka $PROPS" 2>/dev/null | head -n1 || true)"
  [ -n "$pid" ] && { echo "$pid"; return 0; }
  return 1
}

write_configs() {
  mkdir -p "$DATA_DIR"
  local esc
  esc="$(printf '%s' "$DATA_DIR" | sed 's/[\\&|]/\\&/g')"
  sed "s|@DATA_DIR@|$esc|g" "$TEMPLATE" >"$PROPS.tmp" && mv "$PROPS.tmp" "$PROPS"
  cat >"$CLIENT_PROPS" <<'EOF'
# Admin-client settings for kafka.sh's readiness probe: fail fast instead of retrying for 60 s.
request.timeout.ms=5000
default.api.timeout.ms=10000
EOF
}

format_storage() {
  if [ -f "$DATA_DIR/meta.properties" ]; then
    return 0
  fi
  local id
  id="$(run_tool kafka.tools.StorageTool random-uuid)"
  log "formatting KRaft storage in $DATA_DIR (cluster id $id)"
  run_tool kafka.tools.StorageTool format -t "$id" -c "$PROPS" >&2 ||
    die "kafka.tools.StorageTool format failed"
}

LOG_OFFSET=0   # size of kafka.log before this start: show only this run's lines on failure
tail_log() {
  [ -f "$LOG_FILE" ] || return 0
  log "last lines of $LOG_FILE (this start):"
  tail -c +"$((LOG_OFFSET + 1))" "$LOG_FILE" | tail -n 40 >&2 || true
}

wait_ready() {
  local pid="$1" deadline=$((SECONDS + START_TIMEOUT))
  while :; do
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$PID_FILE"
      tail_log
      die "broker process $pid exited during start-up"
    fi
    if port_open && broker_ready; then
      return 0
    fi
    if [ $SECONDS -ge $deadline ]; then
      tail_log
      if [ -n "$pid" ]; then
        kill -TERM "$pid" 2>/dev/null || true
        sleep 2
        kill -KILL "$pid" 2>/dev/null || true
        rm -f "$PID_FILE"
      fi
      die "broker not ready on $BOOTSTRAP after ${START_TIMEOUT}s (pid ${pid:-?}, log $LOG_FILE)"
    fi
    sleep 1
  done
}

with_lock() {
  mkdir -p "$HOME_DIR"
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$LOCK_FILE"
    flock -w 180 9 || die "another kafka.sh is busy (lock $LOCK_FILE)"
  fi
}

# ---------------------------------------------------------------- commands
cmd_start() {
  with_lock
  local t0=$SECONDS pid
  if pid="$(broker_pid)"; then
    if port_open && broker_ready; then
      log "broker already running (pid $pid) on $BOOTSTRAP"
      return 0
    fi
    log "broker (pid $pid) is starting; waiting for it ..."
    write_configs
    wait_ready "$pid"
    log "broker ready on $BOOTSTRAP (pid $pid)"
    return 0
  fi
  if port_open; then
    # A broker this script started from another checkout (an earlier clone on
    # the same machine) would make our stop/start do nothing: replace it.
    local other
    other="$(pgrep -f -x ".*java .* kafka\.Kafka .*/\.cache/kafka/server\.properties" 2>/dev/null | head -n1 || true)"
    if [ -z "$other" ]; then
      log "a broker is already answering on $BOOTSTRAP (not started by this script); nothing to do"
      return 0
    fi
    log "stopping a broker started from another checkout (pid $other) to start this one's"
    kill -TERM "$other" 2>/dev/null || true
    local deadline=$((SECONDS + STOP_TIMEOUT))
    while kill -0 "$other" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.5; done
    kill -KILL "$other" 2>/dev/null || true
    for _ in $(seq 1 60); do port_open || break; sleep 0.5; done
  fi

  ensure_tools java
  ensure_jars
  write_configs
  format_storage

  log "starting broker (log: $LOG_FILE)"
  LOG_OFFSET="$(stat -c %s "$LOG_FILE" 2>/dev/null || echo 0)"
  {
    echo "===== $(date -u +%FT%TZ) kafka.sh start ====="
  } >>"$LOG_FILE"
  # setsid: own session, so the broker survives the caller's terminal / process group.
  # shellcheck disable=SC2086
  nohup setsid java $HEAP_OPTS "${BROKER_JVM_OPTS[@]}" \
    -Dlog4j.configuration="file:$LOG4J" \
    -cp "$(classpath)" kafka.Kafka "$PROPS" >>"$LOG_FILE" 2>&1 </dev/null 9>&- &
  pid=$!
  echo "$pid" >"$PID_FILE"

  wait_ready "$pid"
  log "broker ready on $BOOTSTRAP (pid $pid) after $((SECONDS - t0)) s"
}

cmd_stop() {
  with_lock
  local pid
  if ! pid="$(broker_pid)"; then
    if port_open; then
      log "no broker started by this script; something else answers on $BOOTSTRAP (left alone)"
    else
      log "broker not running"
    fi
    rm -f "$PID_FILE"
    return 0
  fi
  log "stopping broker (pid $pid) ..."
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + STOP_TIMEOUT))
  while kill -0 "$pid" 2>/dev/null; do
    if [ $SECONDS -ge $deadline ]; then
      log "still alive after ${STOP_TIMEOUT}s; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 1
      break
    fi
    sleep 0.5
  done
  rm -f "$PID_FILE"
  log "broker stopped"
}

cmd_status() {
  local pid=""
  pid="$(broker_pid || true)"
  if port_open; then
    echo "kafka: running on $BOOTSTRAP${pid:+ (pid $pid)}"
    return 0
  fi
  if [ -n "$pid" ]; then
    echo "kafka: process $pid alive but $BOOTSTRAP not answering (starting?)"
  else
    echo "kafka: not running"
  fi
  return 1
}

cmd_reset() {
  cmd_stop
  log "deleting data dir $DATA_DIR"
  rm -rf "$DATA_DIR"
}

usage() {
  sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

case "${1:-}" in
  start)     cmd_start ;;
  stop)      cmd_stop ;;
  status)    cmd_status ;;
  reset)     cmd_reset ;;
  restart)   cmd_stop; cmd_start ;;
  classpath) ensure_jars; classpath; echo ;;
  run)       shift; [ $# -ge 1 ] || usage; ensure_tools java; ensure_jars; run_tool "$@" ;;
  *)         usage ;;
esac
