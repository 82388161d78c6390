#!/usr/bin/env bash
# Runs the benchmarks of BENCHMARKS.md on this machine: starts what they need (a Docker engine if none
# answers and the test image, for engine and failover; a throwaway PostgreSQL server with pg_stat_statements),
# runs `engine` at 20 and 50 containers, `scale` in three shapes, `failover`, `churn` and `storage` at 10, 100 and
# 1000 grains, and tears down what it started, also on failure or Ctrl-C. Each scenario removes its own containers,
# services, swarm mode and database. `--json` prints one JSON object per scenario; naming scenarios (engine, scale,
# failover, churn, storage, postgres) runs only those: `scripts/bench.sh scale` runs the scale shapes alone, without
# Docker. `postgres` measures the server's own ceiling for the control plane's kind of write (pgbench: 1 KiB rows
# updated by 8 clients, one per transaction and 50 per transaction), the physical limit the scale shapes compare to.
# Sizes: BENCH_ROUNDS (engine rounds, default 5), BENCH_NODES (scale, 100), BENCH_TASKS (tasks per scale shape,
# 10000: shapes T jobs × 1 replica, 10 × T/10 and T/10 × 10), BENCH_SCALE_SHAPES (the shapes themselves instead,
# e.g. "10000x1 10x1000"), BENCH_SCALE_WARMUP (percent of a shape's jobs run and stopped before it is measured, 10;
# 0 measures a cold cluster), BENCH_CHURN_MINUTES (churn, 10), BENCH_STORAGE_SECONDS (storage, 10 per provider and
# operation).
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
    engine | scale | failover | churn | storage | postgres) scenarios+=("$arg") ;;
    *) die "usage: scripts/bench.sh [--json] [engine] [scale] [failover] [churn] [storage] [postgres]" ;;
  esac
done
[ ${#scenarios[@]} -gt 0 ] || scenarios=(engine scale failover churn storage postgres)

tasks=${BENCH_TASKS:-10000}
read -r -a shapes <<<"${BENCH_SCALE_SHAPES:-${tasks}x1 10x$((tasks / 10)) $((tasks / 10))x10}"
for shape in "${shapes[@]}"; do
  [[ "$shape" =~ ^[1-9][0-9]*x[1-9][0-9]*$ ]] || die "BENCH_SCALE_SHAPES: '$shape' is not JOBSxREPLICAS, e.g. 10x1000"
done
needs_docker=0
case " ${scenarios[*]} " in
  *" engine "* | *" failover "*) needs_docker=1 ;;
esac

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

ensure_packages postgresql
if [ "$needs_docker" -eq 1 ]; then
  ensure_packages docker.io busybox-static
  start_docker "$work/dockerd.log"
  ensure_test_image
fi
pg_port=""
# pg_stat_statements (shipped with Debian's postgresql) lets scale count the statements per task.
start_postgres pg_port "$pg_dir" shared_preload_libraries=pg_stat_statements

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

# postgres_ceiling ROWS: pgbench on a database of its own, 8 clients for 10 s, each transaction updating ROWS rows of
# 1 KiB (one prepared statement per row, as the group-commit storage sends them), each client its own rows, as each
# grain has its own; prints the rows committed per second.
postgres_ceiling() {
  local rows=$1 db="orch_pgbench_$$" script="$work/update-$1.sql" tps i
  psql -h 127.0.0.1 -p "$pg_port" -U postgres -qc "CREATE DATABASE $db"
  psql -h 127.0.0.1 -p "$pg_port" -U postgres -d "$db" -qc \
    "CREATE TABLE state (id int PRIMARY KEY, version int NOT NULL, payload bytea NOT NULL);
     INSERT INTO state SELECT g, 0, decode(repeat(md5(g::text), 64), 'hex') FROM generate_series(1, 100000) g"
  {
    [ "$rows" -eq 1 ] || echo "BEGIN;"
    for i in $(seq 1 "$rows"); do
      echo "\\set id$i :client_id * 12500 + random(1, 12500)"
      echo "UPDATE state SET version = version + 1, payload = decode(repeat(md5((:id$i + version)::text), 64), 'hex') WHERE id = :id$i;"
    done
    [ "$rows" -eq 1 ] || echo "COMMIT;"
  } >"$script"
  tps=$(pgbench -h 127.0.0.1 -p "$pg_port" -U postgres -n -M prepared -c 8 -j 2 -T 10 -f "$script" "$db" 2>/dev/null |
    sed -n 's/^tps = \([0-9.]*\).*/\1/p')
  psql -h 127.0.0.1 -p "$pg_port" -U postgres -qc "DROP DATABASE $db"
  [ -n "$tps" ] || return 1
  awk -v rows="$rows" -v tps="$tps" -v json="${#json[@]}" 'BEGIN {
    if (json > 0) printf "{\"scenario\": \"postgres\", \"rows_per_transaction\": %d, \"clients\": 8, \"transactions_per_s\": %.0f, \"rows_per_s\": %.0f}\n", rows, tps, tps * rows
    else printf "postgres: %d-row transactions of 1 KiB rows, 8 clients: %.0f transactions/s, %.0f rows/s\n", rows, tps, tps * rows
  }'
}

started=$(date +%s)
for scenario in "${scenarios[@]}"; do
  case "$scenario" in
    engine)
      bench engine --containers 20 --rounds "${BENCH_ROUNDS:-5}"
      bench engine --containers 50 --rounds "${BENCH_ROUNDS:-5}"
      ;;
    scale)
      for shape in "${shapes[@]}"; do
        bench scale --nodes "${BENCH_NODES:-100}" --jobs "${shape%x*}" --replicas "${shape#*x}" --warmup "${BENCH_SCALE_WARMUP:-10}"
      done
      ;;
    failover) bench failover ;;
    churn) bench churn --minutes "${BENCH_CHURN_MINUTES:-10}" --drain-minutes 3 ;;
    storage)
      for grains in 10 100 1000; do
        bench storage --grains "$grains" --seconds "${BENCH_STORAGE_SECONDS:-10}"
      done
      ;;
    postgres)
      for rows in 1 50; do
        log "postgres ceiling, $rows-row transactions"
        postgres_ceiling "$rows" || failed+=("postgres $rows")
      done
      ;;
  esac
done
log "benchmarks (${scenarios[*]}) took $(($(date +%s) - started)) s"
[ ${#failed[@]} -eq 0 ] || die "failed: $(printf '[%s] ' "${failed[@]}")"
