#!/usr/bin/env bash
# Smoke test of docker-compose.yml on a machine that reaches no container registry. It builds local
# stand-ins for the public base images (a Debian root file system made with debootstrap from Debian's
# packages, plus this machine's .NET install for the SDK and ASP.NET images, plus Debian's
# postgresql-15 and an entry point that honours POSTGRES_PASSWORD and POSTGRES_DB for the PostgreSQL
# image), builds the silo image from the repository with them through the compose file's build
# arguments, brings the stack up, runs a three-replica job through the compose file's `orch` service
# (on the compose network), checks that it runs on all three nodes and serves on its published ports,
# signs in to the orchestrator view and the Orleans dashboard with the token through the published port, stops the job
# and tears everything down, also on failure or Ctrl-C. Not part of scripts/test.sh: it takes minutes and gigabytes.
# The stand-in images are kept for the next run; `docker rmi` them (orch-standin/*) to reclaim the space.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
# shellcheck source=lib/common.sh
. scripts/lib/common.sh

readonly PROJECT=orch-smoke
# Named after the packages it carries (see standin_sdk), so that a change of dependencies makes a new one.
SDK_STANDIN=""
readonly RUNTIME_STANDIN=orch-standin/dotnet-aspnet:10.0
readonly POSTGRES_STANDIN=orch-standin/postgres:15
readonly SILO_IMAGE=orch-smoke/silo:latest
readonly CLUSTER=compose-smoke
readonly MIRROR="${ORCH_DEBIAN_MIRROR:-http://deb.debian.org/debian}"

work=$(mktemp -d /var/tmp/orch-compose-smoke.XXXXXX)
compose_cmd=()
stack_up=0
# Image ids present before the silo image is built: the build's untagged intermediates are the others.
images_before=""

compose() {
  "${compose_cmd[@]}" -p "$PROJECT" -f "$repo/docker-compose.yml" "$@"
}

# orch ARGS: the client in a one-off container of the compose file's orch service; $work is at /smoke.
orch() {
  compose run --rm -T -v "$work:/smoke:ro" orch "$@"
}

