#!/usr/bin/env bash
# Starts an emulated Kubernetes cluster: one JVM per control-plane role plus K kubelet JVMs hosting N nodes.
# Returns when every node is Ready; prints the KUBECONFIG export line.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
  cat <<USAGE
usage: scripts/cluster-up.sh [options]
  --nodes N            emulated nodes in all (default 4; 0 starts the control plane only)
  --kubelet-jvms K     kubelet JVMs hosting them (default 2)
  --schedulers S       scheduler JVMs; one leads through a Lease, the others stand by (default 1)
  --controller-managers C  controller-manager JVMs; one leads through a Lease, the others stand by (default 1;
                       0 runs none, as scheduler benchmarks do)
  --time-scale X       divide every emulated duration by X (default 1)
  --data DIR           where the etcd-store keeps its journal (default <run-dir>/data)
  --run-dir DIR        logs, pids, PKI and kubeconfig (default $KEMU_ROOT/run)
  --apiserver-port P   HTTPS port of the apiserver (default 6443)
  --base-port P        first Pekko remoting port; one per JVM (default 25520)
  --scheduler-port P   metrics and health port of the first scheduler, the next ones count up (default 10259)
  --timeout S          seconds to wait for all nodes to be Ready (default 180)
USAGE
}

NODES=4 KUBELET_JVMS=2 SCHEDULERS=1 CONTROLLER_MANAGERS=1 SCHEDULER_PORT=10259 TIME_SCALE=1 DATA="" RUN_DIR="$KEMU_ROOT/run" APISERVER_PORT=6443 BASE_PORT=25520 TIMEOUT=180
while [ $# -gt 0 ]; do
  case "$1" in
    --nodes) NODES=$2; shift 2 ;;
    --kubelet-jvms) KUBELET_JVMS=$2; shift 2 ;;
    --schedulers) SCHEDULERS=$2; shift 2 ;;
    --controller-managers) CONTROLLER_MANAGERS=$2; shift 2 ;;
    --scheduler-port) SCHEDULER_PORT=$2; shift 2 ;;
    --time-scale) TIME_SCALE=$2; shift 2 ;;
    --data) DATA=$2; shift 2 ;;
    --run-dir) RUN_DIR=$2; shift 2 ;;
    --apiserver-port) APISERVER_PORT=$2; shift 2 ;;
    --base-port) BASE_PORT=$2; shift 2 ;;
    --timeout) TIMEOUT=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option: $1" ;;
  esac
done
[[ "$NODES" =~ ^[0-9]+$ ]] || die "--nodes must be a number, got '$NODES'"
[[ "$KUBELET_JVMS" =~ ^[1-9][0-9]*$ ]] || die "--kubelet-jvms must be a positive number, got '$KUBELET_JVMS'"
[[ "$SCHEDULERS" =~ ^[1-9][0-9]*$ ]] || die "--schedulers must be a positive number, got '$SCHEDULERS'"
[[ "$CONTROLLER_MANAGERS" =~ ^[0-9]+$ ]] \
  || die "--controller-managers must be a number, got '$CONTROLLER_MANAGERS'"
[[ "$SCHEDULER_PORT" =~ ^[1-9][0-9]*$ ]] || die "--scheduler-port must be a port number, got '$SCHEDULER_PORT'"
[ "$NODES" -eq 0 ] && KUBELET_JVMS=0
[ "$KUBELET_JVMS" -le "$NODES" ] || die "--kubelet-jvms ($KUBELET_JVMS) cannot exceed --nodes ($NODES)"
[[ "$TIME_SCALE" =~ ^[0-9]+([.][0-9]+)?$ ]] && awk "BEGIN{exit !($TIME_SCALE > 0)}" \
  || die "--time-scale must be a positive number, got '$TIME_SCALE'"

