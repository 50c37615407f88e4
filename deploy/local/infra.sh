#!/usr/bin/env bash
# Provisions and runs a real Apache Kafka broker (KRaft, single node, jars
# from Maven Central), or a 3-broker Kafka cluster, and a real MongoDB-wire
# store (FerretDB, built from its Go module by ferretdb-runner/) on 127.0.0.1,
# without Docker.
#
#   deploy/local/infra.sh start  [kafka|store|all]  fetch/build once, start, wait until ready
#   deploy/local/infra.sh stop   [kafka|store|all]  stop cleanly (SIGTERM; SIGKILL after 30 s)
#   deploy/local/infra.sh stop --clean [...]        stop and delete the data (same as reset)
#   deploy/local/infra.sh reset  [kafka|store|all]  stop and delete the data (keeps downloads and builds)
#   deploy/local/infra.sh status                    what runs, where, and whether it answers
#   deploy/local/infra.sh env                       KAFKA_BROKERS=... and MONGODB_URI=... lines
#   deploy/local/infra.sh env --secure              the same for the TLS listeners, with the CA and SASL settings
#   deploy/local/infra.sh kill-broker N             SIGKILL broker N (1-3) of the cluster
#   deploy/local/infra.sh start-broker N            start broker N of the cluster again, wait until it serves
#
# Settings (environment): PROV_INFRA_HOME (default <repo>/.cache/infra),
# PROV_KAFKA_BROKERS (1, or 3 for a cluster: broker N listens on
# PROV_KAFKA_PORT + 2(N-1) and PROV_KAFKA_CONTROLLER_PORT + 2(N-1)),
# PROV_KAFKA_PORT (9092), PROV_KAFKA_CONTROLLER_PORT (9093),
# PROV_KAFKA_HEAP (1g; 512m per broker of a cluster),
# PROV_STORE_PORT (27017), PROV_STORE_BACKEND (sqlite|postgresql),
# PROV_STORE_POSTGRESQL_URL (a PostgreSQL of your own; without it, the store
# starts its own on PROV_POSTGRESQL_PORT, 5433, from Debian's postgresql),
# PROV_INFRA_TIMEOUT_S (90), PROV_INFRA_STOP_TIMEOUT_S (30).
#
# Transport security (the single broker and the store; off by default): with
# PROV_KAFKA_SECURITY=tls-sasl the broker also listens for SASL_SSL on
# PROV_KAFKA_SASL_SSL_PORT (9098), SCRAM-SHA-512, user 'provenance' with a
# random password made when its storage is formatted; with PROV_STORE_SECURITY=tls
# the store also listens for TLS on PROV_STORE_TLS_PORT (27018). Both present a
# certificate of a throwaway CA made with openssl under <home>/run/tls. The
# plaintext listeners stay. 'env --secure' prints the platform's settings for
# them (KAFKA_SSL_CA_FILE, KAFKA_SASL_*, MONGODB_URI with tls=true&tlsCAFile=).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
INFRA_HOME="${PROV_INFRA_HOME:-$ROOT/.cache/infra}"
KAFKA_PORT="${PROV_KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${PROV_KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_BROKER_COUNT="${PROV_KAFKA_BROKERS:-1}"
if [[ "$KAFKA_BROKER_COUNT" == 3 ]]; then KAFKA_HEAP="${PROV_KAFKA_HEAP:-512m}"; else KAFKA_HEAP="${PROV_KAFKA_HEAP:-1g}"; fi
STORE_PORT="${PROV_STORE_PORT:-27017}"
STORE_BACKEND="${PROV_STORE_BACKEND:-sqlite}"
STORE_POSTGRESQL_URL="${PROV_STORE_POSTGRESQL_URL:-}"
POSTGRESQL_PORT="${PROV_POSTGRESQL_PORT:-5433}"
KAFKA_SECURITY="${PROV_KAFKA_SECURITY:-plaintext}"
KAFKA_SASL_SSL_PORT="${PROV_KAFKA_SASL_SSL_PORT:-9098}"
STORE_SECURITY="${PROV_STORE_SECURITY:-plaintext}"
STORE_TLS_PORT="${PROV_STORE_TLS_PORT:-27018}"
TIMEOUT_S="${PROV_INFRA_TIMEOUT_S:-90}"
STOP_TIMEOUT_S="${PROV_INFRA_STOP_TIMEOUT_S:-30}"

KAFKA_VERSION="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$HERE/kafka/pom.xml")"
KAFKA_LIBS="$INFRA_HOME/kafka-$KAFKA_VERSION/libs"
KAFKA_LOG4J="$HERE/kafka/log4j.properties"
KAFKA_RUN="$INFRA_HOME/run/kafka"
KAFKA_CLUSTER_RUN="$INFRA_HOME/run/kafka-cluster"
STORE_RUN="$INFRA_HOME/run/store"
POSTGRESQL_RUN="$INFRA_HOME/run/postgresql"
TLS_RUN="$INFRA_HOME/run/tls"
# The SCRAM user of the SASL_SSL listener, in the platform's own variables; made with the broker's storage.
KAFKA_SASL_FILE="$KAFKA_RUN/sasl-credentials"

log() { printf '[infra] %s\n' "$*" >&2; }
die() {
  printf '[infra] ERROR: %s\n' "$*" >&2
  exit 1
}
need() { # command why
  command -v "$1" >/dev/null 2>&1 || die "'$1' is required $2, but it is not on PATH. Install it (see deploy/local/README.md) and try again."
}
need_java() {
  need java "to run the Kafka broker (Java 17 or newer)"
  local line major
  line="$(java -version 2>&1 | head -n 1)" || die "'java -version' failed: $line"
  major="$(sed -n 's/.*version "\([0-9]*\).*/\1/p' <<<"$line")"
  [[ -n "$major" && "$major" -ge 17 ]] || die "Kafka needs Java 17 or newer; 'java -version' says: $line"
}

