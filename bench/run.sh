#!/usr/bin/env bash
# Benchmark: realtime-service (Helidon SE, this repository) against the Node.js reference
# (bench/reference: Express + cors + helmet + morgan + bcrypt + jsonwebtoken + ws), same wire contract,
# and against the tutorial's own part-2 server as the article gives it (bench/tutorial: fixed token,
# answers every message "recebido!", no welcome; the load client talks to it with --protocol tutorial).
#
#   bench/run.sh                 # the full run (about 50 minutes after the builds; results in bench/results/)
#   BENCH_QUICK=1 bench/run.sh   # a smoke test of the harness (about 6 minutes; results in bench/logs/quick/)
#
# It builds the service jar (./mvnw -q -DskipTests package) and the load client (bench/load), installs
# the reference and the tutorial (npm ci), waits (at most BENCH_LOAD_WAIT seconds, default 900) for the
# 1-minute load average to drop below 0.5, then for each server of BENCH_SERVERS (default: ours reference
# tutorial) in turn: starts it pinned to core 0 (taskset -c 0),
# runs the load client pinned to core 1 (taskset -c 1) -- the same JIT warm-up, then every scenario
# BENCH_RUNS times (default 3) -- and stops it. Everything is logged to bench/logs/, nothing to the
# terminal but progress lines. Results: bench/results/raw.jsonl (one JSON object per measurement),
# summary.csv / summary.json / summary.md (bench/report.js), env.txt (machine, versions, limits),
# loadavg.txt; then bench/memory.sh (10,000 idle connections on fresh processes): memory.jsonl, memory.md;
# then bench/soak.sh (10,000 connections held 2 minutes under 2,000 echoes/s, RSS every second; BENCH_SOAK=0
# skips it): soak.jsonl, soak.md.
#
# Needs: Linux, JDK 21+ (JAVA_HOME, default /usr/lib/jvm/temurin-25-jdk-amd64), Node.js 18+ with npm,
# taskset, curl. Traffic goes to 127.0.0.1 only; every scenario is bounded in time.
set -euo pipefail

# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

QUICK="${BENCH_QUICK:-0}"
RUNS="${BENCH_RUNS:-3}"
LOAD_WAIT="${BENCH_LOAD_WAIT:-900}"
SERVER_CORE="${BENCH_SERVER_CORE:-0}"
CLIENT_CORE="${BENCH_CLIENT_CORE:-1}"
OURS_PORT=3101
REF_PORT=3102
TUT_PORT=3103
# Our server runs with the container's heap bound (bench/config/ours.jvm); BENCH_OURS_JAVA_OPTS adds flags.
read -r -a OURS_JAVA_OPTS <<< "${BENCH_OURS_JAVA_OPTS:-}"
SERVERS="${BENCH_SERVERS:-ours reference tutorial}"
export BENCH_SERVERS="$SERVERS" # memory.sh and soak.sh measure the same servers

LOGS="$BENCH/logs"
if [[ "$QUICK" == 1 ]]; then
    RESULTS="$LOGS/quick"
    RUNS="${BENCH_RUNS:-1}"
    LOAD_WAIT="${BENCH_LOAD_WAIT:-0}"
    CLIENT_ARGS=(--jit-warmup 6 --echo-connections 1,64 --echo-sizes 32,65536 --echo-warmup 0.5 --echo-duration 1
                 --latency-rate 2000,10000 --latency-bursts 1,2 --latency-warmup 0.5 --latency-duration 3 --idle-connections 2000 --handshake-duration 2
                 --login-duration 2)
else
    RESULTS="$BENCH/results"
    # Short cells (3 s after 1 s of warm-up, 10 s of latency) so that three servers, memory.sh and the soak fit in about
    # 35 minutes; the idle scenario runs in memory.sh on fresh processes, not here after the echo has grown the heaps.
    CLIENT_ARGS=(--jit-warmup 30 --scenarios echo,latency,handshake,login
                 --echo-connections 1,16,64,256 --echo-sizes 32,1024,65536 --echo-window 4 --echo-pipelined 16
                 --echo-warmup 1 --echo-duration 3 --latency-rate 2000,10000 --latency-connections 64 --latency-size 32
                 --latency-bursts 1 --latency-warmup 2 --latency-duration 10
                 --handshake-concurrency 16 --handshake-warmup 1 --handshake-duration 5
                 --login-concurrency 4 --login-warmup 1 --login-duration 5)
