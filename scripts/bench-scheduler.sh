#!/usr/bin/env bash
# Scheduler throughput, shaped like kube-scheduler's scheduler_perf SchedulingBasic: starts a control plane of
# its own (etcd-store, apiserver, scheduler, controller-manager; no kubelets), creates the nodes and pods
# through the apiserver, measures pods bound per second from the first creation to the last binding, stops the
# cluster. The last line is: RESULT pods_per_second=<X> nodes=<N> pods=<P>
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
  cat <<USAGE
usage: scripts/bench-scheduler.sh [options]
  --nodes N          nodes to create (default 5000)
  --pods P           measured pods (default 10000)
  --init-pods I      pods scheduled before measuring, as SchedulingBasic's initPods (default 1000)
  --concurrency C    creations in flight (default 200)
  --run-dir DIR      the benchmark cluster's run directory, wiped first (default $KEMU_ROOT/run/bench)
  --keep             leave the cluster running afterwards
USAGE
}

NODES=5000 PODS=10000 INIT_PODS=1000 CONCURRENCY=200 RUN_DIR="$KEMU_ROOT/run/bench" KEEP=0
APISERVER_PORT=6543 BASE_PORT=26520 SCHEDULER_PORT=10359
while [ $# -gt 0 ]; do
  case "$1" in
    --nodes) NODES=$2; shift 2 ;;
    --pods) PODS=$2; shift 2 ;;
    --init-pods) INIT_PODS=$2; shift 2 ;;
    --concurrency) CONCURRENCY=$2; shift 2 ;;
    --run-dir) RUN_DIR=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option: $1" ;;
  esac
done

require_java
build_if_needed
if [ -d "$RUN_DIR/pids" ]; then
  "$KEMU_ROOT/scripts/cluster-down.sh" --run-dir "$RUN_DIR" >/dev/null || true
fi
rm -rf "$RUN_DIR"
mkdir -p "$RUN_DIR"
cleanup() {
  [ "$KEEP" = 1 ] || "$KEMU_ROOT/scripts/cluster-down.sh" --run-dir "$RUN_DIR" >/dev/null 2>&1 || true
}
trap cleanup EXIT

# the flow log (one line per pod per hop) is turned down, as for any load test; heaps are sized for 5,000 nodes and
# 11,000 pods from the start (growing them from 64 MB cost several full GCs of ~300 ms each per JVM during the run)
export KEMU_JAVA_OPTS="-Dkemu.flow.level=WARN -Xms768m ${KEMU_JAVA_OPTS:-}"
export KEMU_APISERVER_JAVA_OPTS="${KEMU_APISERVER_JAVA_OPTS--Xms1536m -Xmx2g}"
export KEMU_SCHEDULER_JAVA_OPTS="${KEMU_SCHEDULER_JAVA_OPTS--Xms1g -Xmx2g}"
KEMU_NO_BUILD=1 "$KEMU_ROOT/scripts/cluster-up.sh" --nodes 0 --controller-managers 0 --run-dir "$RUN_DIR" --apiserver-port "$APISERVER_PORT" \
  --base-port "$BASE_PORT" --scheduler-port "$SCHEDULER_PORT" >/dev/null

say "benchmark cluster up in $RUN_DIR; logs in $RUN_DIR/logs"
java -Xmx2g $KEMU_JVM_DEFAULTS ${KEMU_JAVA_OPTS//\{name\}/bench} -Dkemu.log.file="$RUN_DIR/logs/bench.log" -Dslf4j.internal.verbosity=ERROR \
  -cp "$KEMU_CP" io.kemu.conf.Kemu bench-scheduler --run-dir "$RUN_DIR" --port $((BASE_PORT + 10)) \
  --seed "127.0.0.1:$BASE_PORT" --seed "127.0.0.1:$((BASE_PORT + 1))" --nodes "$NODES" --pods "$PODS" \
  --init-pods "$INIT_PODS" --concurrency "$CONCURRENCY" \
  --scheduler-metrics "http://127.0.0.1:$SCHEDULER_PORT/metrics"
