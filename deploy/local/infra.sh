#!/usr/bin/env bash
# Provisions and runs a real Apache Kafka broker (KRaft, single node, jars
# from Maven Central) and a real MongoDB-wire store (FerretDB, built from its
# Go module by ferretdb-runner/) on 127.0.0.1, without Docker.
#
#   deploy/local/infra.sh start [kafka|store|all]   fetch/build once, start, wait until ready
#   deploy/local/infra.sh stop  [kafka|store|all]   stop cleanly (SIGTERM, then SIGKILL after 30 s)
#   deploy/local/infra.sh reset [kafka|store|all]   stop and delete the data (keeps downloads and builds)
#   deploy/local/infra.sh status                    what runs, where
#   deploy/local/infra.sh env                       KAFKA_BROKERS=... and MONGODB_URI=... lines
#
# Settings (environment): PROV_INFRA_HOME (default <repo>/.cache/infra),
# PROV_KAFKA_PORT (9092), PROV_KAFKA_CONTROLLER_PORT (9093), PROV_KAFKA_HEAP (1g),
# PROV_STORE_PORT (27017), PROV_STORE_BACKEND (sqlite|postgresql),
# PROV_STORE_POSTGRESQL_URL, PROV_INFRA_TIMEOUT_S (90).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
INFRA_HOME="${PROV_INFRA_HOME:-$ROOT/.cache/infra}"
KAFKA_PORT="${PROV_KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${PROV_KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_HEAP="${PROV_KAFKA_HEAP:-1g}"
STORE_PORT="${PROV_STORE_PORT:-27017}"
STORE_BACKEND="${PROV_STORE_BACKEND:-sqlite}"
STORE_POSTGRESQL_URL="${PROV_STORE_POSTGRESQL_URL:-}"
TIMEOUT_S="${PROV_INFRA_TIMEOUT_S:-90}"

KAFKA_VERSION="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$HERE/kafka/pom.xml")"
KAFKA_LIBS="$INFRA_HOME/kafka-$KAFKA_VERSION/libs"
KAFKA_RUN="$INFRA_HOME/run/kafka"
STORE_RUN="$INFRA_HOME/run/store"

log() { printf '[infra] %s\n' "$*" >&2; }
die() {
  printf '[infra] ERROR: %s\n' "$*" >&2
  exit 1
}
need() { command -v "$1" >/dev/null 2>&1 || die "$1 is required ($2) but was not found on PATH"; }

kafka_brokers() { echo "127.0.0.1:$KAFKA_PORT"; }
mongodb_uri() { echo "mongodb://127.0.0.1:$STORE_PORT/?directConnection=true"; }

# pid of a running component, or nothing
running_pid() {
  local pidfile="$1/pid"
  [[ -f "$pidfile" ]] || return 0
  local pid
  pid="$(cat "$pidfile")"
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then echo "$pid"; fi
}

wait_ready() { # component run-dir what
  local component="$1" run="$2" target="$3"
  if ! node "$HERE/wait-ready.js" "$component" "$target" "$TIMEOUT_S" "$(cat "$run/pid")"; then
    log "last lines of $run/$component.log:"
    tail -n 40 "$run/$component.log" >&2 || true
    die "$component did not become ready at $target within ${TIMEOUT_S}s (log: $run/$component.log)"
  fi
}

# --- Kafka -------------------------------------------------------------------

fetch_kafka() {
  [[ -f "$KAFKA_LIBS/.complete" ]] && return 0
  need mvn "to fetch Apache Kafka $KAFKA_VERSION from Maven Central"
  log "fetching Apache Kafka $KAFKA_VERSION jars from Maven Central"
  local tmp="$KAFKA_LIBS.partial"
  rm -rf "$tmp" && mkdir -p "$tmp"
  mvn -B -q -f "$HERE/kafka/pom.xml" \
    org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy-dependencies \
    -DoutputDirectory="$tmp" -DincludeScope=runtime >"$INFRA_HOME/kafka-fetch.log" 2>&1 ||
    { tail -n 30 "$INFRA_HOME/kafka-fetch.log" >&2; die "Maven could not fetch Kafka (log: $INFRA_HOME/kafka-fetch.log)"; }
  rm -rf "$KAFKA_LIBS" && mv "$tmp" "$KAFKA_LIBS" && touch "$KAFKA_LIBS/.complete"
}

