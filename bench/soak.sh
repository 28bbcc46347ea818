#!/usr/bin/env bash
# Soak: can a server hold many connections under steady traffic without its memory creeping up or
# messages going missing? For each server, on a FRESH process (pinned to core 0; load client on core 1):
# open 10,000 authenticated connections (64 handshakes at a time), hold them BENCH_SOAK_SECONDS (default
# 120) while 2,000 echo requests per second (32 B) flow open loop, round-robin over ALL of them (each
# connection gets one every 5 s), and read the server's RSS every second. Reports messages
# sent/received/lost (lost: no reply 5 s after the end), latency p50/p99/p99.9/max from each request's
# intended send time, RSS at the start of the hold, peak and end, and the RSS slope over the second half
# (least squares, MiB/min): start-up, connection set-up and JIT growth are over by then, so a steady
# climb there is memory that grows with traffic.
#
#   bench/soak.sh                 # BENCH_SERVERS (default: ours reference tutorial), BENCH_SOAK_RUNS (1) each
#   BENCH_QUICK=1 bench/soak.sh   # 2,000 connections for 20 s
#
# Results: soak.jsonl (one JSON object per run, with the RSS samples) and soak.md in BENCH_SOAK_RESULTS
# (default bench/results; quick: bench/logs/quick). run.sh calls this at its end unless BENCH_SOAK=0;
# it needs what run.sh builds.
set -euo pipefail

# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
LOGS="$BENCH/logs"
if [[ "${BENCH_QUICK:-0}" == 1 ]]; then
    CONNECTIONS=2000 SECONDS_HELD="${BENCH_SOAK_SECONDS:-20}" RESULTS="${BENCH_SOAK_RESULTS:-$LOGS/quick}"
else
    CONNECTIONS=10000 SECONDS_HELD="${BENCH_SOAK_SECONDS:-120}" RESULTS="${BENCH_SOAK_RESULTS:-$BENCH/results}"
fi
RATE=2000
# As in run.sh: extra JVM flags for our server (BENCH_OURS_JAVA_OPTS), e.g. a GC log.
read -r -a OURS_JAVA_OPTS <<< "${BENCH_OURS_JAVA_OPTS:-}"
RUNS="${BENCH_SOAK_RUNS:-1}"
SERVERS="${BENCH_SERVERS:-ours reference tutorial}"
PORT=3131
mkdir -p "$RESULTS" "$LOGS"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

PID=
trap 'stop_server "$PID"' EXIT

: > "$RESULTS/soak.jsonl"
: > "$LOGS/soak-client.log"
for run in $(seq 1 "$RUNS"); do
    for server in $SERVERS; do
        start_server_named "$server" "$PORT" 0 "$LOGS/soak-" ${OURS_JAVA_OPTS[@]+"${OURS_JAVA_OPTS[@]}"}
        PID=$!
        client_protocol "$server"
        wait_ready "$PORT" "$PID"
        sleep 2 # let the start-up settle before the fresh RSS
        log "soak: $server run $run (pid $PID), $CONNECTIONS connections, $RATE msg/s for ${SECONDS_HELD}s"
        # bounded twice: the scenario's own deadlines (open 120 s, hold, 5 s grace, 10 s close) and this timeout
        timeout $((SECONDS_HELD + 300)) taskset -c 1 "$JAVA_HOME/bin/java" -Xms1g -Xmx1g -jar "$BENCH/load/target/realtime-load.jar" \
            --url "http://127.0.0.1:$PORT" --user "$BENCH_USER" --password "$BENCH_PASSWORD" --server-name "$server" \
            --server-pid "$PID" "${CLIENT_PROTOCOL[@]}" --out "$RESULTS/soak.raw.jsonl.tmp" --runs 1 --jit-warmup 0 \
            --scenarios soak --soak-connections "$CONNECTIONS" --connect-concurrency 64 --soak-rate "$RATE" \
            --soak-duration "$SECONDS_HELD" >> "$LOGS/soak-client.log" 2>&1 || log "client failed (see $LOGS/soak-client.log)"
        sed "s/\"run\":1,/\"run\":$run,/" "$RESULTS/soak.raw.jsonl.tmp" >> "$RESULTS/soak.jsonl" 2>/dev/null || true
        rm -f "$RESULTS/soak.raw.jsonl.tmp"
        stop_server "$PID"
        PID=
    done
done

node -e '
  const fs = require("fs");
  const rows = fs.readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean).map(JSON.parse);
  const n = (x, d = 1) => (typeof x === "number" ? x.toLocaleString("en-US", { maximumFractionDigits: d }) : "–");
  const out = [
    "| server | run | connections open at the end | open, s | sent | received | lost | p50 ms | p99 ms | p99.9 ms | max ms | RSS fresh / start / peak / end, MiB | RSS slope, 2nd half, MiB/min | server CPU % | CPU µs/msg | failures |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (const r of rows) {
    const rss = [r.rss_fresh_mib, r.rss_start_mib, r.rss_peak_mib, r.rss_end_mib].map((x) => n(x)).join(" / ");
    out.push(`| ${r.server} | ${r.run} | ${n(r.open_at_end, 0)} of ${n(r.connections, 0)} | ${n(r.open_s, 2)} | ${n(r.sent, 0)} | ${n(r.replies, 0)} | ${n(r.lost, 0)} | ${n(r.p50_ms, 3)} | ${n(r.p99_ms, 3)} | ${n(r.p999_ms, 3)} | ${n(r.max_ms, 3)} | ${rss} | ${n(r.rss_slope_mib_per_min, 2)} | ${n(r.server_cpu_pct)} | ${n(r.server_cpu_us_per_msg)} | ${r.failures || 0}${r.error ? " (" + r.error + ")" : ""} |`);
  }
  const r0 = rows[0] || {};
  out.push("", `${n(r0.rate_per_s, 0)} echo requests/s of 32 B, open loop, round-robin over all the connections, held ${n(r0.measured_s, 0)} s on a fresh process each; latency from the intended send time of each request; lost = no reply 5 s after the end; RSS read every second (start: first sample of the hold, after all connections opened).`);
  fs.writeFileSync(process.argv[2], out.join("\n") + "\n");
  console.log(out.join("\n"));
' "$RESULTS/soak.jsonl" "$RESULTS/soak.md"
