#!/usr/bin/env bash
# Stops what scripts/up.sh started: the example job, the silo, the PostgreSQL server of --postgres
# (its data stays in place) and the Docker engine if up.sh had to start one.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
# shellcheck source=lib/common.sh
. scripts/lib/common.sh

readonly STATE_DIR="$repo/.orch"
readonly GATEWAY_PORT=30000
readonly CLIENT_DLL="$repo/Client/bin/Release/net10.0/orch.dll"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

silo_pid=$(cat "$STATE_DIR/silo.pid" 2>/dev/null || true)
rm -f "$STATE_DIR/silo.pid"
if [ -n "$silo_pid" ] && kill -0 "$silo_pid" 2>/dev/null; then
  if tcp_open "$GATEWAY_PORT" && [ -f "$CLIENT_DLL" ]; then
    log "orch stop web"
    dotnet "$CLIENT_DLL" stop web || log "orch stop web failed; the job's containers may remain (label orch.job=web)"
  fi
  stop_pid "$silo_pid" "the silo"
fi

if [ -f "$STATE_DIR/pg.dir" ]; then
  stop_postgres "$(cat "$STATE_DIR/pg.dir")"
fi

if [ -f "$STATE_DIR/dockerd.pid" ]; then
  if [ "$(cat "$STATE_DIR/dockerd.pid")" = "$(cat "$ORCH_DOCKER_PIDFILE" 2>/dev/null || true)" ]; then
    ORCH_DOCKER_STARTED=1
    stop_docker
  fi
  rm -f "$STATE_DIR/dockerd.pid"
fi
log "stopped"
