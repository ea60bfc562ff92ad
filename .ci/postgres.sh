# A throwaway PostgreSQL cluster for the tests: `pg_start` sets NAVIGATOR_TEST_PG_URL (and
# PGPASSFILE, holding the cluster's password) for the test run; `pg_stop` removes it all.
# Sourced by .ci/run. Listens on a free loopback port only; as root the cluster runs as an
# unprivileged user, since PostgreSQL refuses to run as root.

PG_OWNER=navigator-ci
PG_DIR=

pg_tools() {
    if ! command -v initdb >/dev/null 2>&1 || ! command -v pg_ctl >/dev/null 2>&1; then
        for d in /usr/lib/postgresql/*/bin; do
            [ -x "$d/initdb" ] && PATH="$PATH:$d"
        done
    fi
    if ! command -v initdb >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
        echo "== installing postgresql"
        apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
        for d in /usr/lib/postgresql/*/bin; do
            [ -x "$d/initdb" ] && PATH="$PATH:$d"
        done
    fi
    command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1
}

# Runs a command as the cluster's owner (root cannot run PostgreSQL).
pg_as_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u "$PG_OWNER" -- "$@"
    else
        "$@"
    fi
}

pg_free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

pg_start() {
    pg_tools || { echo "postgres: initdb/pg_ctl not found"; return 1; }
    if [ "$(id -u)" = 0 ] && ! id "$PG_OWNER" >/dev/null 2>&1; then
        useradd --system --no-create-home --shell /usr/sbin/nologin "$PG_OWNER"
    fi
    PG_DIR=$(mktemp -d /tmp/navigator-ci-pg.XXXXXX)
    chmod 755 "$PG_DIR"
    [ "$(id -u)" = 0 ] && chown "$PG_OWNER" "$PG_DIR"
    local password
    password=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
    printf '%s\n' "$password" >"$PG_DIR/pwfile"
    [ "$(id -u)" = 0 ] && chown "$PG_OWNER" "$PG_DIR/pwfile"
    pg_as_owner initdb -D "$PG_DIR/data" -U navigator --pwfile="$PG_DIR/pwfile" \
        --auth=scram-sha-256 -E UTF8 --no-sync >"$PG_DIR/initdb.log" 2>&1 \
        || { cat "$PG_DIR/initdb.log"; return 1; }
    rm -f "$PG_DIR/pwfile"
    local port
    port=$(pg_free_port)
    # Sockets in the cluster's own folder; TCP on loopback only; room for 16 processes
    # on two servers plus the tests' own connections.
    pg_as_owner pg_ctl -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_DIR -c max_connections=200 -c fsync=off" \
        start >/dev/null || { cat "$PG_DIR/server.log"; return 1; }
    # The password reaches the tests through a pgpass file, as an administrator would set it.
    printf '127.0.0.1:%s:*:navigator:%s\n' "$port" "$password" >"$PG_DIR/pgpass"
    chmod 600 "$PG_DIR/pgpass"
    export PGPASSFILE="$PG_DIR/pgpass"
    export NAVIGATOR_TEST_PG_URL="postgres://navigator@127.0.0.1:$port/postgres"
    # The tests stop and start the cluster to drop connections mid-save.
    export NAVIGATOR_TEST_PG_CTL="$PG_DIR/ctl"
    cat >"$PG_DIR/ctl" <<CTL
#!/usr/bin/env bash
# stop | start: the throwaway test cluster.
set -e
cd /
case "\$1" in
  stop) $( [ "$(id -u)" = 0 ] && echo "runuser -u $PG_OWNER --" ) pg_ctl -D "$PG_DIR/data" -m fast -w stop >/dev/null ;;
  start) $( [ "$(id -u)" = 0 ] && echo "runuser -u $PG_OWNER --" ) pg_ctl -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_DIR -c max_connections=200 -c fsync=off" start >/dev/null ;;
esac
CTL
    chmod 755 "$PG_DIR/ctl"
    echo "== postgres $(postgres --version | awk '{print $3}') on 127.0.0.1:$port"
}

pg_stop() {
    [ -n "$PG_DIR" ] || return 0
    (cd / && pg_as_owner pg_ctl -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1) || true
    rm -rf "$PG_DIR"
    PG_DIR=
}