fi
mkdir -p "$LOGS" "$RESULTS"


STARTED_PIDS=()
cleanup() {
    for pid in "${STARTED_PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
}
trap cleanup EXIT

# --- limits: 10,000 connections need as many descriptors in the server and in the client
hard="$(ulimit -Hn)"
if [[ "$hard" == unlimited ]] || (( hard > 65536 )); then hard=65536; fi
ulimit -n "$hard" 2>/dev/null || true
if (( $(ulimit -n) < 12000 )); then
    log "WARNING: ulimit -n is $(ulimit -n); the 10,000-connection scenario needs about 10,100 descriptors per process"
fi

# --- builds
log "building the service jar (./mvnw -q -DskipTests package) -> $LOGS/build.log"
(cd "$ROOT" && ./mvnw -q -DskipTests package) > "$LOGS/build.log" 2>&1
log "building the load client (bench/load) -> $LOGS/build-load.log"
(cd "$ROOT" && ./mvnw -q -f bench/load/pom.xml package) > "$LOGS/build-load.log" 2>&1
log "installing the reference and the tutorial (npm ci) -> $LOGS/npm-ci.log"
: > "$LOGS/npm-ci.log"
for dir in reference tutorial; do
    (cd "$BENCH/$dir" && npm ci --no-audit --no-fund) >> "$LOGS/npm-ci.log" 2>&1
done

# --- the machine
{
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "cpu: $(lscpu | sed -n 's/^Model name: *//p') ($(nproc) cores, $(lscpu | sed -n 's/^Thread(s) per core: *//p') thread(s) per core, $(lscpu | sed -n 's/^Hypervisor vendor: *//p') guest)"
    echo "memory: $(free -m | awk '/^Mem:/{print $2}') MiB"
    echo "kernel: $(uname -sr)"
    echo "java: $("$JAVA_HOME/bin/java" -version 2>&1 | sed -n 2p)"
    echo "node: $(node --version), npm $(npm --version)"
    for dir in reference tutorial; do
        echo "$dir packages: $(cd "$BENCH/$dir" && node -e "const fs = require('fs'); for (const p of Object.keys(require('./package.json').dependencies)) process.stdout.write(p + '@' + JSON.parse(fs.readFileSync('node_modules/' + p + '/package.json')).version + ' ')")"
    done
    echo "service: Helidon $(sed -n 's:.*<version>\(4\.[0-9.]*\)</version>.*:\1:p' "$ROOT/pom.xml" | head -1), jar $(ls -l "$ROOT/target/realtime-service.jar" | awk '{print $5}') bytes"
    echo "JVM ergonomics pinned to one core (java -XX:+PrintFlagsFinal under taskset -c $SERVER_CORE):"
    taskset -c "$SERVER_CORE" "$JAVA_HOME/bin/java" "@$BENCH/config/ours.jvm" "${OURS_JAVA_OPTS[@]}" -XX:+PrintFlagsFinal -version 2>/dev/null \
        | grep -E ' (UseSerialGC|UseG1GC|UseParallelGC|MaxHeapSize|InitialHeapSize|ActiveProcessorCount|CICompilerCount) ' \
        | awk '{print "  " $2 " = " $4}'
    echo "ulimit -n: $(ulimit -n) (hard $(ulimit -Hn))"
    echo "ip_local_port_range: $(cat /proc/sys/net/ipv4/ip_local_port_range | tr '\t' ' ')"
    echo "tcp_tw_reuse: $(cat /proc/sys/net/ipv4/tcp_tw_reuse), somaxconn: $(cat /proc/sys/net/core/somaxconn)"
    echo "pinning: servers on core $SERVER_CORE, load client on core $CLIENT_CORE"
    echo "client args: ${CLIENT_ARGS[*]} --runs $RUNS"
} > "$RESULTS/env.txt"

