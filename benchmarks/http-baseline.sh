#!/usr/bin/env bash
# The HTTP baseline: wrk against raw Netty and runtime-http in one run, plus the WebSocket fan-out.
#
#   bash benchmarks/http-baseline.sh [--seconds 10] [--rounds 2] [--connections 64] [--ws-clients 100]
#   JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 bash benchmarks/http-baseline.sh
#
# Needs wrk (Debian package `wrk`; installed here if missing and apt-get is usable). Pins the
# server JVM to CPU 0 and wrk plus the WebSocket client to the last CPU when there are two or more.
# Writes docs/baseline/<yyyy-MM-dd>-http-jdk<N>.md. The server runtime's dispatcher can be varied with
# HTTP_BASELINE_JAVA_OPTS="-Dflin.bench.idle=parking -Dflin.bench.workers=1" (defaults: backoff, one worker per core).
#
# With a PostgreSQL it adds the section "Scale-out" (ScaleOutLoad): 1 and 3 todo service nodes on that
# database, each with --bridge postgres --node-name a|b|c, 20 WebSocket clients per node, 4 writers on
# node a; each run on a fresh database, dropped after. Start a throwaway server first:
#
#   eval "$(bash .ci/start-postgres)"; trap 'eval "$FLIN_TEST_PG_STOP"' EXIT
#   bash benchmarks/http-baseline.sh
#
# The section is left out when FLIN_TEST_PG_URL is not set. Its options: --scale-out-clients n,
# --scale-out-writers n, --scale-out-seconds n, --scale-out-node-flags "..." (none for none).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if ! command -v wrk >/dev/null; then
  if command -v apt-get >/dev/null && [[ "$(id -u)" == 0 ]]; then
    apt-get install -y -q wrk >/dev/null
  else
    echo "wrk is not installed: apt-get install wrk" >&2
    exit 2
  fi
fi

java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
echo "Building the benchmarks with $("$java_bin" -version 2>&1 | head -n 1) ..."
# shellcheck disable=SC2086 # BASELINE_MVN_FLAGS is a list of flags
./mvnw -B -q -DskipTests ${BASELINE_MVN_FLAGS:-} package -pl todo-service,benchmarks -am

scale_out=()
if [[ -n "${FLIN_TEST_PG_URL:-}" ]]; then
  scale_out=(--scale-out-jar todo-service/target/todo-service.jar)
fi

cpus="$(nproc)"
if (( cpus >= 2 )) && command -v taskset >/dev/null; then
  export FLIN_BENCH_SERVER_CPUS=0
  export FLIN_BENCH_CLIENT_CPUS=$((cpus - 1))
  exec taskset -c "$FLIN_BENCH_CLIENT_CPUS" "$java_bin" ${HTTP_BASELINE_JAVA_OPTS:-} -cp benchmarks/target/benchmarks.jar \
    dev.flin.bench.http.HttpLoadReport "${scale_out[@]}" "$@"
fi
exec "$java_bin" ${HTTP_BASELINE_JAVA_OPTS:-} -cp benchmarks/target/benchmarks.jar dev.flin.bench.http.HttpLoadReport \
  "${scale_out[@]}" "$@"
