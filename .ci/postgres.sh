# A throwaway PostgreSQL cluster for the tests: `pg_start` sets NAVIGATOR_TEST_PG_URL (and
# PGPASSFILE, holding the cluster's password) for the test run; `pg_stop` removes it all.
# Sourced by .ci/run. Listens on a free loopback port only; as root the cluster runs as an
# unprivileged user, since PostgreSQL refuses to run as root.
#
# Also exported:
# - NAVIGATOR_TEST_PG_CTL: a script that stops and starts the cluster (outage tests);
# - NAVIGATOR_TEST_PG_DATA: the cluster's data directory, whose raw files the privacy tests
#   scan for purged values;
# - NAVIGATOR_TEST_PG_TLS_URL, NAVIGATOR_TEST_PG_TLS_CA, NAVIGATOR_TEST_PG_TLS_OTHER_CA: a
#   second, small cluster that takes TLS connections only (hostssl in pg_hba.conf), with a
#   certificate for 127.0.0.1 signed by a throwaway CA, and another CA that did not sign it.

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
    pg_init "$PG_DIR/data" "$password" || return 1
    local port
    port=$(pg_free_port)
    # Sockets in the cluster's own folder; TCP on loopback only; room for 16 processes
    # on two servers plus the tests' own connections. WAL segments are removed, not
    # recycled, so a purge's checkpoints take purged values out of pg_wal (README, Privacy).
    # fsync is off for the tests' speed; PG_FSYNC=on (the benchmark) makes commits durable.
    local options="-c listen_addresses=127.0.0.1 -p $port -k $PG_DIR -c max_connections=200 -c fsync=${PG_FSYNC:-off} -c wal_recycle=off"
    pg_as_owner pg_ctl -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 -o "$options" \
        start >/dev/null || { cat "$PG_DIR/server.log"; return 1; }
    # The password reaches the tests through a pgpass file, as an administrator would set it.
    printf '127.0.0.1:%s:*:navigator:%s\n' "$port" "$password" >"$PG_DIR/pgpass"
    chmod 600 "$PG_DIR/pgpass"
    export PGPASSFILE="$PG_DIR/pgpass"
    export NAVIGATOR_TEST_PG_URL="postgres://navigator@127.0.0.1:$port/postgres"
    export NAVIGATOR_TEST_PG_DATA="$PG_DIR/data"
    # The tests stop and start the cluster to drop connections mid-save.
    export NAVIGATOR_TEST_PG_CTL="$PG_DIR/ctl"
    local as_owner=
    [ "$(id -u)" = 0 ] && as_owner="runuser -u $PG_OWNER --"
    cat >"$PG_DIR/ctl" <<CTL
#!/usr/bin/env bash
# stop | start: the throwaway test cluster.
set -e
cd /
case "\$1" in
  stop) $as_owner pg_ctl -D "$PG_DIR/data" -m fast -w stop >/dev/null ;;
  start) $as_owner pg_ctl -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 -o "$options" start >/dev/null ;;
esac
CTL
    chmod 755 "$PG_DIR/ctl"
    echo "== postgres $(postgres --version | awk '{print $3}') on 127.0.0.1:$port"
    pg_start_tls "$password" || return 1
}

# initdb of a cluster in $1 whose superuser navigator has the password $2.
pg_init() {
    printf '%s\n' "$2" >"$PG_DIR/pwfile"
    [ "$(id -u)" = 0 ] && chown "$PG_OWNER" "$PG_DIR/pwfile"
    pg_as_owner initdb -D "$1" -U navigator --pwfile="$PG_DIR/pwfile" \
        --auth=scram-sha-256 -E UTF8 --no-sync >"$PG_DIR/initdb.log" 2>&1 \
        || { cat "$PG_DIR/initdb.log"; rm -f "$PG_DIR/pwfile"; return 1; }
    rm -f "$PG_DIR/pwfile"
}

# The TLS-only cluster: a throwaway CA signs a certificate for 127.0.0.1 and localhost;
# pg_hba.conf takes TLS connections only and rejects plain ones.
pg_start_tls() {
    command -v openssl >/dev/null 2>&1 || { echo "postgres: openssl not found"; return 1; }
    local tls="$PG_DIR/tls"
    mkdir -p "$tls" && chmod 755 "$tls"
    [ "$(id -u)" = 0 ] && chown "$PG_OWNER" "$tls"
    (
        cd "$tls" || exit 1
        local key="-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes"
        openssl req -x509 $key -days 2 -subj "/CN=navigator test CA" -keyout ca.key -out ca.crt
        openssl req -x509 $key -days 2 -subj "/CN=another CA" -keyout other-ca.key -out other-ca.crt
        openssl req $key -subj "/CN=127.0.0.1" -keyout server.key -out server.csr
        printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >san.ext
        openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 \
            -extfile san.ext -out server.crt
    ) >"$PG_DIR/openssl.log" 2>&1 || { cat "$PG_DIR/openssl.log"; return 1; }
    chmod 600 "$tls/server.key"
    [ "$(id -u)" = 0 ] && chown "$PG_OWNER" "$tls/server.key" "$tls/server.crt"
    pg_init "$tls/data" "$1" || return 1
    printf 'hostssl all all 127.0.0.1/32 scram-sha-256\nhostnossl all all 127.0.0.1/32 reject\n' \
        >"$tls/pg_hba.conf"
    [ "$(id -u)" = 0 ] && chown "$PG_OWNER" "$tls/pg_hba.conf"
    local port
    port=$(pg_free_port)
    pg_as_owner pg_ctl -D "$tls/data" -l "$PG_DIR/tls-server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_DIR -c fsync=off -c max_connections=20 -c ssl=on -c ssl_cert_file=$tls/server.crt -c ssl_key_file=$tls/server.key -c hba_file=$tls/pg_hba.conf" \
        start >/dev/null || { cat "$PG_DIR/tls-server.log"; return 1; }
    printf '127.0.0.1:%s:*:navigator:%s\n' "$port" "$1" >>"$PG_DIR/pgpass"
    export NAVIGATOR_TEST_PG_TLS_URL="postgres://navigator@127.0.0.1:$port/postgres"
    export NAVIGATOR_TEST_PG_TLS_CA="$tls/ca.crt"
    export NAVIGATOR_TEST_PG_TLS_OTHER_CA="$tls/other-ca.crt"
    echo "== postgres with TLS only on 127.0.0.1:$port"
}

pg_stop() {
    [ -n "$PG_DIR" ] || return 0
    (cd / && pg_as_owner pg_ctl -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1) || true
    if [ -d "$PG_DIR/tls/data" ]; then
        (cd / && pg_as_owner pg_ctl -D "$PG_DIR/tls/data" -m immediate -w stop >/dev/null 2>&1) || true
    fi
    rm -rf "$PG_DIR"
    PG_DIR=
}