kafka_java() { # main-class args...
  java -Xmx256m -Djava.awt.headless=true -Dlog4j.configuration="file:$KAFKA_RUN/log4j.properties" \
    -Dkafka.logs.dir="$KAFKA_RUN" -cp "$KAFKA_LIBS/*" "$@"
}

write_kafka_config() {
  mkdir -p "$KAFKA_RUN/data"
  cat >"$KAFKA_RUN/server.properties" <<EOF
# Single-node KRaft broker and controller on loopback, for local runs and tests.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$KAFKA_RUN/data
num.partitions=1
auto.create.topics.enable=true
# One node: internal topics must not ask for more replicas than exist, or consumer groups never start.
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
group.initial.rebalance.delay.ms=0
# Provenance topics keep their history forever; a prediction batch may exceed the 1 MB default.
log.retention.ms=-1
log.retention.bytes=-1
message.max.bytes=33554432
replica.fetch.max.bytes=33554432
num.network.threads=2
num.io.threads=4
EOF
  cat >"$KAFKA_RUN/log4j.properties" <<'EOF'
log4j.rootLogger=WARN, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.server.KafkaRaftServer=INFO
EOF
}

start_kafka() {
  need java "to run the Kafka broker"
  need node "to check that the servers are ready"
  fetch_kafka
  mkdir -p "$KAFKA_RUN"
  local pid
  pid="$(running_pid "$KAFKA_RUN")"
  if [[ -n "$pid" ]]; then
    wait_ready kafka "$KAFKA_RUN" "$(kafka_brokers)"
    log "Kafka $KAFKA_VERSION already running (pid $pid) at $(kafka_brokers)"
    return 0
  fi
  write_kafka_config
  if [[ ! -f "$KAFKA_RUN/data/meta.properties" ]]; then
    local cluster_id
    cluster_id="$(kafka_java kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1)"
    kafka_java kafka.tools.StorageTool format -t "$cluster_id" -c "$KAFKA_RUN/server.properties" \
      >"$KAFKA_RUN/format.log" 2>&1 || { cat "$KAFKA_RUN/format.log" >&2; die "could not format the KRaft storage"; }
  fi
  log "starting Kafka $KAFKA_VERSION at $(kafka_brokers)"
  # setsid: the broker outlives the shell that started it (a test run, a terminal);
  # 9>&-: it must not inherit the lock of with_lock, or the next start waits forever.
  setsid java -Xms512m -Xmx"$KAFKA_HEAP" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExitOnOutOfMemoryError \
    -Djava.awt.headless=true -Dlog4j.configuration="file:$KAFKA_RUN/log4j.properties" \
    -Dkafka.logs.dir="$KAFKA_RUN" -cp "$KAFKA_LIBS/*" kafka.Kafka "$KAFKA_RUN/server.properties" \
    >"$KAFKA_RUN/kafka.log" 2>&1 </dev/null 9>&- &
  echo $! >"$KAFKA_RUN/pid"
  wait_ready kafka "$KAFKA_RUN" "$(kafka_brokers)"
  log "Kafka ready at $(kafka_brokers)"
}

# --- FerretDB ----------------------------------------------------------------

ferretdb_binary() {
  local source_hash
  source_hash="$(cat "$HERE/ferretdb-runner/go.mod" "$HERE/ferretdb-runner/go.sum" "$HERE/ferretdb-runner/main.go" | sha256sum | cut -c1-16)"
  echo "$INFRA_HOME/bin/ferretdb-runner-$source_hash"
}

build_ferretdb() {
  local binary="$1"
  [[ -x "$binary" ]] && return 0
  need go "to build FerretDB from its Go module"
  log "building ferretdb-runner (FerretDB from its Go module)"
  mkdir -p "$INFRA_HOME/bin"
  (cd "$HERE/ferretdb-runner" && GOTOOLCHAIN=local CGO_ENABLED=0 go build -trimpath -o "$binary.partial" .) \
    >"$INFRA_HOME/ferretdb-build.log" 2>&1 ||
    { tail -n 30 "$INFRA_HOME/ferretdb-build.log" >&2; die "could not build ferretdb-runner (log: $INFRA_HOME/ferretdb-build.log)"; }
  mv "$binary.partial" "$binary"
}

