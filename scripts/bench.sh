#!/usr/bin/env bash
# Runs the benchmarks of BENCHMARKS.md on this machine: starts what they need (a Docker engine if none
# answers, the test image, a throwaway PostgreSQL server), runs `engine` at 20 and 50 containers, `scale`,
# `failover`, `churn` and `storage` at 10, 100 and 1000 grains, and tears down what it started, also on failure or
# Ctrl-C. Each scenario removes its own containers, services, swarm mode and database. `--json` prints one JSON
# object per scenario; naming scenarios (engine, scale, failover, churn, storage) runs only those. Sizes:
# BENCH_ROUNDS (engine rounds, default 5), BENCH_NODES and BENCH_TASKS (scale, 100 and 10000), BENCH_CHURN_MINUTES
# (churn, 10), BENCH_STORAGE_SECONDS (storage, 10 per provider and operation).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
# shellcheck source=lib/common.sh
. scripts/lib/common.sh

json=()
scenarios=()
for arg in "$@"; do
  case "$arg" in
    --json) json=(--json) ;;
    engine | scale | failover | churn | storage) scenarios+=("$arg") ;;
    *) die "usage: scripts/bench.sh [--json] [engine] [scale] [failover] [churn] [storage]" ;;
  esac
done
[ ${#scenarios[@]} -gt 0 ] || scenarios=(engine scale failover churn storage)

work=$(mktemp -d /tmp/orch-bench.XXXXXX)
# The postgres user must be able to reach the data directory inside.
chmod 0755 "$work"
pg_dir="$work/pg"

cleanup() {
  local rc=$?
  set +e
  stop_postgres "$pg_dir"
  stop_docker
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

ensure_packages docker.io busybox-static postgresql
start_docker "$work/dockerd.log"
ensure_test_image
pg_port=""
start_postgres pg_port "$pg_dir"

# The benchmark creates a database of its own on this server per scenario and drops it afterwards.
export ConnectionStrings__Orleans="Host=127.0.0.1;Port=$pg_port;Username=postgres"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

log "building the benchmark (and the silo it starts) in Release"
quietly dotnet build Bench/Bench.csproj -c Release

failed=()
# bench ARGS...: one scenario; a failure is reported at the end and does not stop the others.
bench() {
  log "bench $*"
  dotnet run --no-build -c Release --project Bench -- "$@" "${json[@]}" || failed+=("$*")
}

started=$(date +%s)
for scenario in "${scenarios[@]}"; do
  case "$scenario" in
    engine)
      bench engine --containers 20 --rounds "${BENCH_ROUNDS:-5}"
      bench engine --containers 50 --rounds "${BENCH_ROUNDS:-5}"
      ;;
    scale) bench scale --nodes "${BENCH_NODES:-100}" --tasks "${BENCH_TASKS:-10000}" ;;
    failover) bench failover ;;
    churn) bench churn --minutes "${BENCH_CHURN_MINUTES:-10}" --drain-minutes 3 ;;
    storage)
      for grains in 10 100 1000; do
        bench storage --grains "$grains" --seconds "${BENCH_STORAGE_SECONDS:-10}"
      done
      ;;
  esac
done
log "benchmarks (${scenarios[*]}) took $(($(date +%s) - started)) s"
[ ${#failed[@]} -eq 0 ] || die "failed: $(printf '[%s] ' "${failed[@]}")"
