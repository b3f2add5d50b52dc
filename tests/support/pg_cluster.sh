#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for the store tests (CTest fixture `pg_cluster`).
#
#   pg_cluster.sh start STATE_DIR   initdb + start on 127.0.0.1:<free port>; prints the
#                                   DATABASE_URL and writes it to STATE_DIR/url
#   pg_cluster.sh stop STATE_DIR    stops the cluster and deletes its files (idempotent)
#
# The cluster lives in a fresh directory under ${TMPDIR:-/tmp}, not in the build tree, because
# PostgreSQL refuses to run as root: under root (CI) it runs as the `postgres` user of Debian's
# postgresql package (or `nobody` when that user is missing), which must be able to reach its
# directory. Missing server binaries are an error, never a skip: `make deps` installs them.
set -euo pipefail
umask 077 # the state directory holds the URL with its password

die() {
  echo "pg_cluster: $*" >&2
  exit 1
}

cmd=${1:-}
state=${2:-}
[[ -n "$cmd" && -n "$state" ]] || die "usage: $0 start|stop STATE_DIR"

# Server binaries: PG_BINDIR, else Debian's versioned directory (newest), else PATH.
find_bindir() {
  if [[ -n "${PG_BINDIR:-}" ]]; then
    echo "$PG_BINDIR"
    return
  fi
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [[ -n "$d" && -x "$d/initdb" ]]; then
    echo "$d"
    return
  fi
  if command -v initdb >/dev/null 2>&1; then
    dirname "$(command -v initdb)"
    return
  fi
  die "PostgreSQL server binaries (initdb, pg_ctl) not found; install Debian's postgresql package (make deps)"
}

# Runs a command as the cluster owner.
as_owner() {
  if [[ "$(id -u)" == 0 ]]; then
    runuser -u "$owner" -- "$@"
  else
    "$@"
  fi
}

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

stop_cluster() {
  [[ -f "$state/cluster_dir" ]] || return 0
  local dir bindir
  dir=$(cat "$state/cluster_dir")
  bindir=$(cat "$state/bindir" 2>/dev/null || find_bindir)
  owner=$(cat "$state/owner" 2>/dev/null || id -un)
  if [[ -f "$dir/data/postmaster.pid" ]]; then
    as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null 2>&1 ||
      echo "pg_ctl stop failed; see $dir/server.log" >&2
  fi
  rm -rf "$dir"
  rm -f "$state/cluster_dir" "$state/url" "$state/bindir" "$state/owner"
}

start_cluster() {
  mkdir -p "$state"
  stop_cluster # a cluster left by an interrupted run
  rm -f "$state/url"
  local bindir dir password port url
  bindir=$(find_bindir)
  [[ -x "$bindir/initdb" && -x "$bindir/pg_ctl" ]] || die "no initdb/pg_ctl in $bindir"
  owner=$(id -un)
  if [[ "$(id -u)" == 0 ]]; then
    if id postgres >/dev/null 2>&1; then owner=postgres; else owner=nobody; fi
  fi
  dir=$(mktemp -d "${TMPDIR:-/tmp}/nocturna-pg.XXXXXX")
  chmod 0700 "$dir"
  [[ "$owner" == "$(id -un)" ]] || chown "$owner" "$dir"
  echo "$dir" >"$state/cluster_dir"
  echo "$bindir" >"$state/bindir"
  echo "$owner" >"$state/owner"

  # A password, so the tests cover authenticated URLs and their redaction.
  password=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
  as_owner bash -c "umask 077; printf '%s\n' '$password' >'$dir/pwfile'"
  as_owner "$bindir/initdb" -D "$dir/data" -U nocturna --pwfile="$dir/pwfile" \
    --auth-local=scram-sha-256 --auth-host=scram-sha-256 -E UTF8 --no-locale --no-sync \
    >"$state/initdb.log" 2>&1 || {
    cat "$state/initdb.log" >&2
    die "initdb failed"
  }
  rm -f "$dir/pwfile"

  # A random port; if another process takes it first, pg_ctl fails and the next one is tried.
  local attempt
  for attempt in 1 2 3 4 5 6 7 8; do
    port=$((20000 + RANDOM % 40000))
    port_in_use "$port" && continue
    # fsync=off: this cluster is deleted after the run; the store's own durability setting
    # (synchronous_commit=on) is still exercised.
    if as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-k $dir -h 127.0.0.1 -p $port -c fsync=off -c max_connections=200" start >/dev/null; then
      url="postgresql://nocturna:$password@127.0.0.1:$port/postgres"
      echo "$url" >"$state/url"
      echo "$url"
      return 0
    fi
  done
  cat "$dir/server.log" >&2 || true
  die "could not start PostgreSQL"
}

case "$cmd" in
  start) start_cluster ;;
  stop) stop_cluster ;;
  *) die "unknown command $cmd (start|stop)" ;;
esac
