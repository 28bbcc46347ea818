#!/usr/bin/env bash
# Push delivery across instances, beside one instance alone (issue "scale out"):
#   bench/cluster/run.sh          # 3 runs of each case, results in bench/results/cluster.jsonl and cluster.md
# Cases, each with a broadcast and a direct message: "single" = one instance, no Redis, sender and
# receivers on it; "cross" = two instances joined by Redis, the sender on a, the receivers on b.
# Servers and Redis share core 0 (taskset), the client runs on core 1; each measurement keeps a log of
# how busy both cores were (cpu-sample.sh) and the CPU time the servers (and Redis) used per delivery in the
# closed loop (PushLatency's SERVER_PIDS). Redis runs in Docker (redis:7). Before the measured runs of a case,
# one run of each kind is made and not reported: fresh JVMs load classes, grow their metaspace and make their
# first collections in the first 20-30 s (section 7.1 of RESULTS.md), which is not the steady state measured.
# The service's abuse limits are lifted for the load (one user sends thousands of messages a second).
# Case "before": the cross case again, same run, with the service as it was at BENCH_BEFORE_COMMIT (default
# 8d962b8, before cluster publishing in batches), built from `git archive` into bench/logs/cluster/before-src.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/bench/cluster"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
RUNS="${BENCH_RUNS:-3}"
RATE="${BENCH_RATE:-1000}"
SECONDS_PER_PHASE="${BENCH_SECONDS:-10}"
RECEIVERS="${BENCH_RECEIVERS:-16}"
CASES="${BENCH_CASES:-single cross before}" # any of them
BEFORE_COMMIT="${BENCH_BEFORE_COMMIT:-8d962b8}"
REDIS_CPUS="${BENCH_REDIS_CPUS:-0}"  # e.g. 1: Redis beside the client instead of beside the servers
RESULTS="$ROOT/bench/results"
LOGS="$ROOT/bench/logs/cluster"
mkdir -p "$RESULTS" "$LOGS"
: > "$RESULTS/cluster.jsonl"

(cd "$ROOT" && ./mvnw -q -B -DskipTests package)
JAR="$ROOT/target/realtime-service.jar"
if [[ " $CASES " == *" before "* ]]; then
    rm -rf "$LOGS/before-src" && mkdir -p "$LOGS/before-src"
    git -C "$ROOT" archive "$BEFORE_COMMIT" | tar -x -C "$LOGS/before-src"
    (cd "$LOGS/before-src" && ./mvnw -q -B -DskipTests package)
fi

common=(JWT_SECRET=bench-only-secret-0123456789abcdef-not-for-production
        CONFIG_FILE="$HERE/cluster-users.yaml" CORS_ORIGIN=http://localhost
        MAX_CONNECTIONS_PER_USER=100000 WS_MESSAGES_PER_SECOND=1000000 LOGIN_ATTEMPTS_PER_MINUTE=100000)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    docker rm -f bench-redis >/dev/null 2>&1 || true
}
trap cleanup EXIT

start() { # port instance-id [redis-url [jar]]
    env "${common[@]}" PORT="$1" INSTANCE_ID="$2" ${3:+REDIS_URL=$3} \
        taskset -c 0 "$JAVA_HOME/bin/java" "@$ROOT/bench/config/ours.jvm" -jar "${4:-$JAR}" > "$LOGS/server-$2.log" 2>&1 &
    pids+=($!)
    for _ in $(seq 1 100); do
        curl -s -o /dev/null "http://127.0.0.1:$1/observe/health/ready" && return 0
        sleep 0.1
    done
    echo "server $2 did not start" >&2
    exit 1
}

measure() { # case send-url receive-url
    [[ " $CASES " == *" $1 "* ]] || return 0
    local servers
    servers="$(IFS=,; echo "${pids[*]}")"
    if docker inspect bench-redis > /dev/null 2>&1; then
        servers="$servers,$(docker inspect -f '{{.State.Pid}}' bench-redis)"
    fi
    for run in $(seq 0 "$RUNS"); do # run 0 warms the servers up and is not kept
        for kind in broadcast direct; do
            "$HERE/cpu-sample.sh" > "$LOGS/cpu-$1-$kind-$run.log" &
            sampler=$!
            SERVER_PIDS="$servers" taskset -c 1 "$JAVA_HOME/bin/java" "$HERE/PushLatency.java" "$2" "$3" "$kind" "$RATE" "$SECONDS_PER_PHASE" "$RECEIVERS" \
                | sed "s/^{/{\"case\":\"$1\",\"run\":$run,/" > "$LOGS/run.jsonl"
            kill "$sampler"
            if (( run > 0 )); then cat "$LOGS/run.jsonl" >> "$RESULTS/cluster.jsonl"; fi
        done
        echo "$1 run $run done"
    done
}

start 3201 single
measure single http://127.0.0.1:3201 http://127.0.0.1:3201
cleanup; pids=()

# Host networking: with a published port (-p) every byte to and from Redis went through docker-proxy, a userland
# relay on no particular core whose CPU was not counted; the compose cluster's instances reach Redis directly.
docker run -d --name bench-redis --cpuset-cpus "$REDIS_CPUS" --network host redis:7 --port 6390 > /dev/null
if [[ " $CASES " == *" cross "* ]]; then
    start 3201 a redis://127.0.0.1:6390
    start 3202 b redis://127.0.0.1:6390
    measure cross http://127.0.0.1:3201 http://127.0.0.1:3202
fi
if [[ " $CASES " == *" before "* ]]; then
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
    pids=()
    docker exec bench-redis redis-cli -p 6390 FLUSHALL > /dev/null
    start 3201 a-before redis://127.0.0.1:6390 "$LOGS/before-src/target/realtime-service.jar"
    start 3202 b-before redis://127.0.0.1:6390 "$LOGS/before-src/target/realtime-service.jar"
    measure before http://127.0.0.1:3201 http://127.0.0.1:3202
fi

node "$HERE/report.js" "$RESULTS/cluster.jsonl" "$BEFORE_COMMIT" > "$RESULTS/cluster.md"
cat "$RESULTS/cluster.md"
