# Shared by kemu's scripts. Sourced, not run.

KEMU_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
KEMU_CP="$KEMU_ROOT/cluster-conf/target/classes:$KEMU_ROOT/cluster-conf/target/lib/*"
# JIT and GC of every kemu JVM. A cluster is many JVMs sharing a few cores for minutes: C2 compile threads took
# 35-50 % of each JVM's CPU in bench-scheduler.sh and never paid back within a run, and G1's concurrent work cost
# more than ParallelGC's pauses; C1 only + ParallelGC gave 1.7-2x more pods/s (README, "Performance").
# Set KEMU_JVM_DEFAULTS="-XX:+UseG1GC" (or anything else) to replace them, e.g. for runs of hours.
KEMU_JVM_DEFAULTS=${KEMU_JVM_DEFAULTS-"-XX:+UseParallelGC -XX:TieredStopAtLevel=1"}

die() {
  echo "kemu: $*" >&2
  exit 1
}

say() {
  echo "kemu: $*"
}

require_java() {
  command -v java >/dev/null 2>&1 || die "Java 17 or newer is required, but 'java' is not on the PATH"
  local v
  v=$(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
  [ -n "$v" ] || die "cannot tell the Java version of $(command -v java)"
  [ "${v%%.*}" -ge 17 ] 2>/dev/null || die "Java 17 or newer is required, found Java $v at $(command -v java)"
}

# 0 if something listens on 127.0.0.1:$1
port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# 0 if pid $1 is alive and is a kemu JVM (not a recycled pid of something else)
is_kemu_pid() {
  local pid=$1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'io.kemu.conf.Kemu'
}

# Builds the launcher and its libraries when they are missing or older than a source file. The launcher's jar,
# which Maven packages last, marks the build. KEMU_NO_BUILD=1 skips the check (tests run inside a Maven build).
build_if_needed() {
  [ "${KEMU_NO_BUILD:-0}" = 1 ] && return 0
  local marker
  marker=$(ls "$KEMU_ROOT"/cluster-conf/target/cluster-conf-*.jar 2>/dev/null | head -n 1)
  if [ -n "$marker" ] && [ -d "$KEMU_ROOT/cluster-conf/target/lib" ] \
      && [ -z "$(find "$KEMU_ROOT" -path "$KEMU_ROOT/run" -prune -o -path '*/src/main/*' -type f \
           -newer "$marker" -print -quit 2>/dev/null)" ] \
      && [ -z "$(find "$KEMU_ROOT" -maxdepth 2 -name pom.xml -newer "$marker" -print -quit)" ]; then
    return 0
  fi
  command -v mvn >/dev/null 2>&1 || die "the build is missing or outdated and Maven ('mvn') is not on the PATH"
  say "building kemu (mvn package, tests skipped; the first build downloads dependencies)..."
  (cd "$KEMU_ROOT" && mvn -B -q -DskipTests package) || die "the build failed (see the Maven output above)"
}
