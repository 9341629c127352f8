#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests and benchmarks: `scripts/postgres.sh start [DIR] [PORT]`
# initialises DIR (default .pg-test under the repo) if needed, starts PostgreSQL 15+ from
# Debian's packages on 127.0.0.1:PORT (default 55432) with trust authentication, creates the
# database `wharf`, and prints the URL to use with `wharf serve --store`. `stop [DIR]` stops it.
# PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user.
set -euo pipefail
cd "$(dirname "$0")/.."
action=${1:-start}
dir=$(realpath -m "${2:-.pg-test}")
port=${3:-55432}

bindir() {
    local d
    d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    if [ -z "$d" ]; then
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >&2
        apt-get install -y -qq postgresql >/dev/null
        d=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    fi
    echo "$d"
}

as_owner() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

bin=$(bindir)
case "$action" in
start)
    if [ ! -f "$dir/PG_VERSION" ]; then
        mkdir -p "$dir"
        [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
        as_owner "$bin/initdb" -D "$dir" --auth=trust -U postgres -E UTF8 >/dev/null
        cat >> "$dir/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
max_connections = 300
shared_buffers = 256MB
fsync = on
synchronous_commit = on
log_min_messages = warning
CONF
    fi
    if ! as_owner "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
        # The log lives in DIR, which callers often delete on exit: show why a start failed.
        if ! as_owner "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 start >/dev/null; then
            echo "postgres.sh: PostgreSQL did not start on 127.0.0.1:$port; its log ($dir/server.log):" >&2
            tail -n 30 "$dir/server.log" >&2 || true
            exit 1
        fi
    fi
    as_owner "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = 'wharf'" | grep -q 1 \
        || as_owner "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -qc "CREATE DATABASE wharf"
    echo "postgres://postgres@127.0.0.1:$port/wharf"
    ;;
stop)
    if [ -f "$dir/PG_VERSION" ]; then
        as_owner "$bin/pg_ctl" -D "$dir" -m fast -w stop >/dev/null 2>&1 || true
    fi
    ;;
*)
    echo "usage: $0 start|stop [DIR] [PORT]" >&2; exit 2
    ;;
esac
