# Sourced by run.sh, memory.sh, soak.sh and profile.sh: paths, the benchmark's secret and user, and how a
# server (ours, the reference, the tutorial) is started, waited for and stopped, so that every script runs
# the servers the same way.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/bench"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
export PATH="$JAVA_HOME/bin:$PATH"
JWT_SECRET="bench-only-secret-0123456789abcdef-not-for-production"
# The benchmark user: password bench-password, bcrypt cost 10 (made with dev.realtime.auth.HashPassword).
BENCH_USER=bench
BENCH_PASSWORD=bench-password
BENCH_HASH="$(sed -n 's/.*password-hash: "\(.*\)".*/\1/p' "$BENCH/config/bench-users.yaml")"
# The tutorial's server (bench/tutorial) lets in exactly this token, which its POST /login hands out.
TUTORIAL_TOKEN=123456

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

# start_tutorial PORT CORE LOG: the tutorial's server in the background ($! is its pid), with the
# settings its .env holds (CORS_ORIGIN=*), its console.log output appended to LOG. It logs every message
# it gets (64 KiB echo alone would write gigabytes), so a watcher empties LOG whenever it passes
# BENCH_TUTORIAL_LOG_MAX_MIB (default 512): the server still makes every write, the disk does not fill.
# The watcher is started from the subshell that then becomes node (exec), so it knows node's pid and
# leaves with it; LOG is opened for appending, so node's writes go on at the new end.
start_tutorial() {
    local port="$1" core="$2" out="$3"
    : > "$out"
    (local self=$BASHPID # read here: inside the backgrounded call below it would be the watcher's own pid
     cap_log "$out" "$self" > /dev/null 2>&1 &
     cd "$BENCH/tutorial" && exec env CORS_ORIGIN='*' PORT="$port" HOST=127.0.0.1 taskset -c "$core" node server.js) >> "$out" 2>&1 &
}

# cap_log FILE PID: empties FILE whenever it is over BENCH_TUTORIAL_LOG_MAX_MIB, for as long as PID lives.
cap_log() {
    local file="$1" pid="$2" max=$(( ${BENCH_TUTORIAL_LOG_MAX_MIB:-512} * 1024 * 1024 ))
    while kill -0 "$pid" 2>/dev/null; do
        if (( $(stat -c %s "$file" 2>/dev/null || echo 0) > max )); then
            : > "$file"
        fi
        sleep 2
    done
}

# start_server_named NAME PORT CORE LOGPREFIX [ours' JVM flags...]: ours, reference or tutorial as above
# ($! is its pid), its output in LOGPREFIX<NAME>.log (the reference's access log: LOGPREFIX<NAME>-access.log).
start_server_named() {
    local name="$1" port="$2" core="$3" prefix="$4"
    shift 4
    case "$name" in
    ours) start_ours "$port" "$core" "$prefix$name.log" "$@" ;;
    reference) start_reference "$port" "$core" "$prefix$name.log" "$prefix$name-access.log" ;;
    tutorial) start_tutorial "$port" "$core" "$prefix$name.log" ;;
    *) log "unknown server $name"; return 2 ;;
    esac
}

# client_protocol NAME: sets CLIENT_PROTOCOL to the load client's options for how that server talks
# (bench.Scenarios.Protocol): the tutorial has a fixed token, no welcome, and answers "recebido!".
client_protocol() {
    CLIENT_PROTOCOL=()
    if [[ "$1" == tutorial ]]; then
        CLIENT_PROTOCOL=(--protocol tutorial --token "$TUTORIAL_TOKEN")
    fi
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