[[ "$KAFKA_BROKER_COUNT" == 1 || "$KAFKA_BROKER_COUNT" == 3 ]] ||
  die "PROV_KAFKA_BROKERS must be 1 (a single broker) or 3 (a cluster), not '$KAFKA_BROKER_COUNT'"
case "$KAFKA_SECURITY" in
  plaintext) ;;
  tls-sasl) [[ "$KAFKA_BROKER_COUNT" == 1 ]] || die "PROV_KAFKA_SECURITY=tls-sasl is for the single broker, not the 3-broker cluster" ;;
  *) die "PROV_KAFKA_SECURITY must be plaintext or tls-sasl, not '$KAFKA_SECURITY'" ;;
esac
[[ "$STORE_SECURITY" == plaintext || "$STORE_SECURITY" == tls ]] ||
  die "PROV_STORE_SECURITY must be plaintext or tls, not '$STORE_SECURITY'"

# Broker N (1-3) of the cluster: its run directory and ports. Steps of 2 keep each
# broker's two ports side by side (9092/9093, 9094/9095, 9096/9097), broker 1 on the
# single broker's.
CLUSTER_NODES=(1 2 3)
cluster_run() { echo "$KAFKA_CLUSTER_RUN/broker-$1"; }
cluster_port() { echo $((KAFKA_PORT + 2 * ($1 - 1))); }
cluster_controller_port() { echo $((KAFKA_CONTROLLER_PORT + 2 * ($1 - 1))); }
cluster_voters() {
  local node voters=()
  for node in "${CLUSTER_NODES[@]}"; do voters+=("$node@127.0.0.1:$(cluster_controller_port "$node")"); done
  (IFS=,; echo "${voters[*]}")
}

kafka_brokers() {
  if [[ "$KAFKA_BROKER_COUNT" == 1 ]]; then
    echo "127.0.0.1:$KAFKA_PORT"
    return 0
  fi
  local node brokers=()
  for node in "${CLUSTER_NODES[@]}"; do brokers+=("127.0.0.1:$(cluster_port "$node")"); done
  (IFS=,; echo "${brokers[*]}")
}
mongodb_uri() { echo "mongodb://127.0.0.1:$STORE_PORT/?directConnection=true"; }
secure_mongodb_uri() { echo "mongodb://127.0.0.1:$STORE_TLS_PORT/?directConnection=true&tls=true&tlsCAFile=$TLS_RUN/ca.pem"; }

