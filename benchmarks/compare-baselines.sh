#!/usr/bin/env bash
# Do two baseline runs of the same commit agree (issue 13: within 15% on every headline ratio)?
#
#   bash benchmarks/compare-baselines.sh [--limit <percent>] [--any-commit] <first.json> <second.json>
#
# Reads two report JSON files written by benchmarks/baseline.sh, judges both with the report's targets
# and prints every headline ratio (each target's figure for each FLIN system) from both runs with their
# relative difference |a - b| / min(a, b), flagging any over the limit (default 15%) and any that only
# one run has. It also compares the machine probes each report took at its start and end (a
# cache-line round trip, one core's speed, two threads' speed-up: MachineProbe). Exit status: 0 all
# agree, 1 some do not on a machine that probed the same, 3 some do not and the machine's probes
# differ by more than the limit (inconclusive: run both again on a quiet machine), 2 cannot compare
# (unreadable files, or two different commits unless --any-commit). Probe the machine on its own
# before a run with: java -cp benchmarks/target/benchmarks.jar dev.flin.bench.report.MachineProbe
#
# Two runs of one commit, the second into another directory so that it does not overwrite the first:
#   bash benchmarks/baseline.sh
#   bash benchmarks/baseline.sh --out /tmp/baseline-2
#   bash benchmarks/compare-baselines.sh docs/baseline/<date>-jdk17.json /tmp/baseline-2/<date>-jdk17.json
#
# Builds the benchmarks first, as baseline.sh does, so that the comparison is the current code's (extra
# Maven flags, for example -o, in BASELINE_MVN_FLAGS); runs with the JDK in JAVA_HOME, or the default java.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

if [[ -n "${JAVA_HOME:-}" ]]; then
  java_bin="$JAVA_HOME/bin/java"
else
  java_bin="$(command -v java || true)"
fi
if [[ -z "$java_bin" || ! -x "$java_bin" ]]; then
  echo "no java: set JAVA_HOME or put java on the PATH" >&2
  exit 2
fi

echo "Building the benchmarks ..." >&2
# shellcheck disable=SC2086 # BASELINE_MVN_FLAGS is a list of flags
(cd "$root" && ./mvnw -B -q -DskipTests ${BASELINE_MVN_FLAGS:-} package -pl benchmarks -am) >&2

exec "$java_bin" -cp "$root/benchmarks/target/benchmarks.jar" dev.flin.bench.report.CompareReports "$@"
