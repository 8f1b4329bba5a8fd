#!/usr/bin/env bash
# Benchmarks kemu's etcd-store against real etcd 3.4 on this machine, with equal durability (fsync on both):
# puts of 256-byte values from 1, 16 and 256 concurrent clients, ranges of 1,000 keys, and a watch fan-out of
# 1,000 watchers on one prefix while writing. Installs Debian's etcd-server if it is missing. Starts a kemu store
# JVM and an etcd on loopback, each with a temporary data directory, runs one client JVM against both, prints the
# figures and, last, "RESULT put256_ratio=… p99_ratio=…". Stops every process it started.
#   scripts/bench-store.sh [--duration S] [--warmup S] [--workloads put-1,put-16,put-256,range-1000,watch-1000]
#                          [--only kemu|etcd] [--keep-data]
# KEMU_STORE_JAVA_OPTS adds JVM options to the kemu store (e.g. a Flight Recorder recording to profile it).
# A benchmark, not a test: nothing here asserts a figure.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

BENCH_ARGS=()
KEEP=0
ONLY=""
while [ $# -gt 0 ]; do
  case "$1" in
    --duration|--warmup|--workloads|--watch-puts) BENCH_ARGS+=("$1" "$2"); shift 2 ;;
    --keep-data) KEEP=1; shift ;;
    --only) ONLY=$2; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option: $1" ;;
  esac
done

require_java
if ! command -v etcd >/dev/null 2>&1; then
  say "installing Debian's etcd-server (real etcd to compare with)..."
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq etcd-server >/dev/null \
    || die "could not install etcd-server with apt-get"
fi
ETCD_BIN=$(command -v etcd)
ETCD_VERSION=$("$ETCD_BIN" --version 2>/dev/null | awk '/etcd Version/ {print $3}')
build_if_needed
BENCH_CP="$KEMU_ROOT/bench/target/classes:$KEMU_ROOT/bench/target/lib/*"
[ -d "$KEMU_ROOT/bench/target/lib" ] || (cd "$KEMU_ROOT" && mvn -B -q -DskipTests package -pl bench -am) \
  || die "could not build the bench module"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/kemu-bench.XXXXXX")
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  if [ "$KEEP" = 1 ]; then say "data kept in $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT INT TERM

STORE_PORT=$(free_port)
ETCD_PORT=$(free_port)
ETCD_PEER_PORT=$(free_port)
mkdir -p "$TMP/logs"

say "starting kemu's etcd-store (fsync on) on 127.0.0.1:$STORE_PORT, data in $TMP/kemu"
java -Xms1g -Xmx1g -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError -Dkemu.log.file="$TMP/logs/kemu-store.log" \
  -Dslf4j.internal.verbosity=ERROR ${KEMU_STORE_JAVA_OPTS:-} -cp "$KEMU_CP" io.kemu.conf.Kemu run --role etcd \
  --port "$STORE_PORT" --seed "127.0.0.1:$STORE_PORT" --run-dir "$TMP" --data-dir "$TMP/kemu" \
  >"$TMP/logs/kemu-store.out" 2>&1 &
PIDS+=($!)
KEMU_PID=$!

say "starting etcd $ETCD_VERSION (fsync on, the default) on 127.0.0.1:$ETCD_PORT, data in $TMP/etcd"
"$ETCD_BIN" --name bench --data-dir "$TMP/etcd" \
  --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
  --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
  --initial-cluster "bench=http://127.0.0.1:$ETCD_PEER_PORT" --quota-backend-bytes $((8 * 1024 * 1024 * 1024)) \
  --log-level warn >"$TMP/logs/etcd.log" 2>&1 &
PIDS+=($!)
ETCD_PID=$!

for _ in $(seq 1 300); do
  (exec 3<>"/dev/tcp/127.0.0.1/$ETCD_PORT") 2>/dev/null && break
  kill -0 "$ETCD_PID" 2>/dev/null || { tail -20 "$TMP/logs/etcd.log" >&2; die "etcd died while starting"; }
  sleep 0.1
done
for _ in $(seq 1 600); do
  grep -q "etcd-store recovered" "$TMP/logs/kemu-store.log" 2>/dev/null && break
  kill -0 "$KEMU_PID" 2>/dev/null || { tail -20 "$TMP/logs/kemu-store.log" >&2; die "the kemu store died while starting"; }
  sleep 0.1
done

say "running the workloads (each store in turn; progress every 2 s)"
java -Xms1g -Xmx2g -XX:+UseG1GC -Dkemu.log.file="$TMP/logs/bench-client.log" -Dslf4j.internal.verbosity=ERROR \
  -cp "$BENCH_CP" io.kemu.bench.BenchStore --kemu "$([ "$ONLY" = etcd ] || echo "127.0.0.1:$STORE_PORT")" \
  --etcd "$([ "$ONLY" = kemu ] || echo "http://127.0.0.1:$ETCD_PORT")" \
  --out "$KEMU_ROOT/run/bench" "${BENCH_ARGS[@]}" &
CLIENT_PID=$!
PIDS+=($CLIENT_PID)
wait $CLIENT_PID
