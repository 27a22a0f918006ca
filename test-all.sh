#!/usr/bin/env bash
# Every test, as the README's second command and CI (.ci/run) run them:
#  1. the whole build with every test, on the JDK Maven runs with (JAVA_HOME; 17, the baseline),
#     installing the artifacts into the local Maven repository;
#  2. the sample user project (samples/hello-flin, outside the build) against what step 1 installed;
#  3. when a second JDK is found (FLIN_SECOND_JDK, else a Temurin 25 under /usr/lib/jvm): the
#     library modules and the conformance kit compiled (Error Prone, NullAway, -Werror) and tested
#     again on it, then the sample. Javadoc runs on the first JDK only: JDK 25's doclint adds a
#     "no main description" warning for the house style's bare "@return ..." comments (the same
#     style Error Prone's MissingSummary, off in the pom, objects to). The todo service, runtime-http's socket suites (and the kit's HTTP suites) and the
#     benchmarks run on the first JDK only, to keep the whole inside CI's time budget; so do the
#     model checks and the kit's run against its faulty runtimes (.ci/second-jdk-excludes lists
#     them): they check our algorithms and the kit's power to catch faults, neither of which
#     changes with the JDK.
# The faulty-runtime matrix stops each faulty runtime at its first failed check (maxFailures=1): it
# asserts that every one is caught by a REQUIRED rule, which one failure shows; the richer matrix
# (up to 5 failed rules each, twice the time) is `./mvnw -B test -pl conformance-tests
# -Dtest=FaultyRuntimeMatrixTest`.
set -euo pipefail
cd "$(dirname "$0")"

./mvnw -B install -Dflin.faulty.maxFailures=1
./mvnw -B -f samples/hello-flin/pom.xml verify

second="${FLIN_SECOND_JDK:-}"
if [[ -z "$second" ]]; then
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25*; do
    if [[ -x "$candidate/bin/java" ]]; then
      second="$candidate"
      break
    fi
  done
fi
if [[ -z "$second" || ! -x "$second/bin/java" ]]; then
  echo "No second JDK found (set FLIN_SECOND_JDK to one, e.g. a JDK 25): tested on one JDK only." >&2
  exit 0
fi
echo "== the second JDK: $second"
JAVA_HOME="$second" ./mvnw -B -v | grep -E "^(Apache Maven|Java version)"
JAVA_HOME="$second" ./mvnw -B verify \
  -pl runtime-api,runtime-core,runtime-flow,runtime-testkit,runtime-micrometer,examples,conformance-tests \
  -Dsurefire.excludesFile="$PWD/.ci/second-jdk-excludes" -Dmaven.javadoc.skip=true
JAVA_HOME="$second" ./mvnw -B -f samples/hello-flin/pom.xml verify
