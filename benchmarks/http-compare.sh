#!/usr/bin/env bash
# Compares two builds of the HTTP load server in one run: the hello route served by each build,
# alternating old and new each round (ROUNDS, default 4; SECS per wrk run, default 10), the server
# pinned to CPU 0 and wrk to CPU 1, per-request, pool and event-loop modes. Prints one line per run:
#   <old|new> <agent|pool|loop> <requests/s>
# Build the old jar in a worktree: git worktree add ../old REV && (cd ../old && ./mvnw -q package -DskipTests -pl benchmarks -am)
# (a REV older than the Maven wrapper has no ./mvnw: run this checkout's, by its path, in ../old)
set -u
OLD=${1:?usage: http-compare.sh OLD_BENCHMARKS_JAR NEW_BENCHMARKS_JAR}
NEW=${2:?usage: http-compare.sh OLD_BENCHMARKS_JAR NEW_BENCHMARKS_JAR}
ROUNDS=${ROUNDS:-4}; SECS=${SECS:-10}
run() { # jar label
  local jar=$1 label=$2 fifo=/tmp/ls.$$.in
  rm -f $fifo; mkfifo $fifo
  taskset -c 0 java -cp $jar dev.flin.bench.http.LoadServer < $fifo > /tmp/ls.$$.out 2>/dev/null &
  local pid=$!
  exec 7>$fifo
  for i in $(seq 1 100); do grep -q "^ports" /tmp/ls.$$.out && break; sleep 0.2; done
  local line; line=$(grep "^ports" /tmp/ls.$$.out)
  for mode in agent pool loop; do
    local port; port=$(echo "$line" | sed -E "s/.* $mode=([0-9]+).*/\1/")
    taskset -c 1 wrk -t1 -c64 -d2s http://127.0.0.1:$port/hello >/dev/null 2>&1   # warm-up
    local rps; rps=$(taskset -c 1 wrk -t1 -c64 -d${SECS}s http://127.0.0.1:$port/hello 2>/dev/null | awk '/Requests\/sec/ {print $2}')
    echo "$label $mode $rps"
  done
  exec 7>&-
  wait $pid 2>/dev/null
  rm -f $fifo /tmp/ls.$$.out
}
for r in $(seq 1 $ROUNDS); do
  if (( r % 2 )); then run $OLD old; run $NEW new; else run $NEW new; run $OLD old; fi
done