require_java
command -v kubectl >/dev/null 2>&1 || die "kubectl is required (it is used to wait for the nodes to be Ready)"
mkdir -p "$RUN_DIR"
RUN_DIR="$(cd "$RUN_DIR" && pwd)"
DATA="${DATA:-$RUN_DIR/data}"
mkdir -p "$RUN_DIR/logs" "$RUN_DIR/pids" "$DATA"

for f in "$RUN_DIR"/pids/*.pid; do
  [ -e "$f" ] || continue
  if is_kemu_pid "$(cat "$f")"; then
    die "a cluster is already running from $RUN_DIR ($(basename "$f" .pid) is pid $(cat "$f")); stop it with scripts/cluster-down.sh"
  fi
  rm -f "$f"
done

# role name, remoting port: etcd-store first (it is the first seed), kubelets last
# a single scheduler is "scheduler", several are "scheduler-1" ... "scheduler-S"
ROLES=(etcd apiserver)
if [ "$SCHEDULERS" -eq 1 ]; then ROLES+=(scheduler); else
  for ((k = 1; k <= SCHEDULERS; k++)); do ROLES+=("scheduler-$k"); done
fi
# likewise "controller-manager", or "controller-manager-1" ... "controller-manager-C"
if [ "$CONTROLLER_MANAGERS" -eq 1 ]; then ROLES+=(controller-manager); else
  for ((k = 1; k <= CONTROLLER_MANAGERS; k++)); do ROLES+=("controller-manager-$k"); done
fi
for ((k = 1; k <= KUBELET_JVMS; k++)); do ROLES+=("kubelet-$k"); done
port_of() { echo $((BASE_PORT + $1)); }
port_in_use "$APISERVER_PORT" && die "port $APISERVER_PORT (apiserver HTTPS) is already in use on 127.0.0.1"
for ((k = 0; k < SCHEDULERS; k++)); do
  port_in_use $((SCHEDULER_PORT + k)) && die "port $((SCHEDULER_PORT + k)) (scheduler metrics) is already in use on 127.0.0.1; choose --scheduler-port"
done
for ((i = 0; i < ${#ROLES[@]}; i++)); do
  p=$(port_of $i)
  port_in_use "$p" && die "port $p (remoting of ${ROLES[$i]}) is already in use on 127.0.0.1; choose --base-port"
done

build_if_needed
java -cp "$KEMU_CP" io.kemu.conf.Kemu init --run-dir "$RUN_DIR" --nodes "$NODES" \
  --apiserver-port "$APISERVER_PORT" >/dev/null || die "could not prepare $RUN_DIR (PKI, tokens, kubeconfig)"

STARTED=()
stop_started() {
  for name in "${STARTED[@]}"; do
    pid=$(cat "$RUN_DIR/pids/$name.pid" 2>/dev/null || true)
    is_kemu_pid "$pid" && kill -KILL "$pid" 2>/dev/null || true
    rm -f "$RUN_DIR/pids/$name.pid"
  done
}

SEEDS=(--seed "127.0.0.1:$(port_of 0)" --seed "127.0.0.1:$(port_of 1)")
per_jvm=$(( KUBELET_JVMS > 0 ? (NODES + KUBELET_JVMS - 1) / KUBELET_JVMS : 0 ))
for ((i = 0; i < ${#ROLES[@]}; i++)); do
  name=${ROLES[$i]}
  role=${name%%-[0-9]*}
  heap=512m
  extra=()
  case "$role" in
    etcd|apiserver) heap=1g ;;
    scheduler)
      k=${name##*-}
      [ "$k" = scheduler ] && k=1
      extra=(--set "kemu.scheduler.port=$((SCHEDULER_PORT + k - 1))")
      heap=1g ;;
    kubelet)
      k=${name##*-}
      first=$(( (k - 1) * per_jvm + 1 ))
      count=$(( NODES - first + 1 < per_jvm ? NODES - first + 1 : per_jvm ))
      extra=(--first-node "$first" --node-count "$count")
      heap=768m ;;
  esac
  log="$RUN_DIR/logs/$name.log"
  echo "==== kemu cluster-up $(date -u +%Y-%m-%dT%H:%M:%SZ): $name ====" >>"$log"
  # KEMU_JAVA_OPTS: extra JVM options for every JVM (benchmarks turn the flow log down, profilers hook in here);
  # {name} in them becomes the JVM's name, e.g. -XX:StartFlightRecording=filename=/tmp/{name}.jfr
  opts="${KEMU_JAVA_OPTS:-}"
  # KEMU_<ROLE>_JAVA_OPTS (e.g. KEMU_SCHEDULER_JAVA_OPTS, KEMU_CONTROLLER_MANAGER_JAVA_OPTS) come last, for one role
  role_var="KEMU_$(echo "$role" | tr 'a-z-' 'A-Z_')_JAVA_OPTS"
  opts="$opts ${!role_var:-}"
  opts=${opts//\{name\}/$name}
  # shellcheck disable=SC2086
  nohup java -Xms64m -Xmx$heap $KEMU_JVM_DEFAULTS -XX:+ExitOnOutOfMemoryError -Dkemu.log.file="$log" $opts \
    -Dslf4j.internal.verbosity=ERROR \
    -cp "$KEMU_CP" io.kemu.conf.Kemu run --role "$role" --port "$(port_of $i)" "${SEEDS[@]}" \
    --run-dir "$RUN_DIR" --data-dir "$DATA" --time-scale "$TIME_SCALE" --apiserver-port "$APISERVER_PORT" \
    "${extra[@]}" >>"$RUN_DIR/logs/$name.out" 2>&1 &
  echo $! >"$RUN_DIR/pids/$name.pid"
  disown $!  # no job-control notices when it stops
  STARTED+=("$name")
  say "started $name (pid $!, port $(port_of $i))"
done

export KUBECONFIG="$RUN_DIR/kubeconfig"
deadline=$(( $(date +%s) + TIMEOUT ))
last=""
while true; do
  for name in "${STARTED[@]}"; do
    pid=$(cat "$RUN_DIR/pids/$name.pid")
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "kemu: $name (pid $pid) died during start; the end of its log ($RUN_DIR/logs/$name.log):" >&2
      tail -n 25 "$RUN_DIR/logs/$name.log" 2>/dev/null | sed 's/^/    /' >&2
      if [ -s "$RUN_DIR/logs/$name.out" ]; then
        echo "kemu: and of its console output ($RUN_DIR/logs/$name.out):" >&2
        tail -n 10 "$RUN_DIR/logs/$name.out" | sed 's/^/    /' >&2
      fi
      stop_started
      exit 1
    fi
  done
  if [ "$NODES" -eq 0 ]; then
    # control plane only: ready when the apiserver answers
    if kubectl get --raw /readyz --request-timeout=5s >/dev/null 2>&1; then say "apiserver ready"; break; fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "kemu: the apiserver did not become ready within ${TIMEOUT}s; logs are in $RUN_DIR/logs" >&2
      stop_started
      exit 1
    fi
    sleep 1
    continue
  fi
  ready=$(kubectl get nodes --request-timeout=5s -o \
    jsonpath='{range .items[*]}{range .status.conditions[?(@.type=="Ready")]}{.status}{"\n"}{end}{end}' 2>/dev/null \
    | grep -c '^True$' || true)
  if [ "$ready" != "$last" ]; then
    say "$ready/$NODES nodes Ready"
    last=$ready
  fi
  [ "$ready" -ge "$NODES" ] && break
  if [ "$(date +%s)" -ge "$deadline" ]; then
    echo "kemu: only $ready of $NODES nodes became Ready within ${TIMEOUT}s; logs are in $RUN_DIR/logs" >&2
    stop_started
    exit 1
  fi
  sleep 1
done

say "cluster up: $NODES nodes Ready; JVMs: ${STARTED[*]}"
echo "export KUBECONFIG=$RUN_DIR/kubeconfig"
