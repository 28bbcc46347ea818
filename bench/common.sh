# Sourced by run.sh, memory.sh and profile.sh: paths, the benchmark's secret and user, and how a server
# is started, waited for and stopped, so that every script runs the servers the same way.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/bench"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
export PATH="$JAVA_HOME/bin:$PATH"
JWT_SECRET="bench-only-secret-0123456789abcdef-not-for-production"
# The benchmark user: password bench-password, bcrypt cost 10 (made with dev.realtime.auth.HashPassword).
BENCH_USER=bench
BENCH_PASSWORD=bench-password
BENCH_HASH="$(sed -n 's/.*password-hash: "\(.*\)".*/\1/p' "$BENCH/config/bench-users.yaml")"

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*"; }

# start_ours PORT CORE LOG [JVM flags...]: our server in the background ($! is its pid), with the
# container's heap bound (config/ours.jvm) and the benchmark's users.
start_ours() {
    local port="$1" core="$2" out="$3"
    shift 3
    (cd "$ROOT" && exec env CONFIG_FILE="$BENCH/config/bench-users.yaml" JWT_SECRET="$JWT_SECRET" PORT="$port" HOST=127.0.0.1 \
        taskset -c "$core" "$JAVA_HOME/bin/java" "@$BENCH/config/ours.jvm" "$@" -jar target/realtime-service.jar) > "$out" 2>&1 &
}

# start_reference PORT CORE LOG ACCESS_LOG: the Node.js reference in the background ($! is its pid).
start_reference() {
    local port="$1" core="$2" out="$3" access="$4"
    (cd "$BENCH/reference" && exec env JWT_SECRET="$JWT_SECRET" BENCH_USER="$BENCH_USER" BENCH_PASSWORD_HASH="$BENCH_HASH" \
        PORT="$port" HOST=127.0.0.1 ACCESS_LOG="$access" taskset -c "$core" node server.js) > "$out" 2>&1 &
}

# wait_ready PORT PID: until POST /login answers (at most 60 s), or the server exits.
wait_ready() {
    local port="$1" pid="$2"
    for _ in $(seq 1 120); do
        if ! kill -0 "$pid" 2>/dev/null; then
            log "server exited; see its log"; return 1
        fi
        if curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$port/login" -X POST -H 'Content-Type: application/json' -d '{}'; then
            return 0
        fi
        sleep 0.5
    done
    log "server on port $port not ready after 60 s"; return 1
}

# stop_server PID: SIGTERM (ours drains its WebSockets), SIGKILL after 15 s.
stop_server() {
    local pid="$1"
    [[ -n "$pid" ]] || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 30); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.5
    done
    kill -KILL "$pid" 2>/dev/null || true
}
