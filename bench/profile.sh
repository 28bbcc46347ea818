#!/usr/bin/env bash
# Where realtime-service is behind the reference: profiles and experiments (run after bench/run.sh,
# which builds everything). Our server runs pinned to core 0 as in run.sh, the load client on core 1.
#
#   bench/profile.sh [case ...]    # cases: echo-64k echo-64k-256 echo-32b-1 echo-32b-256 login handshake idle-open
#                                  # idle-heap nodelay (default: all but echo-32b-256 and echo-64k-256)
#
# JFR cases: the server is started without flags, warmed up by the load client (20 s), then
# `jcmd <pid> JFR.start settings=profile` (+ the CPU-time sampler) records only the measured scenario. Summaries (hot methods by
# area, self and total; allocation by class; GC) go to bench/results/profile/<case>.txt, the .jfr files
# to bench/logs/profile/. idle-heap: heap and class histogram with 10,000 idle connections open.
# nodelay: the open-loop latency (one message at a time, and two back to back on a connection) and the
# small-message echo with the production default (TCP_NODELAY off) and with
# -Dserver.connection-options.tcp-no-delay=true (configuration only, same jar).
set -euo pipefail

# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
PORT=3111
OUT="$BENCH/results/profile"
JFRS="$BENCH/logs/profile"
mkdir -p "$OUT" "$JFRS"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
CLIENT=(taskset -c 1 "$JAVA_HOME/bin/java" -Xms1g -Xmx1g -jar "$BENCH/load/target/realtime-load.jar"
        --url "http://127.0.0.1:$PORT" --user bench --password bench-password --server-name ours)

SERVER_PID=
start_server() { # extra JVM flags...
    start_ours "$PORT" 0 "$JFRS/server.log" "$@"
    SERVER_PID=$!
    wait_ready "$PORT" "$SERVER_PID"
}
trap 'stop_server "$SERVER_PID"' EXIT

jfr_case() { # name, client args for the measured part...
    local name="$1"; shift
    log "profile $name"
    start_server
    "${CLIENT[@]}" --server-pid "$SERVER_PID" --out "$JFRS/$name-warmup.jsonl" --runs 0 --jit-warmup 20 > "$JFRS/$name-client.log" 2>&1
    # settings=profile, plus JDK 25's CPU-time sampler (JEP 509, Linux): it also counts time spent in system calls
    taskset -c 1 jcmd "$SERVER_PID" JFR.start name=bench settings=profile filename="$JFRS/$name.jfr" \
        jdk.CPUTimeSample#enabled=true jdk.CPUTimeSample#throttle=1ms > /dev/null
    : > "$JFRS/$name.jsonl"
    "${CLIENT[@]}" --server-pid "$SERVER_PID" --out "$JFRS/$name.jsonl" --runs 1 --jit-warmup 0 "$@" >> "$JFRS/$name-client.log" 2>&1
    taskset -c 1 jcmd "$SERVER_PID" JFR.stop name=bench > /dev/null
    stop_server "$SERVER_PID"
    {
        echo "# $name: JFR (settings=profile) of realtime-service pinned to one core, during:"
        echo "#   load client $*"
        echo "# measurement while recording (JFR adds some overhead):"
        sed 's/^/#   /' "$JFRS/$name.jsonl"
        echo
        echo "## CPU-time samples (jdk.CPUTimeSample: on-CPU time, Java and native, system calls included)"
        jfr print --json --events jdk.CPUTimeSample "$JFRS/$name.jfr" | node "$BENCH/jfr-top.js" 30
        echo
        echo "## Execution samples (jdk.ExecutionSample: threads running Java code)"
        jfr print --json --events jdk.ExecutionSample "$JFRS/$name.jfr" | node "$BENCH/jfr-top.js" 30
        echo
        echo "## jfr view allocation-by-class"
        jfr view --width 160 allocation-by-class "$JFRS/$name.jfr" | head -25
        echo
        echo "## jfr view gc-pauses, gc (first lines), heap"
        jfr view --width 160 gc-pauses "$JFRS/$name.jfr" | head -12
        jfr view --width 160 gc "$JFRS/$name.jfr" | head -14
        # a recording without a GC (a login profile makes little garbage) has no heap summary: not a failure
        jfr print --events jdk.GCHeapSummary "$JFRS/$name.jfr" | { grep -E 'heapUsed|committedSize' || true; } | tail -4
        echo "## server RSS when the recording stopped: see server_rss_mib above"
    } > "$OUT/$name.txt" 2>&1
    log "  -> $OUT/$name.txt"
}

