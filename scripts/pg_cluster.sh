#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for the store's tests (Debian's
# postgresql package): `start DIR` creates and starts one in DIR, listening
# only on a unix socket in DIR, and prints its connection string on stdout;
# `stop DIR` stops it and removes DIR. As root the cluster runs as the
# `postgres` OS user.
set -euo pipefail
# Debian 12's PostgreSQL 15; another major version of the package when that
# is what is installed; or PGBIN=... to choose.
if [ -z "${PGBIN:-}" ]; then
  PGBIN=/usr/lib/postgresql/15/bin
  if [ ! -x "$PGBIN/initdb" ]; then
    PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  fi
fi
if [ ! -x "${PGBIN:-}/initdb" ]; then
  echo "$0: PostgreSQL's initdb not found under /usr/lib/postgresql (apt-get install postgresql, or set PGBIN)" >&2
  exit 1
fi
cmd=${1:-}
dir=${2:-}
if [ -z "$cmd" ] || [ -z "$dir" ]; then
  echo "usage: $0 start|stop DIR" >&2
  exit 2
fi

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    # From /, which the postgres user can enter (root's working directory it cannot).
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

case "$cmd" in
  start)
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    if [ "$(id -u)" -eq 0 ]; then
      chown postgres: "$dir"
      runuser -u postgres -- test -x "$dir" ||
        { echo "$0: the postgres user cannot reach $dir (a parent folder is not searchable)" >&2; exit 1; }
    fi
    as_owner "$PGBIN/initdb" -D "$dir/data" --auth=trust -U postgres -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
      { cat "$dir/initdb.log" >&2; exit 1; }
    # Nothing listens on TCP: the port number only names the socket file in
    # DIR (.s.PGSQL.PORT), so any number is free there.
    port=$((20000 + RANDOM % 40000))
    cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$dir'
port = $port
fsync = on
max_connections = 200
CONF
    as_owner "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null ||
      { cat "$dir/server.log" >&2; exit 1; }
    echo "host=$dir port=$port user=postgres dbname=postgres"
    ;;
  stop)
    if [ -d "$dir/data" ]; then
      dir=$(cd "$dir" && pwd)
      as_owner "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start|stop DIR" >&2
    exit 2
    ;;
esac
