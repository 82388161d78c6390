# Helpers shared by the scripts in scripts/. Source it; it defines functions and a few constants only.
# Every function is safe under `set -euo pipefail` and safe to call twice.

readonly ORCH_TEST_IMAGE="orch-test/busybox:latest"
readonly ORCH_DOCKER_PIDFILE="/var/run/docker.pid"

# Set by start_docker: 1 when this shell started the engine (and so must stop it), 0 when it reused one.
ORCH_DOCKER_STARTED=0
# Set by ensure_packages so that one run updates the apt lists at most once.
ORCH_APT_UPDATED=0

log() {
  printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2
}

die() {
  log "error: $*"
  exit 1
}

# The directory holding initdb, pg_ctl and postgres (the newest installed version), or nothing.
postgres_bin_dir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$dir" ] && [ -x "$dir/pg_ctl" ]; then
    echo "$dir"
  fi
}

# True when what the Debian package PKG provides is already usable.
package_present() {
  case "$1" in
    docker.io) command -v dockerd >/dev/null 2>&1 && command -v docker >/dev/null 2>&1 ;;
    postgresql) [ -n "$(postgres_bin_dir)" ] && command -v pg_isready >/dev/null 2>&1 ;;
    # The image needs a statically linked busybox: Debian's plain "busybox" package is dynamic.
    *) [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" = "install ok installed" ] ;;
  esac
}

# ensure_packages PKG...: installs, without questions, those of PKG that are missing.
ensure_packages() {
  local missing=() pkg
  for pkg in "$@"; do
    package_present "$pkg" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] || die "missing packages ${missing[*]}: run as root, or install them first"
  export DEBIAN_FRONTEND=noninteractive NEEDRESTART_MODE=a
  if [ "$ORCH_APT_UPDATED" -eq 0 ]; then
    log "apt-get update"
    quietly apt-get update -q
    ORCH_APT_UPDATED=1
  fi
  log "installing ${missing[*]}"
  quietly apt-get install -y -q "${missing[@]}"
}

# quietly CMD...: runs CMD without stdin, showing its output only when it fails.
quietly() {
  local out
  out=$(mktemp)
  if ! "$@" </dev/null >"$out" 2>&1; then
    tail -n 30 "$out" >&2
    rm -f "$out"
    die "failed: $*"
  fi
  rm -f "$out"
}

docker_answers() {
  timeout 10 docker info >/dev/null 2>&1
}

# start_docker LOGFILE: reuses an engine that answers; otherwise starts dockerd (vfs storage, no systemd
# here) detached from this terminal and waits up to 60 s for it.
start_docker() {
  local logfile=$1 pid i
  if docker_answers; then
    log "reusing the running Docker engine"
    ORCH_DOCKER_STARTED=0
    return 0
  fi
  if [ -f "$ORCH_DOCKER_PIDFILE" ]; then
    pid=$(cat "$ORCH_DOCKER_PIDFILE" 2>/dev/null || true)
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      die "dockerd (pid $pid) is running but does not answer; see its log or stop it"
    fi
    # dockerd refuses to start while a pid file of a dead process is left over.
    rm -f "$ORCH_DOCKER_PIDFILE"
  fi
  log "starting dockerd (log: $logfile)"
  setsid dockerd --storage-driver=vfs --pidfile "$ORCH_DOCKER_PIDFILE" </dev/null >"$logfile" 2>&1 &
  pid=$!
  ORCH_DOCKER_STARTED=1
  for i in $(seq 1 60); do
    if docker_answers; then
      log "Docker engine is up after ${i}s"
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 30 "$logfile" >&2 || true
      ORCH_DOCKER_STARTED=0
      die "dockerd exited during start-up"
    fi
    sleep 1
  done
  tail -n 30 "$logfile" >&2 || true
  die "dockerd did not answer within 60 s"
}

# stop_pid PID NAME: TERM, then KILL if it still runs after 30 s; returns once it is gone.
stop_pid() {
  local pid=$1 name=$2 i
  kill -0 "$pid" 2>/dev/null || return 0
  log "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 30); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 1
  done
  log "$name did not stop within 30 s; killing it"
  kill -KILL "$pid" 2>/dev/null || true
}

# stop_docker: stops the engine only if start_docker started it; waits for it so its containers are down.
stop_docker() {
  local pid
  [ "$ORCH_DOCKER_STARTED" -eq 1 ] || return 0
  ORCH_DOCKER_STARTED=0
  pid=$(cat "$ORCH_DOCKER_PIDFILE" 2>/dev/null || true)
  [ -z "$pid" ] || stop_pid "$pid" dockerd
}

