#!/usr/bin/env bash
# Memory of 10,000 idle authenticated WebSocket connections on a FRESH server process: in run.sh the
# idle scenario comes after the echo scenarios, so our JVM's RSS there is mostly heap that the 64 KiB
# echo made it grow (SerialGC, default max heap = 1/4 of RAM) rather than what the connections cost.
# Here every measurement starts a new server (pinned to core 0), logs in, opens the 10,000
# connections (64 handshakes at a time, load client on core 1), reads VmRSS, closes them, stops it.
#
#   bench/memory.sh        # BENCH_MEMORY_RUNS (default 3) per server; results in bench/results/memory.*
#
# Servers (BENCH_SERVERS, default all three): ours (with the container's heap bound, bench/config/ours.jvm),
# the reference, the tutorial (its fixed token, no welcome: a connection counts once its 101 came).
# run.sh calls this at its end; it needs what run.sh builds.
set -euo pipefail

# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
RUNS="${BENCH_MEMORY_RUNS:-3}"
RESULTS="${BENCH_MEMORY_RESULTS:-$BENCH/results}"
LOGS="$BENCH/logs"
PORT=3121
SERVERS="${BENCH_SERVERS:-ours reference tutorial}"
mkdir -p "$RESULTS" "$LOGS"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

PID=
trap 'stop_server "$PID"' EXIT

: > "$RESULTS/memory.jsonl"
for run in $(seq 1 "$RUNS"); do
    for server in $SERVERS; do
        start_server_named "$server" "$PORT" 0 "$LOGS/memory-"
        PID=$!
        client_protocol "$server"
        wait_ready "$PORT" "$PID"
        sleep 2 # let the start-up settle before the baseline RSS
        log "memory: $server run $run (pid $PID, fresh, RSS $(grep VmRSS /proc/$PID/status | awk '{print $2}') kB)"
        taskset -c 1 "$JAVA_HOME/bin/java" -Xms1g -Xmx1g -jar "$BENCH/load/target/realtime-load.jar" \
            --url "http://127.0.0.1:$PORT" --user bench --password bench-password --server-name "$server" --server-pid "$PID" "${CLIENT_PROTOCOL[@]}" \
            --out "$RESULTS/memory.raw.jsonl.tmp" --runs 1 --jit-warmup 0 --scenarios idle --idle-connections 10000 \
            --idle-concurrency 64 --idle-settle 5 >> "$LOGS/memory-client.log" 2>&1 || log "client failed"
        # run.sh's report counts run 0 as warm-up: renumber so that each fresh process is one run
        sed "s/\"run\":1,/\"run\":$run,/" "$RESULTS/memory.raw.jsonl.tmp" >> "$RESULTS/memory.jsonl"
        rm -f "$RESULTS/memory.raw.jsonl.tmp"
        stop_server "$PID"
        PID=
    done
done
node -e '
  const rows = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
  const by = new Map();
  for (const r of rows) { if (!by.has(r.server)) by.set(r.server, []); by.get(r.server).push(r); }
  const med = (v) => { v = [...v].sort((a, b) => a - b); return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2; };
  const f = (v) => `${med(v)} (${Math.min(...v)}–${Math.max(...v)})`;
  const out = ["| server (fresh process) | opened | RSS before, MiB | RSS with 10,000 open, MiB | growth, MiB | per connection, KiB | time to open, s |", "|---|---:|---:|---:|---:|---:|---:|"];
  for (const [s, rs] of by) out.push(`| ${s} | ${f(rs.map((r) => r.open_after_settle))} | ${f(rs.map((r) => r.rss_before_mib))} | ${f(rs.map((r) => r.rss_after_mib))} | ${f(rs.map((r) => r.rss_delta_mib))} | ${f(rs.map((r) => r.rss_per_conn_kib))} | ${f(rs.map((r) => r.open_s))} |`);
  out.push("", `Median (min–max) of ${Math.max(...[...by.values()].map((v) => v.length))} fresh processes each.`);
  require("fs").writeFileSync(process.argv[2], out.join("\n") + "\n");
  console.log(out.join("\n"));
' "$RESULTS/memory.jsonl" "$RESULTS/memory.md"
