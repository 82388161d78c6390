#!/usr/bin/env bash
# The test command (what .ci/run calls): installs and starts what the tests need (a Docker engine, the
# test image, a throwaway PostgreSQL), runs the whole suite, prints "N passed, N failed, N skipped"
# and tears down what it started, even on failure or Ctrl-C. Extra arguments go to `dotnet test`,
# e.g. `scripts/test.sh --filter Category=Unit`. Exits with dotnet test's exit code.
# ORCH_TEST_RUNS=N runs the tests N times in a row (stopping at the first failing run), which is how a fault test
# is shown to be stable: `ORCH_TEST_RUNS=20 scripts/test.sh --filter "FullyQualifiedName~FaultRigTests.A_silo"`.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
# shellcheck source=lib/common.sh
. scripts/lib/common.sh

# A hung test must not eat CI's 90 minutes: the run is aborted and named after this long.
readonly HANG_TIMEOUT="${ORCH_TEST_HANG_TIMEOUT:-10m}"
readonly RESULTS_DIR="$repo/artifacts/test-results"

work=$(mktemp -d /tmp/orch-test.XXXXXX)
# The postgres user must be able to reach the data directory inside.
chmod 0755 "$work"
pg_dir="$work/pg"
run_started=$(date +%s)

# Removes containers that tests left behind: those marked orch.test=1 or of a cluster named test-…,
# created during this run (other runs on a shared engine keep theirs).
remove_leaked_containers() {
  local ids id labels cluster marker created
  docker_answers || return 0
  ids=$( { docker ps -aq --filter label=orch.test=1; docker ps -aq --filter label=orch.cluster; } | sort -u)
  for id in $ids; do
    labels=$(docker inspect -f '{{index .Config.Labels "orch.cluster"}}|{{index .Config.Labels "orch.test"}}|{{.Created}}' "$id" 2>/dev/null) || continue
    IFS='|' read -r cluster marker created <<<"$labels"
    [[ "$cluster" == test-* || "$marker" == 1 ]] || continue
    [ "$(date -d "$created" +%s)" -ge $((run_started - 1)) ] || continue
    log "removing leaked test container $id (cluster '$cluster')"
    docker rm -f "$id" >/dev/null 2>&1 || true
  done
}

cleanup() {
  local rc=$?
  set +e
  remove_leaked_containers
  stop_postgres "$pg_dir"
  stop_docker
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The <UnitTestResult ...> tag of every test result in the TRX files of $1, one per line.
trx_results() {
  cat "$1"/*.trx 2>/dev/null | grep -o '<UnitTestResult [^>]*' || true
}

# Prints "N passed, N failed, N skipped" from the outcomes of every test result in the TRX files.
summarize_trx() {
  local outcomes passed failed total
  outcomes=$(trx_results "$1" | grep -o ' outcome="[A-Za-z]*"' || true)
  passed=$(grep -c '"Passed"' <<<"$outcomes" || true)
  failed=$(grep -c '"Failed"' <<<"$outcomes" || true)
  total=$(grep -c . <<<"$outcomes" || true)
  echo "$passed passed, $failed failed, $((total - passed - failed)) skipped"
}

# Prints the names of the failed tests (the first 40), last, where a CI log's tail shows them.
list_failed_trx() {
  trx_results "$1" | grep ' outcome="Failed"' \
    | grep -o ' testName="[^"]*"' | sed -e 's/^ testName="//' -e 's/"$//' -e 's/&quot;/"/g' -e 's/&amp;/\&/g' \
    | sort -u | head -n 40 | sed 's/^/failed: /' || true
}

# chromium: the browser tests drive Debian's build through Playwright; none is downloaded.
# docker-registry and apache2-utils (htpasswd): the image pull tests push to real registries on loopback ports.
# prometheus: promtool lints a silo's /metrics, and a real server scrapes two silos.
ensure_packages docker.io busybox-static postgresql chromium docker-registry apache2-utils prometheus
start_docker "$work/dockerd.log"
ensure_test_image
pg_port=""
start_postgres pg_port "$pg_dir"

export ORCH_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=postgres"
export ORCH_TEST_DOCKER="${DOCKER_HOST:-unix:///var/run/docker.sock}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
log "ORCH_TEST_POSTGRES=$ORCH_TEST_POSTGRES ORCH_TEST_DOCKER=$ORCH_TEST_DOCKER"

rm -rf "$RESULTS_DIR"
mkdir -p "$RESULTS_DIR"
runs="${ORCH_TEST_RUNS:-1}"
build=()
set +e
for ((run = 1; run <= runs; run++)); do
  [ "$runs" -eq 1 ] || log "run $run of $runs"
  dotnet test Orchestrator.sln -c Release "${build[@]}" \
    --results-directory "$RESULTS_DIR" \
    --logger "trx;LogFileName=run-$run.trx" \
    --logger "console;verbosity=normal" \
    --blame-hang-timeout "$HANG_TIMEOUT" --blame-hang-dump-type none \
    "$@" </dev/null
  rc=$?
  build=(--no-build)
  if [ "$rc" -ne 0 ]; then
    [ "$runs" -eq 1 ] || log "run $run of $runs failed"
    break
  fi
done
set -e

log "test results: $RESULTS_DIR"
if [ "$rc" -ne 0 ] && ! ls "$RESULTS_DIR"/*.trx >/dev/null 2>&1; then
  log "dotnet test failed before any test ran (see the build errors above)"
fi
list_failed_trx "$RESULTS_DIR"
summarize_trx "$RESULTS_DIR"
exit "$rc"
