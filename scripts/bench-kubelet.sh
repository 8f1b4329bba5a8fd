#!/usr/bin/env bash
# Many nodes in one kubelet JVM: starts a cluster with --nodes N and a single kubelet JVM, then reports that
# JVM's CPU and live heap and the age of the nodes' Leases, first with nodes only, then with P running pods
# (busybox loops logging every 5 s). Stops the cluster it started. Prints a RESULT line.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

NODES=1000 PODS=300 MEASURE=60 RUN_DIR="$KEMU_ROOT/run/bench-kubelet" APISERVER_PORT=16443 BASE_PORT=26520
while [ $# -gt 0 ]; do
  case "$1" in
    --nodes) NODES=$2; shift 2 ;;
    --pods) PODS=$2; shift 2 ;;
    --measure) MEASURE=$2; shift 2 ;;
    --run-dir) RUN_DIR=$2; shift 2 ;;
    --apiserver-port) APISERVER_PORT=$2; shift 2 ;;
    --base-port) BASE_PORT=$2; shift 2 ;;
    -h|--help) echo "usage: scripts/bench-kubelet.sh [--nodes N] [--pods P] [--measure SECONDS] [--run-dir DIR]"
      echo "       [--apiserver-port P] [--base-port P]"; exit 0 ;;
    *) die "unknown option: $1" ;;
  esac
done
command -v jcmd >/dev/null 2>&1 || die "jcmd (from the JDK) is required to read the kubelet JVM's heap"
rm -rf "$RUN_DIR"
trap 'bash "$KEMU_ROOT/scripts/cluster-down.sh" --run-dir "$RUN_DIR" >/dev/null 2>&1 || true' EXIT
started=$(date +%s)
bash "$KEMU_ROOT/scripts/cluster-up.sh" --nodes "$NODES" --kubelet-jvms 1 --run-dir "$RUN_DIR" \
  --apiserver-port "$APISERVER_PORT" --base-port "$BASE_PORT" --timeout 600 >/dev/null
say "$NODES nodes Ready after $(( $(date +%s) - started )) s"
export KUBECONFIG="$RUN_DIR/kubeconfig"
KPID=$(cat "$RUN_DIR/pids/kubelet-1.pid")
TICK=$(getconf CLK_TCK)

cpu_ticks() { awk '{print $14 + $15}' "/proc/$KPID/stat"; }
live_heap_mb() {
  jcmd "$KPID" GC.run >/dev/null
  # the used sizes of the heap's generations after a full GC, whichever collector (G1, Parallel, Serial)
  jcmd "$KPID" GC.heap_info | awk '/^ *(garbage-first heap|PSYoungGen|ParOldGen|def new generation|tenured generation)/ {
      for (i = 1; i < NF; i++) if ($i == "used") { v = $(i + 1); gsub("[K,]", "", v); kb += v } }
    END { printf "%d", kb / 1024 }'
}
lease_ages() {
  kubectl get leases -n kube-node-lease -o json | python3 -c '
import datetime, json, sys
items = json.load(sys.stdin)["items"]
now = datetime.datetime.now(datetime.timezone.utc)
ages = sorted((now - datetime.datetime.fromisoformat(i["spec"]["renewTime"].replace("Z", "+00:00"))).total_seconds()
              for i in items)
print("%d %.1f %.1f" % (len(ages), ages[len(ages) // 2], ages[-1]))'
}
measure() {
  local t1 t2 progress=0
  t1=$(cpu_ticks)
  while [ "$progress" -lt "$MEASURE" ]; do sleep 5; progress=$((progress + 5)); echo -n "." >&2; done
  echo >&2
  t2=$(cpu_ticks)
  echo "$(( (t2 - t1) * 1000 / TICK / MEASURE )) $(live_heap_mb)"
}

read -r cpu1 heap1 < <(measure)
read -r leases1 p50a maxa < <(lease_ages)
ready=$(kubectl get nodes --no-headers | awk '$2 == "Ready"' | wc -l)
say "nodes only: $ready/$NODES Ready; kubelet CPU $cpu1 ms/s; live heap $heap1 MB; lease age p50 ${p50a}s max ${maxa}s"

python3 - "$PODS" >"$RUN_DIR/pods.yaml" <<'PY'
import sys
for i in range(int(sys.argv[1])):
    print("---\napiVersion: v1\nkind: Pod\nmetadata: {name: load-%d}\nspec:\n  containers:\n"
          "  - {name: c, image: busybox:1.28, command: [sh, -c, 'i=0; while true; do echo $i; i=$((i+1)); sleep 5; done']}"
          % i)
PY
kubectl apply -f "$RUN_DIR/pods.yaml" >/dev/null
for _ in $(seq 1 120); do
  running=$(kubectl get pods --no-headers 2>/dev/null | awk '$3 == "Running"' | wc -l)
  [ "$running" -ge "$PODS" ] && break
  sleep 2
done
say "$running/$PODS pods Running"
read -r cpu2 heap2 < <(measure)
read -r leases2 p50b maxb < <(lease_ages)
say "with pods: kubelet CPU $cpu2 ms/s; live heap $heap2 MB; lease age p50 ${p50b}s max ${maxb}s"
echo "RESULT nodes=$NODES ready=$ready pods_running=$running cpu_ms_per_s=$cpu1/$cpu2 live_heap_mb=$heap1/$heap2" \
  "lease_age_max_s=$maxa/$maxb"
