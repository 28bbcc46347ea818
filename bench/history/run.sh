#!/usr/bin/env bash
# The cost of positions and history on one instance (issue 15): broadcast and direct throughput of
#   off   the service just before positions and history landed (commit BENCH_OFF_COMMIT, default 9551c9c^1:
#         main before the merge of issue 15), built from `git archive` into bench/logs/history/off-src;
#   min   this checkout with HISTORY_SIZE=1 (positions, locks and the ack path as with history, one message kept
#         per stream: HISTORY_SIZE=0 is refused at start);
#   on    this checkout with the defaults (1,000 messages, 600 s per stream).
# The three servers run side by side (core 0), are warmed up first (one discarded measurement of each kind),
# then measured in BENCH_RUNS rounds (default 5), the order of the servers rotating from round to round.
# Each measurement is bench/cluster/PushLatency.java's closed loop (throughput only): a sender keeps at most
# 16 requests not yet delivered to all 16 receivers, BENCH_SECONDS (10) long, client on core 1.
#   bench/history/run.sh     # results in bench/results/history-throughput.jsonl and .md
# BENCH_LOCK=/path: each measurement holds this lock (flock), for a machine shared with other heavy jobs.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

RUNS="${BENCH_RUNS:-5}"
SECONDS_PER_RUN="${BENCH_SECONDS:-10}"
OFF_COMMIT="${BENCH_OFF_COMMIT:-9551c9c^1}"
OUT="$RESULTS/history-throughput.jsonl"
: > "$OUT"

rm -rf "$LOGS/off-src" && mkdir -p "$LOGS/off-src"
git -C "$ROOT" archive "$OFF_COMMIT" | tar -x -C "$LOGS/off-src"
(cd "$LOGS/off-src" && ./mvnw -q -B -DskipTests package)

pids=()
trap 'for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done' EXIT
declare -A PORT=([off]=3211 [min]=3212 [on]=3213)

start() { # variant jar [VAR=value...]
    local variant="$1" jar="$2"
    shift 2
    env "${common[@]}" PORT="${PORT[$variant]}" "$@" \
        taskset -c 0 "$JAVA_HOME/bin/java" "@$ROOT/bench/config/ours.jvm" -jar "$jar" > "$LOGS/server-$variant.log" 2>&1 &
    pids+=($!)
    await_ready "${PORT[$variant]}" "$variant"
}

measure() { # variant kind run
    local url="http://127.0.0.1:${PORT[$1]}"
    locked taskset -c 1 "$JAVA_HOME/bin/java" "$ROOT/bench/cluster/PushLatency.java" "$url" "$url" "$2" 1 "$SECONDS_PER_RUN" 16 throughput \
        | sed "s/^{/{\"variant\":\"$1\",\"run\":$3,/" >> "$OUT"
}

start off "$LOGS/off-src/target/realtime-service.jar"
start min "$ROOT/target/realtime-service.jar" HISTORY_SIZE=1
start on "$ROOT/target/realtime-service.jar"

variants=(off min on)
for run in $(seq 0 "$RUNS"); do # round 0 warms the JVMs up and is not reported
    for i in 0 1 2; do
        variant="${variants[$(( (i + run) % 3 ))]}"
        for kind in broadcast direct; do
            measure "$variant" "$kind" "$run"
        done
    done
    echo "round $run done"
done

node "$ROOT/bench/history/report.js" "$OUT" > "$RESULTS/history-throughput.md"
cat "$RESULTS/history-throughput.md"