# --- wait for a quiet machine (other people build here)
wait_for_quiet() {
    local waited=0 load
    while :; do
        load="$(cut -d' ' -f1 /proc/loadavg)"
        if awk -v l="$load" 'BEGIN { exit !(l < 0.5) }'; then
            log "load average $load < 0.5 after ${waited}s"
            echo "load_wait: ${waited}s, 1-min load $load when the runs started ($(cat /proc/loadavg))" >> "$RESULTS/env.txt"
            return
        fi
        if (( waited >= LOAD_WAIT )); then
            log "load average still $load after ${waited}s: running anyway"
            echo "load_wait: gave up after ${waited}s, 1-min load $load when the runs started ($(cat /proc/loadavg))" >> "$RESULTS/env.txt"
            return
        fi
        log "load average $load >= 0.5; waiting (${waited}s of ${LOAD_WAIT}s)"
        sleep 30
        waited=$((waited + 30))
    done
}
wait_for_quiet

# load average every 10 s while the benchmark runs (bounded: at most 2 hours)
(for _ in $(seq 1 720); do echo "$(date -u +%H:%M:%S) $(cat /proc/loadavg)"; sleep 10; done) > "$RESULTS/loadavg.txt" &
SAMPLER=$!
STARTED_PIDS+=("$SAMPLER")

: > "$RESULTS/raw.jsonl"

for server in $SERVERS; do
    case "$server" in
    ours) port=$OURS_PORT ;;
    reference) port=$REF_PORT ;;
    tutorial) port=$TUT_PORT ;;
    *) log "unknown server $server"; exit 2 ;;
    esac
    log "starting $server on core $SERVER_CORE (port $port) -> $LOGS/$server.log"
    start_server_named "$server" "$port" "$SERVER_CORE" "$LOGS/" "${OURS_JAVA_OPTS[@]}"
    pid=$!
    client_protocol "$server"
    STARTED_PIDS+=("$pid")
    wait_ready "$port" "$pid"
    echo "$server: pid $pid, load at start $(cat /proc/loadavg)" >> "$RESULTS/env.txt"
    log "$server up (pid $pid); load client on core $CLIENT_CORE -> $LOGS/client-$server.log"
    taskset -c "$CLIENT_CORE" "$JAVA_HOME/bin/java" -Xms1g -Xmx1g -jar "$BENCH/load/target/realtime-load.jar" \
        --url "http://127.0.0.1:$port" --user "$BENCH_USER" --password "$BENCH_PASSWORD" \
        --server-name "$server" --server-pid "$pid" --out "$RESULTS/raw.jsonl" --runs "$RUNS" "${CLIENT_PROTOCOL[@]}" "${CLIENT_ARGS[@]}" \
        > "$LOGS/client-$server.log" 2>&1 || log "load client exited with $? (see its log)"
    echo "$server: rss at end $(grep VmRSS /proc/$pid/status 2>/dev/null | awk '{print $2 " kB"}'), load at end $(cat /proc/loadavg)" >> "$RESULTS/env.txt"
    stop_server "$pid"
    log "$server stopped"
done

if [[ "${BENCH_MEMORY:-1}" == 1 ]]; then
    log "idle-connection memory on fresh processes (bench/memory.sh) -> $LOGS/memory.log"
    BENCH_MEMORY_RESULTS="$RESULTS" BENCH_MEMORY_RUNS="$RUNS" "$BENCH/memory.sh" > "$LOGS/memory.log" 2>&1 \
        || log "memory.sh failed (see its log)"
fi

if [[ "${BENCH_SOAK:-1}" == 1 ]]; then
    log "soak on fresh processes (bench/soak.sh) -> $LOGS/soak.log"
    BENCH_SOAK_RESULTS="$RESULTS" "$BENCH/soak.sh" > "$LOGS/soak.log" 2>&1 || log "soak.sh failed (see its log)"
fi

kill "$SAMPLER" 2>/dev/null || true
node "$BENCH/report.js" "$RESULTS/raw.jsonl" "$RESULTS"
log "results: $RESULTS/summary.md, memory.md and soak.md (and summary.csv, summary.json, raw.jsonl, memory.jsonl, soak.jsonl, env.txt, loadavg.txt)"