idle_heap() {
    log "profile idle-heap"
    start_server
    "${CLIENT[@]}" --server-pid "$SERVER_PID" --out "$JFRS/idle-heap-warmup.jsonl" --runs 0 --jit-warmup 20 > "$JFRS/idle-heap-client.log" 2>&1
    local before
    before="$(taskset -c 1 jcmd "$SERVER_PID" GC.heap_info 2>&1)"
    local rss_before
    rss_before="$(grep VmRSS /proc/$SERVER_PID/status)"
    "${CLIENT[@]}" --server-pid "$SERVER_PID" --out "$JFRS/idle-heap.jsonl" --runs 1 --jit-warmup 0 --scenarios idle \
        --idle-connections 10000 --idle-settle 25 >> "$JFRS/idle-heap-client.log" 2>&1 &
    local client=$!
    # wait (bounded) until the 10,000 connections are established, then look at the heap
    for _ in $(seq 1 120); do
        n="$(ss -Htn state established "( sport = :$PORT )" | wc -l)"
        (( n >= 10000 )) && break
        sleep 0.5
    done
    sleep 3
    {
        echo "# idle-heap: realtime-service after the JIT warm-up, then with $n idle WebSocket connections open"
        echo "## before: $rss_before"
        echo "$before"
        echo "## with the connections open: $(grep VmRSS /proc/$SERVER_PID/status), threads $(grep Threads /proc/$SERVER_PID/status | awk '{print $2}')"
        taskset -c 1 jcmd "$SERVER_PID" GC.heap_info
        echo "## after a full GC (jcmd GC.run), connections still open"
        taskset -c 1 jcmd "$SERVER_PID" GC.run > /dev/null
        echo "$(grep VmRSS /proc/$SERVER_PID/status)"
        taskset -c 1 jcmd "$SERVER_PID" GC.heap_info
        echo "## class histogram (live objects), top 30"
        taskset -c 1 jcmd "$SERVER_PID" GC.class_histogram | head -33
        echo "## native memory (VM.native_memory needs -XX:NativeMemoryTracking; not enabled: production flags)"
    } > "$OUT/idle-heap.txt" 2>&1
    wait "$client" || true
    sed 's/^/# /' "$JFRS/idle-heap.jsonl" >> "$OUT/idle-heap.txt"
    stop_server "$SERVER_PID"
    log "  -> $OUT/idle-heap.txt"
}

nodelay() {
    log "experiment nodelay"
    : > "$JFRS/nodelay.jsonl"
    for variant in default nodelay; do
        if [[ $variant == nodelay ]]; then start_server -Dserver.connection-options.tcp-no-delay=true; else start_server; fi
        "${CLIENT[@]}" --server-name "ours-$variant" --server-pid "$SERVER_PID" --out "$JFRS/nodelay.jsonl" \
            --runs 2 --jit-warmup 20 --scenarios echo,latency --echo-sizes 32 --echo-connections 1,64 \
            --echo-warmup 1 --echo-duration 5 --latency-bursts 1,2 --latency-duration 10 > "$JFRS/nodelay-client.log" 2>&1
        stop_server "$SERVER_PID"
    done
    {
        echo "# nodelay: realtime-service with the production default (Helidon: server.connection-options.tcp-no-delay=false)"
        echo "# and with -Dserver.connection-options.tcp-no-delay=true (configuration only, same jar); 2 runs each, run 0 = warm-up"
        grep -v '"run":0' "$JFRS/nodelay.jsonl" | node -e '
          const rows = require("fs").readFileSync(0, "utf8").trim().split("\n").map(JSON.parse);
          for (const r of rows) {
            const what = r.scenario === "echo" ? `echo ${r.payload_bytes} B x ${r.connections}: ${r.msgs_per_s} msg/s, server CPU ${r.server_cpu_pct}%`
              : r.scenario === "latency" ? `latency 2000/s x 64${r.burst ? `, ${r.burst} at a time` : ""}: p50 ${r.p50_ms} ms, p90 ${r.p90_ms}, p99 ${r.p99_ms}, p99.9 ${r.p999_ms}, max ${r.max_ms} (client max send lag ${r.client_max_send_lag_ms} ms)`
              : JSON.stringify(r);
            console.log(`${r.server.padEnd(13)} run ${r.run}  ${what}`);
          }'
    } > "$OUT/nodelay.txt"
    log "  -> $OUT/nodelay.txt"
}

cases=("$@")
(( ${#cases[@]} )) || cases=(echo-64k echo-32b-1 login handshake idle-open idle-heap nodelay)
for c in "${cases[@]}"; do
    case "$c" in
    echo-64k)   jfr_case echo-64k --scenarios echo --echo-sizes 65536 --echo-connections 16 --echo-warmup 1 --echo-duration 15 ;;
    echo-32b-1) jfr_case echo-32b-1 --scenarios echo --echo-sizes 32 --echo-connections 1 --echo-warmup 1 --echo-duration 15 ;;
    echo-32b-256) jfr_case echo-32b-256 --scenarios echo --echo-sizes 32 --echo-connections 256 --echo-warmup 1 --echo-duration 15 ;;
    echo-64k-256) jfr_case echo-64k-256 --scenarios echo --echo-sizes 65536 --echo-connections 256 --echo-warmup 1 --echo-duration 30 ;;
    login)      jfr_case login --scenarios login --login-duration 15 ;;
    handshake)  jfr_case handshake --scenarios handshake --handshake-duration 15 ;;
    idle-open)  jfr_case idle-open --scenarios idle --idle-connections 10000 --idle-settle 1 ;;
    idle-heap)  idle_heap ;;
    nodelay)    nodelay ;;
    *) log "unknown case $c"; exit 2 ;;
    esac
done