# ensure_test_image: builds the ~2 MB image the examples and tests run, from the static busybox,
# since no registry is reachable to pull one.
ensure_test_image() {
  local root cmd
  if docker image inspect "$ORCH_TEST_IMAGE" >/dev/null 2>&1; then
    return 0
  fi
  [ -x /bin/busybox ] || die "/bin/busybox is missing: install busybox-static"
  log "building $ORCH_TEST_IMAGE from /bin/busybox"
  root=$(mktemp -d)
  mkdir -p "$root/bin" "$root/www" "$root/tmp"
  chmod 1777 "$root/tmp"
  cp /bin/busybox "$root/bin/busybox"
  for cmd in sh sleep echo httpd wget cat ls env true false kill ps mkdir rm; do
    ln -s busybox "$root/bin/$cmd"
  done
  echo hello >"$root/www/index.html"
  tar -C "$root" -c . | docker import -c 'ENV PATH=/bin' - "$ORCH_TEST_IMAGE" >/dev/null
  rm -rf "$root"
}

# tcp_open PORT: true when something accepts connections on 127.0.0.1:PORT.
tcp_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# free_port: prints a TCP port nobody listens on at 127.0.0.1.
free_port() {
  local port i
  for i in $(seq 1 100); do
    port=$((20000 + RANDOM % 30000))
    if ! tcp_open "$port"; then
      echo "$port"
      return 0
    fi
  done
  die "found no free TCP port"
}

# Runs a command as the postgres user from /, since the server refuses to run as root and the
# caller's directory (e.g. under /root) may be closed to that user.
as_postgres() {
  (cd / && runuser -u postgres -- "$@")
}

postgres_running() {
  local dir=$1 bin
  bin=$(postgres_bin_dir)
  [ -n "$bin" ] && [ -f "$dir/PG_VERSION" ] && as_postgres "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1
}

# start_postgres PORTVAR DIR [NAME=VALUE...]: a PostgreSQL server with trust auth in DIR (made and
# initialised when needed), listening on 127.0.0.1. Uses the port in the variable named PORTVAR, or a free
# one stored there. NAME=VALUE are server settings for this start (no spaces), e.g.
# shared_preload_libraries=pg_stat_statements; a server that already runs keeps the settings it has.
start_postgres() {
  local -n port_ref=$1
  local dir=$2 bin i setting options
  bin=$(postgres_bin_dir)
  [ -n "$bin" ] || die "PostgreSQL server binaries are missing: install postgresql"
  id postgres >/dev/null 2>&1 || die "there is no postgres user: install postgresql"
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  chown postgres:postgres "$dir"
  chmod 0700 "$dir"
  as_postgres test -w "$dir" || die "the postgres user cannot reach $dir (is a parent directory closed to it?)"
  if [ ! -f "$dir/PG_VERSION" ]; then
    log "initialising a PostgreSQL cluster in $dir"
    quietly as_postgres "$bin/initdb" -D "$dir" -A trust -U postgres
  fi
  if postgres_running "$dir"; then
    port_ref=$(sed -n 4p "$dir/postmaster.pid")
    log "PostgreSQL in $dir is already running on port $port_ref"
    return 0
  fi
  if [ -z "${port_ref:-}" ]; then
    port_ref=$(free_port)
  fi
  options="-p $port_ref -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=300"
  for setting in "${@:3}"; do
    options+=" -c $setting"
  done
  log "starting PostgreSQL on 127.0.0.1:$port_ref (log: $dir/server.log)"
  as_postgres "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -s -o "$options" start ||
    { tail -n 30 "$dir/server.log" >&2 || true; die "PostgreSQL did not start"; }
  for i in $(seq 1 60); do
    if pg_isready -q -h 127.0.0.1 -p "$port_ref"; then
      return 0
    fi
    sleep 1
  done
  tail -n 30 "$dir/server.log" >&2 || true
  die "PostgreSQL on port $port_ref was not ready within 60 s"
}

# stop_postgres DIR: stops the server in DIR if it runs; leaves the files.
stop_postgres() {
  local dir=$1
  postgres_running "$dir" || return 0
  log "stopping PostgreSQL in $dir"
  as_postgres "$(postgres_bin_dir)/pg_ctl" -D "$dir" -m fast -s -w stop || true
}
