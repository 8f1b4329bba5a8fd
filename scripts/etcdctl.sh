#!/usr/bin/env bash
# etcdctl for kemu's etcd-store: joins the running cluster as a client node and runs one command.
#   scripts/etcdctl.sh get /registry/pods --prefix --keys-only
#   scripts/etcdctl.sh put /foo bar | del /foo | watch /registry/ --prefix --rev 1 | compact 100 | status -w table
# The store is found through the cluster; --endpoints host:port names a member to join (default: the etcd
# JVM that cluster-up.sh starts, 127.0.0.1:25520, or $KEMU_ETCD_ENDPOINTS).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require_java
build_if_needed
RUN_DIR="${KEMU_RUN_DIR:-$KEMU_ROOT/run}"
mkdir -p "$RUN_DIR/logs"
# Global flags (--endpoints, -w…) may come before or after the command, as with etcdctl.
exec java -Xms32m -Xmx256m -XX:TieredStopAtLevel=1 -Dkemu.log.file="$RUN_DIR/logs/etcdctl.log" \
  -Dslf4j.internal.verbosity=ERROR -cp "$KEMU_CP" io.kemu.conf.Kemu etcdctl "$@"
