#!/usr/bin/env bash
# Brings the docker-compose stack up from this checkout, logs in and does one WebSocket echo
# through the published port, and always takes the stack down again.
set -euo pipefail
cd "$(dirname "$0")/.."

if docker compose version >/dev/null 2>&1; then compose=(docker compose); else compose=(docker-compose); fi
project=realtime-ci
port="${SMOKE_PORT:-3000}"
down() { PORT="$port" "${compose[@]}" -p "$project" down -v --remove-orphans >/dev/null 2>&1 || true; }
trap down EXIT
down

PORT="$port" "${compose[@]}" -p "$project" up -d --build
for _ in $(seq 1 60); do
    if status=$(curl -s -o /dev/null -w '%{http_code}' "http://localhost:$port/observe/health/ready") && [[ "$status" == 204 ]]; then
        break
    fi
    sleep 1
done
[[ "${status:-}" == 204 ]] || { "${compose[@]}" -p "$project" logs; echo "stack not ready"; exit 1; }

"$JAVA_HOME/bin/java" .ci/ComposeSmoke.java "http://localhost:$port"