cleanup() {
  local rc=$?
  set +e
  if [ "$stack_up" -eq 1 ]; then
    if [ "$rc" -ne 0 ]; then
      log "the last lines of the stack's logs:"
      compose logs --no-color --tail 40 >&2
    fi
    log "tearing the stack down"
    compose down -v --remove-orphans >/dev/null 2>&1
  fi
  # Containers the silos started carry the cluster's label; the stack going down leaves them.
  docker ps -aq --filter "label=orch.cluster=$CLUSTER" | xargs -r docker rm -f >/dev/null 2>&1
  docker image rm "$SILO_IMAGE" >/dev/null 2>&1
  [ -z "$images_before" ] || remove_build_leftovers
  rm -rf "$work"
  if [ "$rc" -eq 0 ]; then
    log "compose smoke test passed"
  else
    log "compose smoke test FAILED (exit $rc)"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Removes the untagged images that appeared since images_before (the classic builder keeps every
# step as a cache image, a full copy of the file system on the vfs storage driver), children first.
remove_build_leftovers() {
  local id pass
  for pass in 1 2 3 4 5 6 7 8; do
    for id in $(comm -13 <(echo "$images_before") <(docker images -aq --no-trunc | sort -u)); do
      [ "$(docker image inspect -f '{{len .RepoTags}}' "$id" 2>/dev/null)" = 0 ] && docker image rm "$id" >/dev/null 2>&1
    done
  done
}

# import_rootfs DIR IMAGE CHANGE...: makes an image of the file system in DIR, with Dockerfile CHANGEs.
import_rootfs() {
  local dir=$1 image=$2 change args=()
  shift 2
  for change in "$@"; do
    args+=(-c "$change")
  done
  log "importing $image"
  tar -C "$dir" -c . | docker import "${args[@]}" - "$image" >/dev/null
}

# A minimal Debian of this machine's release, made once per run and copied for each stand-in.
make_base_rootfs() {
  local suite
  [ -d "$work/base" ] && return 0
  suite=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
  log "debootstrap $suite from $MIRROR (a few minutes)"
  quietly debootstrap --variant=minbase --include=ca-certificates,libssl3,zlib1g "$suite" "$work/base" "$MIRROR"
  rm -rf "$work/base/var/cache/apt/archives"/*.deb "$work/base/var/lib/apt/lists"/*_Packages
}

dotnet_root() {
  dirname "$(readlink -f "$(command -v dotnet)")"
}

standin_runtime() {
  local root dir
  docker image inspect "$RUNTIME_STANDIN" >/dev/null 2>&1 && return 0
  make_base_rootfs
  root=$(dotnet_root)
  dir="$work/runtime"
  cp -a "$work/base" "$dir"
  mkdir -p "$dir/usr/share/dotnet/shared"
  cp -a "$root/dotnet" "$root/host" "$dir/usr/share/dotnet/"
  cp -a "$root/shared/Microsoft.NETCore.App" "$root/shared/Microsoft.AspNetCore.App" "$dir/usr/share/dotnet/shared/"
  ln -s /usr/share/dotnet/dotnet "$dir/usr/bin/dotnet"
  import_rootfs "$dir" "$RUNTIME_STANDIN" \
    'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    'ENV DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1'
  rm -rf "$dir"
}

# The SDK stand-in carries this machine's .NET SDK and, since the build inside it reaches no package
# source, the NuGet packages the silo and the client restore to (read from their project.assets.json),
# with a NuGet.Config whose only source is that folder, so restore never looks for nuget.org.
standin_sdk() {
  local root dir packages library libraries
  quietly dotnet restore Silo/Silo.csproj
  quietly dotnet restore Client/Client.csproj
  libraries=$(cat Silo/obj/project.assets.json Client/obj/project.assets.json Grains/obj/project.assets.json Grains.Abstractions/obj/project.assets.json |
    grep -o '"path": "[^"]*"' | cut -d '"' -f 4 | grep -v '\.csproj$' | sort -u)
  SDK_STANDIN="orch-standin/dotnet-sdk:10.0-$(sha256sum <<<"$libraries" | cut -c1-12)"
  docker image inspect "$SDK_STANDIN" >/dev/null 2>&1 && return 0
  make_base_rootfs
  root=$(dotnet_root)
  dir="$work/sdk"
  cp -a "$work/base" "$dir"
  mkdir -p "$dir/usr/share"
  cp -a "$root" "$dir/usr/share/dotnet"
  ln -s /usr/share/dotnet/dotnet "$dir/usr/bin/dotnet"
  packages="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
  mkdir -p "$dir/root/.nuget/packages"
  for library in $libraries; do
    mkdir -p "$dir/root/.nuget/packages/$(dirname "$library")"
    cp -a "$packages/$library" "$dir/root/.nuget/packages/$library"
  done
  mkdir -p "$dir/root/.nuget/NuGet"
  cat >"$dir/root/.nuget/NuGet/NuGet.Config" <<'EOF'
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="stand-in" value="/root/.nuget/packages" />
  </packageSources>
</configuration>
EOF
  import_rootfs "$dir" "$SDK_STANDIN" \
    'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    'ENV DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1' \
    'ENV DOTNET_CLI_TELEMETRY_OPTOUT=1' \
    'ENV DOTNET_NOLOGO=1' \
    'ENV NuGetAudit=false'
  rm -rf "$dir"
}

# Debian's postgresql-15 with an entry point that does what the public image's does with
# POSTGRES_USER, POSTGRES_PASSWORD and POSTGRES_DB on an empty data directory.
standin_postgres() {
  local dir
  docker image inspect "$POSTGRES_STANDIN" >/dev/null 2>&1 && return 0
  make_base_rootfs
  dir="$work/postgres"
  cp -a "$work/base" "$dir"
  cp /etc/resolv.conf "$dir/etc/resolv.conf"
  printf '#!/bin/sh\nexit 101\n' >"$dir/usr/sbin/policy-rc.d"
  chmod +x "$dir/usr/sbin/policy-rc.d"
  log "installing postgresql-15 into the stand-in"
  quietly chroot "$dir" apt-get update -q
  quietly chroot "$dir" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends postgresql-15
  rm -rf "$dir/usr/sbin/policy-rc.d" "$dir/var/lib/postgresql/15" "$dir/etc/postgresql/15" "$dir/var/lib/apt/lists"/*_Packages
  cat >"$dir/usr/local/bin/docker-entrypoint.sh" <<'EOF'
#!/bin/sh
set -eu
PGDATA="${PGDATA:-/var/lib/postgresql/data}"
user="${POSTGRES_USER:-postgres}"
mkdir -p "$PGDATA" /var/run/postgresql
chown postgres:postgres "$PGDATA" /var/run/postgresql
chmod 700 "$PGDATA"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  printf '%s\n' "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD must be set}" >/tmp/pwfile
  chown postgres /tmp/pwfile
  runuser -u postgres -- initdb -D "$PGDATA" -U "$user" --pwfile=/tmp/pwfile -E UTF8 --no-locale \
    --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  rm -f /tmp/pwfile
  echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
  if [ -n "${POSTGRES_DB:-}" ] && [ "$POSTGRES_DB" != "$user" ]; then
    runuser -u postgres -- postgres --single -D "$PGDATA" postgres >/dev/null <<SQL
CREATE DATABASE "$POSTGRES_DB";
SQL
  fi
fi
exec runuser -u postgres -- postgres -D "$PGDATA" -c listen_addresses='*'
EOF
  chmod +x "$dir/usr/local/bin/docker-entrypoint.sh"
  import_rootfs "$dir" "$POSTGRES_STANDIN" \
    'ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    'ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]' \
    'EXPOSE 5432'
  rm -rf "$dir"
}

# wait_for SECONDS DESCRIPTION CMD...: retries CMD every 2 s until it succeeds.
wait_for() {
  local seconds=$1 what=$2 deadline
  shift 2
  deadline=$(($(date +%s) + seconds))
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$deadline" ] || die "$what: not within ${seconds}s"
    sleep 2
  done
  log "$what"
}

three_nodes_ready() {
  [ "$(orch nodes --json | grep -o '"status": *"Ready"' | wc -l)" -eq 3 ]
}

no_cluster_containers() {
  [ -z "$(docker ps -aq --filter "label=orch.cluster=$CLUSTER")" ]
}

ensure_packages docker.io busybox-static debootstrap
if docker compose version >/dev/null 2>&1; then
  compose_cmd=(docker compose)
else
  ensure_packages docker-compose
  compose_cmd=(docker-compose)
fi
log "using ${compose_cmd[*]} ($("${compose_cmd[@]}" version --short 2>/dev/null || true))"
start_docker "$work/dockerd.log"
ensure_test_image

standin_runtime
standin_sdk
standin_postgres

export ORCH_SDK_IMAGE="$SDK_STANDIN" ORCH_RUNTIME_IMAGE="$RUNTIME_STANDIN" ORCH_POSTGRES_IMAGE="$POSTGRES_STANDIN"
export ORCH_SILO_IMAGE="$SILO_IMAGE" ORCH_CLUSTER_ID="$CLUSTER" ORCH_SERVICE_ID="$CLUSTER"
ORCH_DASHBOARD_PORT=$(free_port)
ORCH_TOKEN=$(openssl rand -hex 32)
export ORCH_DASHBOARD_PORT ORCH_TOKEN

compose config -q
images_before=$(docker images -aq --no-trunc | sort -u)
log "building the silo image from the repository with the stand-ins"
# One build: the three silo services share the image.
quietly compose build --force-rm silo-a
stack_up=1
log "starting the stack (project $PROJECT)"
quietly compose up -d
wait_for 180 "three nodes Ready" three_nodes_ready
orch nodes

cat >"$work/smoke.json" <<EOF
{
  "name": "smoke",
  "image": "$ORCH_TEST_IMAGE",
  "command": ["httpd", "-f", "-p", "8080", "-h", "/www"],
  "replicas": 3,
  "resources": { "cpu": 0.1, "memoryMb": 32 },
  "ports": [ { "container": 8080, "host": 0 } ],
  "scheduler": "spread"
}
EOF
log "orch run -f smoke.json --wait"
orch run -f /smoke/smoke.json --wait --timeout 120
orch ps
ps_json=$(orch ps --json)
[ "$(grep -o '"state": *"Running"' <<<"$ps_json" | wc -l)" -eq 3 ] || die "not three Running tasks: $ps_json"
[ "$(grep -o '"node": *"node-[abc]"' <<<"$ps_json" | sort -u | wc -l)" -eq 3 ] || die "the replicas are not spread over the three nodes: $ps_json"
for port in $(grep -o '"host": *[0-9]*' <<<"$ps_json" | grep -o '[0-9]*$'); do
  [ "$(curl -fsS "http://127.0.0.1:$port/")" = hello ] || die "replica on port $port does not serve"
done
log "all three replicas serve on their published ports"

site="http://127.0.0.1:$ORCH_DASHBOARD_PORT"
anonymous=$(curl -sS -o /dev/null -w '%{http_code}' "$site/api/cluster")
[ "$anonymous" = 401 ] || die "the orchestrator view's data answered $anonymous without the token, not 401"
curl -fsS -o /dev/null "$site/" || die "the orchestrator view's page (its sign-in) does not answer"
# Signed in as a browser is: the token posted to /session, then the session cookie.
curl -fsS -c "$work/cookies" -o /dev/null -H 'Content-Type: application/json' -d "{\"token\":\"$ORCH_TOKEN\"}" "$site/session" ||
  die "signing in with ORCH_TOKEN failed"
view=$(curl -fsS -b "$work/cookies" "$site/api/cluster")
[ "$(grep -o '"state":"Running"' <<<"$view" | wc -l)" -eq 3 ] || die "the orchestrator view does not show three Running tasks: $view"
curl -fsS -b "$work/cookies" -o /dev/null "$site/dashboard/" || die "the Orleans dashboard does not answer"
curl -fsS -o /dev/null -H "Authorization: Bearer $ORCH_TOKEN" "$site/v1/jobs" || die "the HTTP API does not answer the token"
log "the orchestrator view, the Orleans dashboard and the HTTP API answer the token (only) on $site"

orch stop smoke
wait_for 60 "the job's containers are gone" no_cluster_containers
