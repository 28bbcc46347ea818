#!/usr/bin/env bash
# Time to replay missed messages on a resume (issue 15): bench/history/HistoryClient.java's "replay",
# BENCH_MISSED (1,000) messages missed, BENCH_TRIALS (20) measured trials after 5 not reported, for broadcast
# and direct, on one instance (no Redis: the in-memory history) and across two instances joined by Redis
# (published on a, resumed on b: the Redis Streams history, XRANGE). Servers and Redis on core 0, client on core 1.
#   bench/history/replay.sh     # results in bench/results/history-replay.jsonl and .md
# BENCH_LOCK=/path: each measurement holds this lock (flock), for a machine shared with other heavy jobs.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

MISSED="${BENCH_MISSED:-1000}"
TRIALS="${BENCH_TRIALS:-20}"
OUT="$RESULTS/history-replay.jsonl"
: > "$OUT"

pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    docker rm -f bench-history-redis >/dev/null 2>&1 || true
}
trap cleanup EXIT

start() { # port instance-id [redis-url]
    env "${common[@]}" PORT="$1" INSTANCE_ID="$2" ${3:+REDIS_URL=$3} \
        taskset -c 0 "$JAVA_HOME/bin/java" "@$ROOT/bench/config/ours.jvm" -jar "$JAR" > "$LOGS/replay-server-$2.log" 2>&1 &
    pids+=($!)
    await_ready "$1" "$2"
}

measure() { # case send-url resume-url
    for kind in broadcast direct; do
        locked taskset -c 1 "$JAVA_HOME/bin/java" "$ROOT/bench/history/HistoryClient.java" replay "$2" "$3" "$kind" "$MISSED" "$TRIALS" 5 \
            | sed "s/^{/{\"case\":\"$1\",/" >> "$OUT"
    done
}

start 3221 single
measure single http://127.0.0.1:3221 http://127.0.0.1:3221
cleanup; pids=()

docker run -d --name bench-history-redis --cpuset-cpus 0 -p 127.0.0.1:6391:6379 redis:7 > /dev/null
start 3222 a redis://127.0.0.1:6391
start 3223 b redis://127.0.0.1:6391
measure cross http://127.0.0.1:3222 http://127.0.0.1:3223

node -e '
  const rows = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
  const med = (v) => { v = [...v].sort((a, b) => a - b); return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2; };
  const f = (v) => `${med(v).toFixed(1)} | ${Math.min(...v).toFixed(1)}–${Math.max(...v).toFixed(1)}`;
  const out = ["| case | message | missed | trials | upgrade → welcome, ms (median) | min–max | upgrade → last replayed, ms (median) | min–max |", "|---|---|---:|---:|---:|---:|---:|---:|"];
  for (const c of ["single", "cross"]) for (const k of ["broadcast", "direct"]) {
    const rs = rows.filter((r) => r.case === c && r.kind === k);
    if (rs.length) out.push(`| ${c === "single" ? "one instance" : "two instances + Redis (published on a, resumed on b)"} | ${k} | ${rs[0].missed} | ${rs.length} | ${f(rs.map((r) => r.welcome_ms))} | ${f(rs.map((r) => r.replayed_ms))} |`);
  }
  console.log(out.join("\n"));
' "$OUT" > "$RESULTS/history-replay.md"
cat "$RESULTS/history-replay.md"