# The pid of a component that runs, or nothing. The pid must still be the
# component's process (pids get reused after a crash or a reboot).
running_pid() { # run-dir marker
  local pidfile="$1/pid" marker="$2" pid
  [[ -f "$pidfile" ]] || return 0
  pid="$(cat "$pidfile")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 0
  if [[ -r "/proc/$pid/cmdline" ]] && ! tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$marker"; then
    return 0
  fi
  echo "$pid"
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

show_logs() { # files...
  local f
  for f in "$@"; do
    [[ -s "$f" ]] || continue
    log "last lines of $f:"
    tail -n 40 "$f" >&2 || true
  done
}

# wait-ready.js, with where the TLS listeners' CA and the SCRAM user are (for its kafka-sasl-ssl probe).
wait_ready_js() { # component target timeout pids
  PROV_INFRA_TLS_CA_FILE="$TLS_RUN/ca.pem" PROV_INFRA_SASL_FILE="$KAFKA_SASL_FILE" node "$HERE/wait-ready.js" "$@"
}

wait_ready() { # component pids(comma-separated) target logs...
  local component="$1" pids="$2" target="$3"
  shift 3
  local status=0
  wait_ready_js "$component" "$target" "$TIMEOUT_S" "$pids" || status=$?
  if [[ "$status" -ne 0 ]]; then
    show_logs "$@"
    [[ "$status" -eq 3 ]] && die "cannot check $component: wait-ready.js needs the npm packages kafkajs and mongodb (run 'npm ci' at the repository root)"
    die "$component is not ready at $target after ${TIMEOUT_S}s (PROV_INFRA_TIMEOUT_S) or exited; see $*"
  fi
}

# Starts a program in its own session (it outlives the shell or test run that
# started it) and records its pid. 9>&- : it must not inherit with_lock's lock.
spawn() { # run-dir output-file program args...
  local run="$1" out="$2"
  shift 2
  setsid "$@" >"$out" 2>&1 </dev/null 9>&- &
  echo $! >"$run/pid"
}

# A component already running: fine if it listens where asked, an error otherwise.
already_running() { # name run-dir pid endpoint
  local name="$1" run="$2" pid="$3" endpoint="$4" was
  was="$(cat "$run/endpoint" 2>/dev/null || true)"
  if [[ -n "$was" && "$was" != "$endpoint" ]]; then
    die "$name already runs (pid $pid) at $was, not at $endpoint; stop it first: deploy/local/infra.sh stop $name"
  fi
}

# --- TLS ---------------------------------------------------------------------

# A throwaway CA and one server certificate (for 127.0.0.1 and localhost) that the broker's SASL_SSL
# listener and the store's TLS listener present: made once per home, again when a day or less is left.
# ca.pem is what clients trust; broker.pem is Kafka's PEM key store (the key, then the certificate).
tls_material() {
  if [[ -s "$TLS_RUN/broker.pem" ]] &&
    openssl x509 -checkend 86400 -noout -in "$TLS_RUN/ca.pem" >/dev/null 2>&1 &&
    openssl x509 -checkend 86400 -noout -in "$TLS_RUN/server.pem" >/dev/null 2>&1; then
    return 0
  fi
  need openssl "to make the certificates of the TLS listeners"
  log "making a throwaway CA and server certificate in $TLS_RUN"
  local tmp="$TLS_RUN.partial" tls_log="$INFRA_HOME/tls.log"
  rm -rf "$tmp" && mkdir -p "$tmp" && chmod 700 "$tmp"
  (
    cd "$tmp"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 365 \
      -subj "/CN=provenance local test CA" -keyout ca.key -out ca.pem \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=127.0.0.1" \
      -keyout server.key -out server.csr
    printf '%s\n' "subjectAltName=IP:127.0.0.1,DNS:localhost" "basicConstraints=CA:FALSE" \
      "keyUsage=critical,digitalSignature,keyEncipherment" "extendedKeyUsage=serverAuth" >server.ext
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -set_serial "0x$(openssl rand -hex 16)" \
      -days 365 -extfile server.ext -out server.pem
    cat server.key server.pem >broker.pem
    rm -f server.csr server.ext
  ) >"$tls_log" 2>&1 || { show_logs "$tls_log"; die "openssl could not make the certificates (log: $tls_log)"; }
  rm -rf "$TLS_RUN" && mv "$tmp" "$TLS_RUN"
}

# --- Kafka -------------------------------------------------------------------

fetch_kafka() {
  local stamp
  stamp="$(sha256sum <"$HERE/kafka/pom.xml" | cut -c1-16)"
  [[ -f "$KAFKA_LIBS/.complete" && "$(cat "$KAFKA_LIBS/.complete")" == "$stamp" ]] && return 0
  need mvn "to fetch Apache Kafka $KAFKA_VERSION from Maven Central"
  log "fetching Apache Kafka $KAFKA_VERSION jars from Maven Central (once)"
  mkdir -p "$INFRA_HOME"
  local tmp="$KAFKA_LIBS.partial" fetch_log="$INFRA_HOME/kafka-fetch.log"
  rm -rf "$tmp" && mkdir -p "$tmp"
  mvn -B -q -f "$HERE/kafka/pom.xml" \
    org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy-dependencies \
    -DoutputDirectory="$tmp" -DincludeScope=runtime >"$fetch_log" 2>&1 ||
    { show_logs "$fetch_log"; die "Maven could not fetch Kafka $KAFKA_VERSION (log: $fetch_log)"; }
  rm -rf "$KAFKA_LIBS" && mv "$tmp" "$KAFKA_LIBS" && echo "$stamp" >"$KAFKA_LIBS/.complete"
}

# A Kafka cluster id: 16 random bytes, base64url without padding (as Uuid.randomUuid,
# which also avoids a leading '-'). Saves a JVM start for 'StorageTool random-uuid'.
new_cluster_id() {
  local id
  while :; do
    id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"
    [[ "$id" == -* ]] || break
  done
  echo "$id"
}

# server.properties of one KRaft node, a broker and a controller in one process:
# the single broker, or node N of the cluster.
write_kafka_config() { # run-dir node-id port controller-port voters
  local run="$1" node="$2" port="$3" controller_port="$4" voters="$5"
  local listeners="PLAINTEXT://127.0.0.1:$port" protocols="CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT"
  if [[ "$KAFKA_SECURITY" == tls-sasl ]]; then
    listeners+=",SASL_SSL://127.0.0.1:$KAFKA_SASL_SSL_PORT"
    protocols+=",SASL_SSL:SASL_SSL"
  fi
  mkdir -p "$run/data"
  {
    if [[ "$KAFKA_BROKER_COUNT" == 1 ]]; then
      echo "# Single-node KRaft broker and controller on loopback, for local runs and tests."
    else
      echo "# Node $node of a 3-node KRaft cluster on loopback (each node a broker and a controller), for local runs and tests."
    fi
    cat <<EOF
# Written by deploy/local/infra.sh at every start.
process.roles=broker,controller
node.id=$node
controller.quorum.voters=$voters
listeners=$listeners,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=$listeners
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=$protocols
log.dirs=$run/data
num.partitions=1
auto.create.topics.enable=true
EOF
    if [[ "$KAFKA_SECURITY" == tls-sasl ]]; then
      cat <<EOF
# PROV_KAFKA_SECURITY=tls-sasl: clients of the SASL_SSL listener prove who they are with SCRAM-SHA-512
# (users made by the storage format), over TLS with a certificate of the CA in $TLS_RUN.
sasl.enabled.mechanisms=SCRAM-SHA-512
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
listener.name.sasl_ssl.ssl.keystore.type=PEM
listener.name.sasl_ssl.ssl.keystore.location=$TLS_RUN/broker.pem
EOF
    fi
    if [[ "$KAFKA_BROKER_COUNT" == 1 ]]; then
      cat <<EOF
# One node: internal topics must not ask for more replicas than exist, or consumer groups never start.
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
EOF
    else
      cat <<EOF
# Every topic (created without a replication factor of its own) on all three nodes, and a write
# acknowledged with acks=all on at least two: one node may die without losing any, and writes go on.
default.replication.factor=3
min.insync.replicas=2
offsets.topic.replication.factor=3
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=3
transaction.state.log.min.isr=2
transaction.state.log.num.partitions=1
EOF
    fi
    cat <<EOF
group.initial.rebalance.delay.ms=0
# Provenance topics keep their history forever; a prediction batch may exceed the 1 MB default.
log.retention.ms=-1
log.retention.bytes=-1
message.max.bytes=33554432
replica.fetch.max.bytes=33554432
num.network.threads=2
num.io.threads=4
EOF
  } >"$run/server.properties"
}

format_kafka_storage() { # run-dir cluster-id [StorageTool format options...]
  local run="$1" cluster_id="$2"
  shift 2
  [[ -f "$run/data/meta.properties" ]] && return 0
  # Static quorum (controller.quorum.voters): no --standalone needed.
  java -Xmx256m -XX:TieredStopAtLevel=1 -Djava.awt.headless=true -Dlog4j.configuration="file:$KAFKA_LOG4J" \
    -Dkafka.logs.dir="$run" -cp "$KAFKA_LIBS/*" \
    kafka.tools.StorageTool format -t "$cluster_id" -c "$run/server.properties" "$@" \
    >"$run/format.log" 2>&1 ||
    { show_logs "$run/format.log"; die "could not format the KRaft storage in $run/data"; }
}

# Sized for a 2-core box: a small heap, Kafka's own G1 settings, and no JIT tier 4
# (a faster start and warm-up; a test broker never runs long enough to need C2).
spawn_kafka() { # run-dir heap-options...
  local run="$1"
  shift
  spawn "$run" "$run/kafka.out" java "$@" \
    -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent \
    -XX:TieredStopAtLevel=1 -XX:+ExitOnOutOfMemoryError \
    -Djava.awt.headless=true -Dlog4j.configuration="file:$KAFKA_LOG4J" -Dkafka.logs.dir="$run" \
    -cp "$KAFKA_LIBS/*" kafka.Kafka "$run/server.properties"
}

single_kafka_pid() { running_pid "$KAFKA_RUN" kafka.Kafka; }
cluster_broker_pid() { running_pid "$(cluster_run "$1")" "$(cluster_run "$1")/server.properties"; }
cluster_pids() { # of the brokers that run, one a line
  local node
  for node in "${CLUSTER_NODES[@]}"; do cluster_broker_pid "$node"; done
}
cluster_logs() {
  local node
  for node in "${CLUSTER_NODES[@]}"; do echo "$(cluster_run "$node")/kafka.log" "$(cluster_run "$node")/kafka.out"; done
}

start_kafka() {
  need_java
  need node "to check that the servers are ready"
  fetch_kafka
  if [[ "$KAFKA_BROKER_COUNT" == 3 ]]; then start_kafka_cluster; else start_single_kafka; fi
}

start_single_kafka() {
  mkdir -p "$KAFKA_RUN"
  local pid brokers endpoint
  brokers="$(kafka_brokers)"
  endpoint="$brokers"
  [[ "$KAFKA_SECURITY" == tls-sasl ]] && endpoint+=" (SASL_SSL at 127.0.0.1:$KAFKA_SASL_SSL_PORT)"
  pid="$(single_kafka_pid)"
  if [[ -n "$pid" ]]; then
    already_running kafka "$KAFKA_RUN" "$pid" "$endpoint"
    wait_ready kafka "$pid" "$brokers" "$KAFKA_RUN/kafka.log" "$KAFKA_RUN/kafka.out"
    wait_sasl_ssl_ready "$pid"
    log "Kafka already running (pid $pid) and answering at $endpoint"
    return 0
  fi
  local port ports=("$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT") format_options=()
  [[ "$KAFKA_SECURITY" == tls-sasl ]] && ports+=("$KAFKA_SASL_SSL_PORT")
  for port in "${ports[@]}"; do
    port_in_use "$port" && die "port $port on 127.0.0.1 is taken by another program; stop it, or choose other ports with PROV_KAFKA_PORT / PROV_KAFKA_CONTROLLER_PORT / PROV_KAFKA_SASL_SSL_PORT"
  done
  write_kafka_config "$KAFKA_RUN" 1 "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT" "1@127.0.0.1:$KAFKA_CONTROLLER_PORT"
  if [[ "$KAFKA_SECURITY" == tls-sasl ]]; then
    tls_material
    if [[ ! -f "$KAFKA_RUN/data/meta.properties" ]]; then
      # SCRAM users live in the cluster's metadata: the format writes them there before the first start.
      local password
      password="$(openssl rand -hex 24)"
      (umask 077 && printf '%s\n' KAFKA_SASL_MECHANISM=scram-sha-512 KAFKA_SASL_USERNAME=provenance \
        "KAFKA_SASL_PASSWORD=$password" >"$KAFKA_SASL_FILE.partial")
      format_options=(--add-scram "SCRAM-SHA-512=[name=provenance,password=$password]")
    elif [[ ! -s "$KAFKA_SASL_FILE" ]]; then
      die "the broker's storage in $KAFKA_RUN/data was formatted without SASL users; delete it first (deploy/local/infra.sh reset kafka) to start it with PROV_KAFKA_SECURITY=tls-sasl"
    fi
  fi
  format_kafka_storage "$KAFKA_RUN" "$(new_cluster_id)" "${format_options[@]}"
  if [[ -f "$KAFKA_SASL_FILE.partial" ]]; then mv "$KAFKA_SASL_FILE.partial" "$KAFKA_SASL_FILE"; fi
  log "starting Kafka $KAFKA_VERSION at $endpoint"
  echo "$endpoint" >"$KAFKA_RUN/endpoint"
  spawn_kafka "$KAFKA_RUN" -Xms512m -Xmx"$KAFKA_HEAP"
  wait_ready kafka "$(cat "$KAFKA_RUN/pid")" "$brokers" "$KAFKA_RUN/kafka.log" "$KAFKA_RUN/kafka.out"
  wait_sasl_ssl_ready "$(cat "$KAFKA_RUN/pid")"
  log "Kafka ready at $endpoint (log: $KAFKA_RUN/kafka.log)"
}

# With PROV_KAFKA_SECURITY=tls-sasl: the SASL_SSL listener verifies against the CA and takes the SCRAM user.
wait_sasl_ssl_ready() { # pid
  [[ "$KAFKA_SECURITY" == tls-sasl ]] || return 0
  wait_ready kafka-sasl-ssl "$1" "127.0.0.1:$KAFKA_SASL_SSL_PORT" "$KAFKA_RUN/kafka.log" "$KAFKA_RUN/kafka.out"
}

# Config, storage (formatted once, with the cluster's id) and process of broker N; does not wait.
launch_cluster_broker() { # node cluster-id
  local node="$1" cluster_id="$2" run port controller_port p
  run="$(cluster_run "$node")"
  port="$(cluster_port "$node")"
  controller_port="$(cluster_controller_port "$node")"
  for p in "$port" "$controller_port"; do
    port_in_use "$p" && die "port $p on 127.0.0.1 (broker $node of the cluster) is taken by another program; stop it, or choose other ports with PROV_KAFKA_PORT / PROV_KAFKA_CONTROLLER_PORT"
  done
  write_kafka_config "$run" "$node" "$port" "$controller_port" "$(cluster_voters)"
  format_kafka_storage "$run" "$cluster_id"
  echo "127.0.0.1:$port" >"$run/endpoint"
  # No -Xms: three brokers start at the JVM's default initial heap and grow as they need.
  spawn_kafka "$run" -Xmx"$KAFKA_HEAP"
}

start_kafka_cluster() {
  local node ports=()
  for node in "${CLUSTER_NODES[@]}"; do ports+=("$(cluster_port "$node")" "$(cluster_controller_port "$node")"); done
  [[ "$(printf '%s\n' "${ports[@]}" | sort -u | wc -l)" -eq 6 ]] ||
    die "the cluster's ports overlap (${ports[*]}): PROV_KAFKA_CONTROLLER_PORT may not be PROV_KAFKA_PORT + 2 or + 4"
  mkdir -p "$KAFKA_CLUSTER_RUN"
  [[ -s "$KAFKA_CLUSTER_RUN/cluster-id" ]] || new_cluster_id >"$KAFKA_CLUSTER_RUN/cluster-id"
  local cluster_id endpoint run pid down=()
  cluster_id="$(cat "$KAFKA_CLUSTER_RUN/cluster-id")"
  endpoint="$(kafka_brokers)"
  for node in "${CLUSTER_NODES[@]}"; do
    run="$(cluster_run "$node")"
    mkdir -p "$run"
    pid="$(cluster_broker_pid "$node")"
    if [[ -n "$pid" ]]; then
      already_running kafka "$run" "$pid" "127.0.0.1:$(cluster_port "$node")"
    else
      down+=("$node")
    fi
  done
  if ((${#down[@]} > 0)); then
    log "starting Kafka $KAFKA_VERSION brokers ${down[*]} of the cluster at $endpoint"
    for node in "${down[@]}"; do launch_cluster_broker "$node" "$cluster_id"; done
  fi
  # Ready: every broker is in the cluster's metadata (registered, not fenced), and there is a controller.
  # shellcheck disable=SC2046 # one log file a word
  wait_ready kafka "$(cluster_pids | paste -sd,)" "$endpoint" $(cluster_logs)
  log "Kafka cluster ready at $endpoint (logs: $KAFKA_CLUSTER_RUN/broker-N/kafka.log)"
}

# kill-broker N and start-broker N: a broker of the cluster lost and back, for fault tests.
check_cluster_node() { # node
  [[ "$KAFKA_BROKER_COUNT" == 3 ]] ||
    die "kill-broker and start-broker act on the cluster: set PROV_KAFKA_BROKERS=3 (and the ports it was started with)"
  [[ "$1" =~ ^[123]$ ]] || die "a broker of the cluster is 1, 2 or 3, not '$1'"
}

kill_broker() { # node
  local node="$1" pid
  check_cluster_node "$node"
  pid="$(cluster_broker_pid "$node")"
  [[ -n "$pid" ]] || die "broker $node of the cluster is not running (see: deploy/local/infra.sh status)"
  kill -KILL "$pid"
  local deadline=$((SECONDS + 10))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.05; done
  kill -0 "$pid" 2>/dev/null && die "broker $node (pid $pid) still exists 10 s after SIGKILL"
  rm -f "$(cluster_run "$node")/pid"
  log "broker $node (pid $pid) killed"
}

start_broker() { # node
  local node="$1" run pid endpoint
  check_cluster_node "$node"
  need_java
  need node "to check that the servers are ready"
  fetch_kafka
  [[ -s "$KAFKA_CLUSTER_RUN/cluster-id" ]] ||
    die "no cluster in $INFRA_HOME yet; start it first: PROV_KAFKA_BROKERS=3 deploy/local/infra.sh start kafka"
  run="$(cluster_run "$node")"
  endpoint="127.0.0.1:$(cluster_port "$node")"
  pid="$(cluster_broker_pid "$node")"
  if [[ -n "$pid" ]]; then
    log "broker $node already running (pid $pid) at $endpoint"
  else
    log "starting broker $node of the cluster at $endpoint"
    launch_cluster_broker "$node" "$(cat "$KAFKA_CLUSTER_RUN/cluster-id")"
    pid="$(cat "$run/pid")"
  fi
  # Ready: the broker answers and the metadata it serves lists it (the controllers took it back).
  wait_ready kafka "$pid" "$endpoint" "$run/kafka.log" "$run/kafka.out"
  log "broker $node ready at $endpoint (log: $run/kafka.log)"
}

# --- PostgreSQL (behind FerretDB, when PROV_STORE_BACKEND=postgresql) --------

# The directory of PostgreSQL's server programs; installs Debian's postgresql when there is none and we may.
postgresql_bindir() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [[ -x "$dir/initdb" && -x "$dir/postgres" ]] && { echo "$dir"; return 0; }
  done
  if [[ "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    log "installing PostgreSQL from Debian's packages (once)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql >"$INFRA_HOME/postgresql-install.log" 2>&1 ||
      { show_logs "$INFRA_HOME/postgresql-install.log"; die "could not install Debian's postgresql (log: $INFRA_HOME/postgresql-install.log)"; }
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
      [[ -x "$dir/initdb" ]] && { echo "$dir"; return 0; }
    done
  fi
  die "PROV_STORE_BACKEND=postgresql needs PostgreSQL's server programs (Debian: apt-get install postgresql), or a server of yours in PROV_STORE_POSTGRESQL_URL"
}

# PostgreSQL refuses to run as root: as root, it runs as the postgres user its package created.
AS_POSTGRES=()
postgresql_user() {
  if [[ "$(id -u)" -eq 0 ]]; then
    id postgres >/dev/null 2>&1 || die "PostgreSQL cannot run as root and there is no 'postgres' user to run it as"
    AS_POSTGRES=(setpriv --reuid=postgres --regid=postgres --init-groups --)
  fi
}

# FerretDB's pool (pgx, 50 by default) is shared by every client of the store, and an update command holds
# one connection per statement until it ends: a few projector replicas and a gateway at once can take all 50
# and wait on each other for good. 200, under the server's max_connections (set below).
postgresql_url() { echo "postgres://ferretdb@127.0.0.1:$POSTGRESQL_PORT/ferretdb?pool_max_conns=200"; }

start_postgresql() {
  local bindir pid
  bindir="$(postgresql_bindir)"
  postgresql_user
  mkdir -p "$POSTGRESQL_RUN"
  pid="$(running_pid "$POSTGRESQL_RUN" "postgres -D")"
  if [[ -n "$pid" ]]; then
    already_running postgresql "$POSTGRESQL_RUN" "$pid" "127.0.0.1:$POSTGRESQL_PORT"
  else
    port_in_use "$POSTGRESQL_PORT" && die "port $POSTGRESQL_PORT on 127.0.0.1 is taken by another program; choose another with PROV_POSTGRESQL_PORT"
    [[ "$(id -u)" -eq 0 ]] && chown postgres "$POSTGRESQL_RUN"
    if [[ ! -f "$POSTGRESQL_RUN/data/PG_VERSION" ]]; then
      log "creating a PostgreSQL cluster in $POSTGRESQL_RUN/data (once)"
      "${AS_POSTGRES[@]}" "$bindir/initdb" -D "$POSTGRESQL_RUN/data" -A trust -U ferretdb -E UTF8 --no-locale \
        >"$POSTGRESQL_RUN/initdb.log" 2>&1 || { show_logs "$POSTGRESQL_RUN/initdb.log"; die "initdb failed"; }
    fi
    log "starting PostgreSQL at 127.0.0.1:$POSTGRESQL_PORT"
    echo "127.0.0.1:$POSTGRESQL_PORT" >"$POSTGRESQL_RUN/endpoint"
    # The planner settings FerretDB's queries need are set on the database by postgresql/ferretdb-indexes.sql.
    (cd "$POSTGRESQL_RUN" && spawn "$POSTGRESQL_RUN" "$POSTGRESQL_RUN/postgresql.log" \
      "${AS_POSTGRES[@]}" "$bindir/postgres" -D "$POSTGRESQL_RUN/data" -p "$POSTGRESQL_PORT" -k "$POSTGRESQL_RUN" \
      -c listen_addresses=127.0.0.1 -c shared_buffers=256MB -c max_connections=250)
  fi
  local deadline=$((SECONDS + TIMEOUT_S))
  until "$bindir/pg_isready" -q -h 127.0.0.1 -p "$POSTGRESQL_PORT"; do
    ((SECONDS < deadline)) || { show_logs "$POSTGRESQL_RUN/postgresql.log"; die "PostgreSQL is not ready at 127.0.0.1:$POSTGRESQL_PORT after ${TIMEOUT_S}s"; }
    sleep 0.2
  done
  local psql=("$bindir/../bin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$POSTGRESQL_PORT" -U ferretdb)
  [[ -x "${psql[0]}" ]] || psql[0]="$(command -v psql || die "psql is needed to prepare the PostgreSQL database")"
  if [[ "$("${psql[@]}" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'ferretdb'")" != 1 ]]; then
    "${psql[@]}" -d postgres -c "CREATE DATABASE ferretdb"
  fi
  "${psql[@]}" -d ferretdb -f "$HERE/postgresql/ferretdb-indexes.sql" >/dev/null
  log "PostgreSQL ready at 127.0.0.1:$POSTGRESQL_PORT (log: $POSTGRESQL_RUN/postgresql.log)"
}

stop_postgresql() { stop_component postgresql "$POSTGRESQL_RUN" "postgres -D"; }

# --- FerretDB ----------------------------------------------------------------

ferretdb_binary() { # keyed by the runner's sources: a change rebuilds it
  local source_hash
  source_hash="$(cat "$HERE/ferretdb-runner/go.mod" "$HERE/ferretdb-runner/go.sum" "$HERE"/ferretdb-runner/*.go | sha256sum | cut -c1-16)"
  echo "$INFRA_HOME/bin/ferretdb-runner-$source_hash"
}

build_ferretdb() {
  local binary="$1"
  [[ -x "$binary" ]] && return 0
  need go "to build FerretDB from its Go module (Go 1.24 or newer)"
  log "building ferretdb-runner (FerretDB from its Go module; once)"
  mkdir -p "$INFRA_HOME/bin"
  local build_log="$INFRA_HOME/ferretdb-build.log"
  (cd "$HERE/ferretdb-runner" && GOTOOLCHAIN=local CGO_ENABLED=0 go build -mod=readonly -trimpath -o "$binary.partial" .) \
    >"$build_log" 2>&1 ||
    { show_logs "$build_log"; die "could not build ferretdb-runner (log: $build_log)"; }
  mv "$binary.partial" "$binary"
}

start_store() {
  need node "to check that the servers are ready"
  local binary
  binary="$(ferretdb_binary)"
  build_ferretdb "$binary"
  mkdir -p "$STORE_RUN"
  local pid endpoint tls_args=()
  endpoint="$(mongodb_uri) ($STORE_BACKEND)"
  [[ "$STORE_SECURITY" == tls ]] && endpoint="$(mongodb_uri) ($STORE_BACKEND, TLS at 127.0.0.1:$STORE_TLS_PORT)"
  pid="$(running_pid "$STORE_RUN" ferretdb-runner)"
  if [[ -n "$pid" ]]; then
    already_running store "$STORE_RUN" "$pid" "$endpoint"
    wait_ready store "$pid" "$(mongodb_uri)" "$STORE_RUN/store.log"
    [[ "$STORE_SECURITY" == tls ]] && wait_ready store "$pid" "$(secure_mongodb_uri)" "$STORE_RUN/store.log"
    log "FerretDB already running (pid $pid) and answering at $endpoint"
    return 0
  fi
  port_in_use "$STORE_PORT" && die "port $STORE_PORT on 127.0.0.1 is taken by another program; stop it, or choose another with PROV_STORE_PORT"
  if [[ "$STORE_SECURITY" == tls ]]; then
    port_in_use "$STORE_TLS_PORT" && die "port $STORE_TLS_PORT on 127.0.0.1 is taken by another program; stop it, or choose another with PROV_STORE_TLS_PORT"
    tls_material
    # Server authentication only: with -listen-tls-ca-file, FerretDB would require client certificates too.
    tls_args=(-listen-tls "127.0.0.1:$STORE_TLS_PORT" -listen-tls-cert-file "$TLS_RUN/server.pem"
      -listen-tls-key-file "$TLS_RUN/server.key")
  fi
  local backend_args=(-handler "$STORE_BACKEND")
  case "$STORE_BACKEND" in
    sqlite)
      mkdir -p "$STORE_RUN/data"
      backend_args+=(-sqlite-url "file:$STORE_RUN/data/")
      ;;
    postgresql)
      if [[ -z "$STORE_POSTGRESQL_URL" ]]; then
        start_postgresql
        STORE_POSTGRESQL_URL="$(postgresql_url)"
      fi
      backend_args+=(-postgresql-url "$STORE_POSTGRESQL_URL")
      ;;
    *) die "PROV_STORE_BACKEND must be sqlite or postgresql, not '$STORE_BACKEND'" ;;
  esac
  log "starting FerretDB ($STORE_BACKEND) at $(mongodb_uri)"
  echo "$endpoint" >"$STORE_RUN/endpoint"
  # cd: FerretDB writes nothing to its working directory, and it must not be the caller's anyway.
  (cd "$STORE_RUN" && spawn "$STORE_RUN" "$STORE_RUN/store.log" \
    "$binary" -listen-addr "127.0.0.1:$STORE_PORT" "${tls_args[@]}" "${backend_args[@]}" -log-level warn)
  wait_ready store "$(cat "$STORE_RUN/pid")" "$(mongodb_uri)" "$STORE_RUN/store.log"
  [[ "$STORE_SECURITY" == tls ]] && wait_ready store "$(cat "$STORE_RUN/pid")" "$(secure_mongodb_uri)" "$STORE_RUN/store.log"
  log "FerretDB ready at $endpoint (log: $STORE_RUN/store.log)"
}

# --- stop, reset, status -------------------------------------------------------

stop_component() { # name run-dir marker
  local name="$1" run="$2" marker="$3" pid
  pid="$(running_pid "$run" "$marker")"
  if [[ -z "$pid" ]]; then
    rm -f "$run/pid" "$run/endpoint"
    return 0
  fi
  log "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + STOP_TIMEOUT_S))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    log "$name did not stop within ${STOP_TIMEOUT_S}s (PROV_INFRA_STOP_TIMEOUT_S); killing it"
    kill -KILL "$pid" 2>/dev/null || true
    deadline=$((SECONDS + 10))
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.1; done
  fi
  rm -f "$run/pid" "$run/endpoint"
  log "$name stopped"
}

stop_kafka() {
  if [[ "$KAFKA_BROKER_COUNT" == 3 ]]; then
    # All at once: stopped one by one, the last two would lose their controller quorum mid-shutdown.
    local node stops=()
    for node in "${CLUSTER_NODES[@]}"; do
      stop_component "kafka broker $node" "$(cluster_run "$node")" "$(cluster_run "$node")/server.properties" &
      stops+=("$!")
    done
    for node in "${stops[@]}"; do wait "$node"; done
    [[ -z "$(single_kafka_pid)" ]] || log "the single Kafka broker of $INFRA_HOME still runs (stop it without PROV_KAFKA_BROKERS)"
  else
    stop_component kafka "$KAFKA_RUN" kafka.Kafka
    [[ -z "$(cluster_pids)" ]] || log "the 3-broker cluster of $INFRA_HOME still runs (stop it with PROV_KAFKA_BROKERS=3)"
  fi
}
stop_store() {
  stop_component store "$STORE_RUN" ferretdb-runner
  stop_postgresql
}
reset_kafka() {
  stop_kafka
  if [[ "$KAFKA_BROKER_COUNT" == 3 ]]; then
    local node
    for node in "${CLUSTER_NODES[@]}"; do rm -rf "$(cluster_run "$node")/data"; done
    rm -f "$KAFKA_CLUSTER_RUN/cluster-id"
    log "kafka cluster data deleted"
  else
    rm -rf "$KAFKA_RUN/data" "$KAFKA_SASL_FILE"
    log "kafka data deleted"
  fi
}
reset_store() {
  stop_store
  rm -rf "$STORE_RUN/data" "$POSTGRESQL_RUN/data"
  [[ -z "$STORE_POSTGRESQL_URL" ]] || log "the PostgreSQL database of PROV_STORE_POSTGRESQL_URL is left as it is"
  log "store data deleted"
}

status_of() { # name probe run-dir marker probe-target [remark]
  local name="$1" probe="$2" run="$3" marker="$4" target="$5" remark="${6:-}" pid answer
  pid="$(running_pid "$run" "$marker")"
  if [[ -z "$pid" ]]; then
    echo "$name: stopped"
    return 0
  fi
  answer="not answering"
  wait_ready_js "$probe" "$target" 5 "$pid" 2>/dev/null && answer="answering"
  echo "$name: running (pid $pid) at $(cat "$run/endpoint" 2>/dev/null || echo '?'), $answer$remark"
}

# The node the controllers elected their leader (the active controller), as a running node last recorded it.
quorum_leader() {
  local node
  for node in "${CLUSTER_NODES[@]}"; do
    [[ -n "$(cluster_broker_pid "$node")" ]] || continue
    grep -o '"leaderId":[0-9]*' "$(cluster_run "$node")/data/__cluster_metadata-0/quorum-state" 2>/dev/null | cut -d: -f2 && return 0
  done
  return 0
}

status() {
  echo "home: $INFRA_HOME"
  # The layout PROV_KAFKA_BROKERS names, and the other one too if it runs.
  if [[ "$KAFKA_BROKER_COUNT" == 1 || -n "$(single_kafka_pid)" ]]; then
    status_of kafka kafka "$KAFKA_RUN" kafka.Kafka "$(sed 's/ (.*//' "$KAFKA_RUN/endpoint" 2>/dev/null || echo "127.0.0.1:$KAFKA_PORT")"
  fi
  if [[ "$KAFKA_BROKER_COUNT" == 3 || -n "$(cluster_pids)" ]]; then
    local node run leader
    leader="$(quorum_leader)"
    for node in "${CLUSTER_NODES[@]}"; do
      run="$(cluster_run "$node")"
      status_of "kafka broker $node" kafka "$run" "$run/server.properties" \
        "$(cat "$run/endpoint" 2>/dev/null || echo "127.0.0.1:$(cluster_port "$node")")" \
        "$([[ "$node" == "$leader" ]] && echo ', active controller')"
    done
  fi
  status_of store store "$STORE_RUN" ferretdb-runner "$(sed 's/ (.*//' "$STORE_RUN/endpoint" 2>/dev/null || mongodb_uri)"
  local pg_pid
  pg_pid="$(running_pid "$POSTGRESQL_RUN" "postgres -D")"
  if [[ -n "$pg_pid" ]]; then echo "postgresql: running (pid $pg_pid) at $(cat "$POSTGRESQL_RUN/endpoint" 2>/dev/null || echo '?')"; fi
  local cached=()
  [[ -f "$KAFKA_LIBS/.complete" ]] && cached+=("Kafka $KAFKA_VERSION jars")
  [[ -x "$(ferretdb_binary)" ]] && cached+=("ferretdb-runner build")
  echo "cached: ${cached[*]:-nothing}"
}

# The platform's settings for the TLS listeners that PROV_KAFKA_SECURITY and PROV_STORE_SECURITY turn on
# (the plaintext ones for a component whose setting is off), quoted for eval.
secure_env() {
  [[ "$KAFKA_SECURITY" == tls-sasl || "$STORE_SECURITY" == tls ]] ||
    die "env --secure needs PROV_KAFKA_SECURITY=tls-sasl or PROV_STORE_SECURITY=tls (the settings the servers were started with)"
  [[ -s "$TLS_RUN/ca.pem" ]] || die "no CA in $TLS_RUN yet: start the servers with those settings first"
  if [[ "$KAFKA_SECURITY" == tls-sasl ]]; then
    [[ -s "$KAFKA_SASL_FILE" ]] || die "no SASL user in $KAFKA_SASL_FILE yet: start Kafka with PROV_KAFKA_SECURITY=tls-sasl first"
    echo "KAFKA_BROKERS='127.0.0.1:$KAFKA_SASL_SSL_PORT'"
    echo "KAFKA_SSL_CA_FILE='$TLS_RUN/ca.pem'"
    sed "s/=\(.*\)/='\1'/" "$KAFKA_SASL_FILE"
  else
    echo "KAFKA_BROKERS='$(kafka_brokers)'"
  fi
  if [[ "$STORE_SECURITY" == tls ]]; then echo "MONGODB_URI='$(secure_mongodb_uri)'"; else echo "MONGODB_URI='$(mongodb_uri)'"; fi
}

with_lock() {
  need flock "to serialize starts and stops (util-linux)"
  mkdir -p "$INFRA_HOME"
  # One start or stop at a time: parallel test runs may all ask for the servers.
  exec 9>"$INFRA_HOME/infra.lock"
  flock 9
  "$@"
}

run_for() { # action what
  local action="$1" what="$2"
  case "$what" in kafka | store | all) ;; *) die "unknown component '$what' (kafka, store or all)" ;; esac
  if [[ "$what" == kafka || "$what" == all ]]; then "${action}_kafka"; fi
  if [[ "$what" == store || "$what" == all ]]; then "${action}_store"; fi
}

usage() { sed -n '2,34p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

command="${1:-}"
[[ $# -gt 0 ]] && shift
clean=false
args=()
for arg in "$@"; do
  if [[ "$arg" == --clean ]]; then clean=true; else args+=("$arg"); fi
done
what="${args[0]:-all}"

case "$command" in
  start) with_lock run_for start "$what" ;;
  stop) if $clean; then with_lock run_for reset "$what"; else with_lock run_for stop "$what"; fi ;;
  reset) with_lock run_for reset "$what" ;;
  status) status ;;
  kill-broker) with_lock kill_broker "${args[0]:-}" ;;
  start-broker) with_lock start_broker "${args[0]:-}" ;;
  env)
    if [[ "${args[0]:-}" == --secure ]]; then secure_env; else
      echo "KAFKA_BROKERS=$(kafka_brokers)"
      echo "MONGODB_URI=$(mongodb_uri)"
    fi
    ;;
  help | -h | --help) usage ;;
  *)
    usage >&2
    exit 2
    ;;
esac
