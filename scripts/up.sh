#!/usr/bin/env bash
# Brings up a single-node orchestrator on this machine and runs the example job through `orch`.
# Installs and starts what it needs: a Docker engine, the example image and, with --postgres, a
# PostgreSQL server in .orch/pg (otherwise the silo keeps its state in memory). Stop it with scripts/down.sh.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
# shellcheck source=lib/common.sh
. scripts/lib/common.sh

usage() {
  cat <<EOF
usage: scripts/up.sh [--postgres]

  --postgres   keep the cluster's state in a PostgreSQL server in .orch/pg
               (port \$ORCH_PG_PORT, default 55433) instead of in memory
EOF
}

use_postgres=0
while [ $# -gt 0 ]; do
  case "$1" in
    --postgres) use_postgres=1 ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
  shift
done

readonly STATE_DIR="$repo/.orch"
readonly GATEWAY_PORT=30000
readonly DASHBOARD_PORT=8080
readonly SILO_DIR="$repo/Silo/bin/Release/net10.0"
readonly CLIENT_DLL="$repo/Client/bin/Release/net10.0/orch.dll"
readonly DATABASE=orchestrator
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
mkdir -p "$STATE_DIR"

orch() {
  dotnet "$CLIENT_DLL" "$@"
}

silo_running() {
  local pid
  pid=$(cat "$STATE_DIR/silo.pid" 2>/dev/null || true)
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

# The PostgreSQL data directory: .orch/pg, unless the postgres user cannot reach it (a clone under
# /root, say); then a directory of its own under /var/lib. Recorded for scripts/down.sh.
postgres_dir() {
  local dir="$STATE_DIR/pg"
  if ! as_postgres test -x "$STATE_DIR"; then
    dir=/var/lib/orch/pg
    mkdir -p "$(dirname "$dir")"
    log "the postgres user cannot reach $STATE_DIR; keeping PostgreSQL data in $dir"
  fi
  echo "$dir" >"$STATE_DIR/pg.dir"
  echo "$dir"
}

packages=(docker.io busybox-static)
[ "$use_postgres" -eq 1 ] && packages+=(postgresql)
ensure_packages "${packages[@]}"

start_docker "$STATE_DIR/dockerd.log"
if [ "$ORCH_DOCKER_STARTED" -eq 1 ]; then
  # scripts/down.sh stops the engine only when this script started it.
  cp "$ORCH_DOCKER_PIDFILE" "$STATE_DIR/dockerd.pid"
fi
ensure_test_image

silo_args=("--Orchestrator:NodeName=$(hostname)")
if [ "$use_postgres" -eq 1 ]; then
  pg_port="${ORCH_PG_PORT:-55433}"
  start_postgres pg_port "$(postgres_dir)"
  if [ -z "$(psql -h 127.0.0.1 -p "$pg_port" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'")" ]; then
    psql -h 127.0.0.1 -p "$pg_port" -U postgres -qc "CREATE DATABASE $DATABASE"
  fi
  silo_args+=("--ConnectionStrings:Orleans=Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=$DATABASE")
  log "cluster state: PostgreSQL database $DATABASE on 127.0.0.1:$pg_port"
else
  log "cluster state: in memory (use --postgres to keep it)"
fi

if silo_running; then
  log "the silo is already running (pid $(cat "$STATE_DIR/silo.pid")); scripts/down.sh stops it"
else
  log "building the silo and the client (Release)"
  dotnet build Silo/Silo.csproj -c Release -nologo -v quiet
  dotnet build Client/Client.csproj -c Release -nologo -v quiet
  if tcp_open "$GATEWAY_PORT"; then
    die "port $GATEWAY_PORT is already taken by another process: stop it first"
  fi
  log "starting the silo (log: $STATE_DIR/silo.log)"
  # From its output folder, where its appsettings.json is; in a session of its own so it outlives this shell.
  (cd "$SILO_DIR" && exec setsid dotnet Orchestrator.Silo.dll "${silo_args[@]}" </dev/null >"$STATE_DIR/silo.log" 2>&1) &
  echo $! >"$STATE_DIR/silo.pid"
fi

for _ in $(seq 1 120); do
  tcp_open "$GATEWAY_PORT" && break
  silo_running || { tail -n 40 "$STATE_DIR/silo.log" >&2; die "the silo exited during start-up"; }
  sleep 1
done
if ! tcp_open "$GATEWAY_PORT"; then
  tail -n 40 "$STATE_DIR/silo.log" >&2
  die "the silo's gateway did not open port $GATEWAY_PORT within 120 s (the silo keeps running; scripts/down.sh stops it)"
fi
log "the silo's gateway answers on 127.0.0.1:$GATEWAY_PORT"

log "orch run -f examples/web.json --wait"
orch run -f examples/web.json --wait --timeout 120
orch ps

cat <<EOF

The orchestrator runs on this machine as node $(hostname).
  dashboard:  http://127.0.0.1:$DASHBOARD_PORT/
  silo log:   $STATE_DIR/silo.log
  the CLI:    export PATH="$repo/Client/bin/Release/net10.0:\$PATH"   then: orch nodes, orch ps, orch logs ID
  stop it:    scripts/down.sh
EOF
