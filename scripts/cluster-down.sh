#!/usr/bin/env bash
# Stops the JVMs that cluster-up.sh started (from their PID files), gracefully, then forcibly.
# The data directory stays: the next cluster-up.sh recovers every object.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

RUN_DIR="$KEMU_ROOT/run" GRACE=20
while [ $# -gt 0 ]; do
  case "$1" in
    --run-dir) RUN_DIR=$2; shift 2 ;;
    --grace) GRACE=$2; shift 2 ;;
    -h|--help) echo "usage: scripts/cluster-down.sh [--run-dir DIR] [--grace SECONDS]"; exit 0 ;;
    *) die "unknown option: $1" ;;
  esac
done
[ -d "$RUN_DIR/pids" ] || { say "nothing to stop in $RUN_DIR"; exit 0; }

# Components first, the store last, so that nothing writes to a store that is going away.
order=()
for f in "$RUN_DIR"/pids/kubelet-*.pid "$RUN_DIR"/pids/controller-manager.pid "$RUN_DIR"/pids/scheduler.pid "$RUN_DIR"/pids/scheduler-*.pid \
         "$RUN_DIR"/pids/apiserver.pid "$RUN_DIR"/pids/etcd.pid; do
  [ -e "$f" ] && order+=("$f")
done
[ ${#order[@]} -gt 0 ] || { say "nothing to stop in $RUN_DIR"; exit 0; }

stop_one() {
  local f=$1 name pid
  name=$(basename "$f" .pid)
  pid=$(cat "$f")
  if ! is_kemu_pid "$pid"; then
    rm -f "$f"
    return
  fi
  kill -TERM "$pid" 2>/dev/null || true
  for ((t = 0; t < GRACE * 10; t++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    say "$name (pid $pid) did not stop within ${GRACE}s: killing it"
    kill -KILL "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  fi
  say "stopped $name (pid $pid)"
  rm -f "$f"
}

# Kubelets stop together, then the control plane one by one.
for f in "${order[@]}"; do
  case "$(basename "$f")" in kubelet-*) stop_one "$f" & ;; esac
done
wait
for f in "${order[@]}"; do
  [ -e "$f" ] && stop_one "$f"
done
say "cluster stopped; data kept in $RUN_DIR"
