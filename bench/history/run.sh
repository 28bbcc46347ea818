#!/usr/bin/env bash
# The cost of positions and history on one instance (issue 15): broadcast and direct throughput, and the
# server's CPU time per delivery, of
#   off       the service just before positions and history landed (commit BENCH_OFF_COMMIT, default 9551c9c^1:
#             main before the merge of issue 15);
#   unbatched positions and history as they landed, before the outbox combined queued pushes into one write
#             (BENCH_UNBATCHED_COMMIT, default 01bf644);
#   on        this checkout with the defaults (1,000 messages, 600 s per stream).
# The two older ones are built from `git archive` into bench/logs/history/<variant>-src.
# The three servers run side by side (core 0), are warmed up first (one discarded measurement of each kind),
# then measured in BENCH_RUNS rounds (default 5), the order of the servers rotating from round to round.
# Each measurement is bench/cluster/PushLatency.java's closed loop (throughput only): a sender keeps at most
# 16 requests not yet delivered to all 16 receivers, BENCH_SECONDS (10) long, client on core 1. The client is
# what limits deliveries/s here (its core is busy, the server's is not), so the server's CPU time per delivery
# during the loop (from /proc, SERVER_PIDS) is the figure that says what the server's work costs.
#   bench/history/run.sh     # results in bench/results/history-throughput.jsonl and .md
# BENCH_LOCK=/path: each measurement holds this lock (flock), for a machine shared with other heavy jobs.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

RUNS="${BENCH_RUNS:-5}"
SECONDS_PER_RUN="${BENCH_SECONDS:-10}"
declare -A COMMIT=([off]="${BENCH_OFF_COMMIT:-9551c9c^1}" [unbatched]="${BENCH_UNBATCHED_COMMIT:-01bf644}")
OUT="$RESULTS/history-throughput.jsonl"
: > "$OUT"

for variant in off unbatched; do
    rm -rf "$LOGS/$variant-src" && mkdir -p "$LOGS/$variant-src"
    git -C "$ROOT" archive "${COMMIT[$variant]}" | tar -x -C "$LOGS/$variant-src"
    (cd "$LOGS/$variant-src" && ./mvnw -q -B -DskipTests package)
done

pids=()
trap 'for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done' EXIT
declare -A PORT=([off]=3211 [unbatched]=3212 [on]=3213)
declare -A PID=()

start() { # variant jar [VAR=value...]
    local variant="$1" jar="$2"
    shift 2
    env "${common[@]}" PORT="${PORT[$variant]}" "$@" \
        taskset -c 0 "$JAVA_HOME/bin/java" "@$ROOT/bench/config/ours.jvm" -jar "$jar" > "$LOGS/server-$variant.log" 2>&1 &
    pids+=($!)
    PID[$variant]=$!
    await_ready "${PORT[$variant]}" "$variant"
}

measure() { # variant kind run
    local url="http://127.0.0.1:${PORT[$1]}"
    SERVER_PIDS="${PID[$1]}" locked taskset -c 1 "$JAVA_HOME/bin/java" "$ROOT/bench/cluster/PushLatency.java" "$url" "$url" "$2" 1 "$SECONDS_PER_RUN" 16 throughput \
        | sed "s/^{/{\"variant\":\"$1\",\"run\":$3,/" >> "$OUT"
}

start off "$LOGS/off-src/target/realtime-service.jar"
start unbatched "$LOGS/unbatched-src/target/realtime-service.jar"
start on "$ROOT/target/realtime-service.jar"

variants=(off unbatched on)
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
