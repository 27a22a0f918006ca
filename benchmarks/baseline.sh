#!/usr/bin/env bash
# The one command for the FLIN performance baseline report.
#
#   bash benchmarks/baseline.sh [options]
#   JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 bash benchmarks/baseline.sh [options]
#
# Builds the benchmarks with the JDK in JAVA_HOME (or the default one), then runs
# dev.flin.bench.report.BaselineReport with that same JDK, from the repository root, wherever it is
# called from. The report goes to docs/baseline/<yyyy-MM-dd>-jdk<feature>.{md,json} and charts to
# docs/baseline/<yyyy-MM-dd>-jdk<feature>/ unless --out says otherwise.
#
# Options (passed to the report):
#   --out <dir>                 where the report goes (default docs/baseline)
#   --forks <n>                 forked JVMs per trial, their iterations pooled into one score (default 3)
#   --warmup-iterations <n>     warm-up iterations per fork (default 2)
#   --iterations <n>            measurement iterations per fork (default 5)
#   --time <seconds>            seconds per iteration (default 1)
#   --include <regex>           only the scenarios whose name matches; IdleFootprint is the footprint step
#   --systems <id,id>           only these systems (flin-backoff, flin-yielding, flin-busyspin,
#                               flin-parking, pekko, threads, vthreads, disruptor)
#   --estimate                  print what would run and how long it would take, then stop
#
# Duration: every trial (scenario x system x parameters) runs --forks JVMs of
# (warm-up + measurement iterations) x --time seconds plus ~3 s of start-up each, and the footprint
# step ~20 s per system. With the defaults that is about 40 minutes on 2 cores on JDK 17 (78 trials
# x 3 forks x 10 s + 1 min) and 46 minutes on JDK 21+ (90 trials, virtual threads too). The report
# prints its estimate for the options given when it starts, and the Markdown records it.
#
# Two runs of the same commit should agree within 15% on every headline ratio (issue 13): write the
# second elsewhere and compare the JSON files with benchmarks/compare-baselines.sh:
#   bash benchmarks/baseline.sh && bash benchmarks/baseline.sh --out /tmp/baseline-2
#   bash benchmarks/compare-baselines.sh docs/baseline/<date>-jdk17.json /tmp/baseline-2/<date>-jdk17.json
#
# Extra Maven flags (for example -o) can be given in BASELINE_MVN_FLAGS.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if [[ -n "${JAVA_HOME:-}" ]]; then
  java_bin="$JAVA_HOME/bin/java"
  if [[ ! -x "$java_bin" ]]; then
    echo "JAVA_HOME=$JAVA_HOME has no bin/java" >&2
    exit 2
  fi
else
  java_bin="$(command -v java || true)"
  if [[ -z "$java_bin" ]]; then
    echo "no java on the PATH and no JAVA_HOME" >&2
    exit 2
  fi
fi

echo "Building the benchmarks with $("$java_bin" -version 2>&1 | head -n 1) ..."
# shellcheck disable=SC2086 # BASELINE_MVN_FLAGS is a list of flags
./mvnw -B -q -DskipTests ${BASELINE_MVN_FLAGS:-} package -pl benchmarks -am

echo "Running the baseline report ..."
exec "$java_bin" -Djava.awt.headless=true -cp benchmarks/target/benchmarks.jar \
  dev.flin.bench.report.BaselineReport "$@"