start_store() {
  need node "to check that the servers are ready"
  local binary
  binary="$(ferretdb_binary)"
  build_ferretdb "$binary"
  mkdir -p "$STORE_RUN/data"
  local pid
  pid="$(running_pid "$STORE_RUN")"
  if [[ -n "$pid" ]]; then
    wait_ready store "$STORE_RUN" "$(mongodb_uri)"
    log "FerretDB already running (pid $pid) at $(mongodb_uri)"
    return 0
  fi
  local backend_args=(-handler "$STORE_BACKEND")
  case "$STORE_BACKEND" in
    sqlite) backend_args+=(-sqlite-url "file:$STORE_RUN/data/") ;;
    postgresql)
      [[ -n "$STORE_POSTGRESQL_URL" ]] || die "PROV_STORE_BACKEND=postgresql needs PROV_STORE_POSTGRESQL_URL"
      backend_args+=(-postgresql-url "$STORE_POSTGRESQL_URL")
      ;;
    *) die "PROV_STORE_BACKEND must be sqlite or postgresql, not $STORE_BACKEND" ;;
  esac
  log "starting FerretDB ($STORE_BACKEND) at $(mongodb_uri)"
  setsid "$binary" -listen-addr "127.0.0.1:$STORE_PORT" "${backend_args[@]}" -log-level warn \
    >"$STORE_RUN/store.log" 2>&1 </dev/null 9>&- &
  echo $! >"$STORE_RUN/pid"
  wait_ready store "$STORE_RUN" "$(mongodb_uri)"
  log "FerretDB ready at $(mongodb_uri)"
}

# --- stop, reset, status -------------------------------------------------------

stop_component() { # name run-dir
  local name="$1" run="$2" pid
  pid="$(running_pid "$run")"
  if [[ -z "$pid" ]]; then
    rm -f "$run/pid"
    return 0
  fi
  log "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 300); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "$name did not stop within 30 s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$run/pid"
}

status() {
  local pid
  pid="$(running_pid "$KAFKA_RUN")"
  if [[ -n "$pid" ]]; then echo "kafka: running (pid $pid) at $(kafka_brokers), Kafka $KAFKA_VERSION"; else echo "kafka: stopped"; fi
  pid="$(running_pid "$STORE_RUN")"
  if [[ -n "$pid" ]]; then echo "store: running (pid $pid) at $(mongodb_uri), FerretDB ($STORE_BACKEND)"; else echo "store: stopped"; fi
}

with_lock() {
  mkdir -p "$INFRA_HOME"
  # One start or stop at a time: parallel test runs may all ask for the servers.
  exec 9>"$INFRA_HOME/infra.lock"
  flock 9
  "$@"
}

command="${1:-}"
what="${2:-all}"
case "$what" in kafka | store | all) ;; *) die "unknown component '$what' (kafka, store or all)" ;; esac

run_for() { # action
  local action="$1"
  if [[ "$what" == kafka || "$what" == all ]]; then "${action}_kafka"; fi
  if [[ "$what" == store || "$what" == all ]]; then "${action}_store"; fi
}
stop_kafka() { stop_component kafka "$KAFKA_RUN"; }
stop_store() { stop_component store "$STORE_RUN"; }
reset_kafka() {
  stop_kafka
  rm -rf "$KAFKA_RUN/data"
}
reset_store() {
  stop_store
  rm -rf "$STORE_RUN/data"
}

case "$command" in
  start) with_lock run_for start ;;
  stop) with_lock run_for stop ;;
  reset) with_lock run_for reset ;;
  status) status ;;
  env)
    echo "KAFKA_BROKERS=$(kafka_brokers)"
    echo "MONGODB_URI=$(mongodb_uri)"
    ;;
  *)
    sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'
    [[ -z "$command" || "$command" == help || "$command" == --help ]] || exit 2
    ;;
esac
