#!/usr/bin/env bash
# Runs the convergence checker over many seeds (Tests/Cluster/Convergence): each seed draws a fault schedule,
# applies it to three real silos on three engines while a workload runs, heals everything and checks that the
# cluster converges. Installs and starts what it needs as scripts/test.sh does (it runs through it) and tears it
# down again. Prints the seeds run, faults injected by kind, time to converge (p50, p99, max) and violations
# with their seeds; exits non-zero when any seed found one.
#
#   scripts/chaos.sh [--seeds N] [--seed S] [--steps K]
#     --seeds N  how many seeds to run (default 10), S, S+1, … S+N-1
#     --seed S   the first seed (default: drawn, and printed); --seed S alone replays that one seed
#     --steps K  faults per seed (default 4)
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

seeds="" seed="" steps=4
while [ $# -gt 0 ]; do
  case "$1" in
    --seeds) seeds=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --steps) steps=$2; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
if [ -z "$seeds" ]; then
  if [ -n "$seed" ]; then seeds=1; else seeds=10; fi
fi
[ -n "$seed" ] || seed=$((RANDOM % 10000))

report=$(mktemp /tmp/orch-chaos-report.XXXXXX)
trap 'rm -f "$report"' EXIT

export ORCH_CHAOS_SEEDS="$seeds" ORCH_CHAOS_SEED="$seed" ORCH_CHAOS_STEPS="$steps" ORCH_CHAOS_REPORT="$report"
# One test runs every seed, about 4 minutes each: the hang guard must not cut it short.
export ORCH_TEST_HANG_TIMEOUT="$((seeds * 8 + 10))m"
echo "chaos: $seeds seeds from $seed, $steps faults each" >&2

set +e
scripts/test.sh --filter "FullyQualifiedName~ConvergenceRigTests.Seeds_from_the_environment_converge"
rc=$?
set -e

echo
if [ -s "$report" ]; then
  cat "$report"
else
  echo "no seed finished; see the test output above"
fi
exit "$rc"
