#!/usr/bin/env bash
# Brings a compose stack up from this checkout, checks it through its published ports, and always
# takes it down again.
#   .ci/compose-smoke.sh           docker-compose.yml: login + one WebSocket echo on :3000
#   .ci/compose-smoke.sh cluster   docker-compose.cluster.yml: the same through nginx on :3000,
#                                  plus a broadcast from instance a (:3001) reaching instance b (:3002)
set -euo pipefail
cd "$(dirname "$0")/.."

if docker compose version >/dev/null 2>&1; then compose=(docker compose); else compose=(docker-compose); fi
if [[ "${1:-}" == cluster ]]; then
    files=(-f docker-compose.cluster.yml); project=realtime-ci-cluster; ready=(3000 3001 3002)
    smoke=(http://localhost:3001 http://localhost:3002)
else
    files=(-f docker-compose.yml); project=realtime-ci; ready=(3000); smoke=(http://localhost:3000)
fi
down() { "${compose[@]}" "${files[@]}" -p "$project" down -v --remove-orphans >/dev/null 2>&1 || true; }
trap down EXIT
down

"${compose[@]}" "${files[@]}" -p "$project" up -d --build
for port in "${ready[@]}"; do
    status=000
    for _ in $(seq 1 60); do
        status=$(curl -s -o /dev/null -w '%{http_code}' "http://localhost:$port/observe/health/ready" || true)
        [[ "$status" == 204 ]] && break
        sleep 1
    done
    [[ "$status" == 204 ]] || { "${compose[@]}" "${files[@]}" -p "$project" logs; echo "port $port not ready"; exit 1; }
done

"$JAVA_HOME/bin/java" .ci/ComposeSmoke.java http://localhost:3000
if [[ ${#smoke[@]} -gt 1 ]]; then
    "$JAVA_HOME/bin/java" .ci/ComposeSmoke.java "${smoke[@]}"
fi
