#!/usr/bin/env bash
# Memory per stream at the default bounds (issue 15): a FRESH server fills BENCH_STREAMS (200) user streams
# with 1,000 messages each (HISTORY_SIZE, the default: every stream full; all within HISTORY_TTL_SECONDS),
# by direct messages to users connected nowhere (bench/history/HistoryClient.java's "fill"; payload 84 bytes of JSON).
#   one instance: live heap (the total of jcmd GC.class_histogram, which runs a full GC first) and VmRSS, before and
#                 after, divided by the number of streams;
#   Redis:        one instance with REDIS_URL: Redis's used_memory (INFO memory) before and after, and MEMORY USAGE
#                 of one stream's two keys (realtime:stream:… and realtime:stream-meta:…); the instance's live heap too.
# BENCH_MEMORY_RUNS (3) fresh processes (and fresh Redis containers) each. Server and Redis on core 0, client on core 1.
#   bench/history/memory.sh     # results in bench/results/history-memory.jsonl and .md
# BENCH_LOCK=/path: each measurement holds this lock (flock), for a machine shared with other heavy jobs.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

STREAMS="${BENCH_STREAMS:-200}"
RUNS="${BENCH_MEMORY_RUNS:-3}"
OUT="$RESULTS/history-memory.jsonl"
: > "$OUT"

PID=
cleanup() {
    [[ -n "$PID" ]] && kill "$PID" 2>/dev/null || true
    docker rm -f bench-history-redis >/dev/null 2>&1 || true
}
trap cleanup EXIT

start() { # [redis-url]
    env "${common[@]}" PORT=3231 ${1:+REDIS_URL=$1} \
        taskset -c 0 "$JAVA_HOME/bin/java" "@$ROOT/bench/config/ours.jvm" -jar "$JAR" > "$LOGS/memory-server.log" 2>&1 &
    PID=$!
    await_ready 3231 memory
    sleep 2 # the start-up's own garbage settles before the first heap reading
}
live_heap() { jcmd "$PID" GC.class_histogram | awk '/^Total/ {print $3}'; }
rss() { awk '/VmRSS/ {print $2 * 1024}' "/proc/$PID/status"; }
redis_used() { docker exec bench-history-redis redis-cli INFO memory | awk -F: '/^used_memory:/ {print $2+0}'; }
fill() { locked taskset -c 1 "$JAVA_HOME/bin/java" "$ROOT/bench/history/HistoryClient.java" fill http://127.0.0.1:3231 "$STREAMS" 1000 >&2; }

for run in $(seq 1 "$RUNS"); do
    start
    heap0=$(live_heap); rss0=$(rss)
    fill
    heap1=$(live_heap); rss1=$(rss)
    echo "{\"case\":\"memory\",\"run\":$run,\"streams\":$STREAMS,\"heap_before\":$heap0,\"heap_after\":$heap1,\"rss_before\":$rss0,\"rss_after\":$rss1}" >> "$OUT"
    kill "$PID"; wait "$PID" 2>/dev/null || true; PID=

    docker run -d --name bench-history-redis --cpuset-cpus 0 -p 127.0.0.1:6391:6379 redis:7 > /dev/null
    sleep 1
    start redis://127.0.0.1:6391
    heap0=$(live_heap); used0=$(redis_used)
    fill
    heap1=$(live_heap); used1=$(redis_used)
    stream=$(docker exec bench-history-redis redis-cli MEMORY USAGE realtime:stream:user:m1 SAMPLES 0)
    meta=$(docker exec bench-history-redis redis-cli MEMORY USAGE realtime:stream-meta:user:m1 SAMPLES 0)
    length=$(docker exec bench-history-redis redis-cli XLEN realtime:stream:user:m1)
    echo "{\"case\":\"redis\",\"run\":$run,\"streams\":$STREAMS,\"heap_before\":$heap0,\"heap_after\":$heap1,\"redis_before\":$used0,\"redis_after\":$used1,\"stream_key\":$stream,\"meta_key\":$meta,\"xlen\":$length}" >> "$OUT"
    cleanup; PID=
    echo "run $run done"
done

node -e '
  const rows = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
  const med = (v) => { v = [...v].sort((a, b) => a - b); return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2; };
  const f = (v, d = 0) => `${med(v).toFixed(d)} (${Math.min(...v).toFixed(d)}–${Math.max(...v).toFixed(d)})`;
  const kib = (b) => b / 1024;
  const mem = rows.filter((r) => r.case === "memory"), red = rows.filter((r) => r.case === "redis");
  const out = ["| where | figure | per stream of 1,000 messages, KiB: median (min–max) | per message, bytes |", "|---|---|---:|---:|"];
  const per = (rs, a, b) => rs.map((r) => (r[b] - r[a]) / r.streams);
  const row = (where, what, v) => out.push(`| ${where} | ${what} | ${f(v.map(kib), 1)} | ${med(v.map((x) => x / 1000)).toFixed(0)} |`);
  row("one instance (in memory)", "live heap after full GC, growth ÷ streams", per(mem, "heap_before", "heap_after"));
  row("one instance (in memory)", "RSS growth ÷ streams", per(mem, "rss_before", "rss_after"));
  row("Redis", "used_memory growth ÷ streams", per(red, "redis_before", "redis_after"));
  row("Redis", "MEMORY USAGE of one stream (stream key + meta key)", red.map((r) => r.stream_key + r.meta_key));
  row("Redis", "the instance’s live heap growth ÷ streams", per(red, "heap_before", "heap_after"));
  out.push("", `${mem[0].streams} user streams filled with 1,000 messages each (payload {"i":n,"text":"<64 characters>"}, 84 bytes of JSON) in ${mem.length} fresh processes / Redis containers; XLEN of one Redis stream after the fill: ${red.map((r) => r.xlen).join(", ")} (MAXLEN ~ trims whole nodes).`);
  console.log(out.join("\n"));
' "$OUT" > "$RESULTS/history-memory.md"
cat "$RESULTS/history-memory.md"
