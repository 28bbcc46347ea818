# Sourced by the scripts of bench/history/: paths, the JDK, the jar of this checkout, the servers' environment
# (the abuse limits lifted: one user sends thousands of messages a second), and BENCH_LOCK.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
export PATH="$JAVA_HOME/bin:$PATH"
RESULTS="$ROOT/bench/results"
LOGS="$ROOT/bench/logs/history"
mkdir -p "$RESULTS" "$LOGS"
# BENCH_LOCK=/path: each measurement holds this lock (flock), for a machine shared with other heavy jobs.
locked() { if [[ -n "${BENCH_LOCK:-}" ]]; then flock "$BENCH_LOCK" "$@"; else "$@"; fi; }

(cd "$ROOT" && ./mvnw -q -B -DskipTests package)
JAR="$ROOT/target/realtime-service.jar"
common=(JWT_SECRET=bench-only-secret-0123456789abcdef-not-for-production
        CONFIG_FILE="$ROOT/bench/cluster/cluster-users.yaml" CORS_ORIGIN=http://localhost
        MAX_CONNECTIONS_PER_USER=100000 WS_MESSAGES_PER_SECOND=1000000 LOGIN_ATTEMPTS_PER_MINUTE=100000)

# await_ready PORT NAME: until the server on PORT says it is ready (at most 20 s); else exit saying NAME did not start.
await_ready() {
    for _ in $(seq 1 100); do
        curl -s -o /dev/null "http://127.0.0.1:$1/observe/health/ready" && return 0
        sleep 0.2
    done
    echo "server $2 did not start" >&2
    exit 1
}
