#!/usr/bin/env bash
# A throwaway PostgreSQL 15 server for the tests (issue 7): a data directory in a temporary
# directory, owned by a non-root user (initdb refuses root), listening on 127.0.0.1 only,
# on a free port, trust authentication for local TCP. With `openssl` present the server also
# offers TLS with a throwaway self-signed certificate, so tests can check that `sslmode=require`
# really encrypts; the printed URL says `sslmode=disable`, so other clients stay in plain text.
#
#   eval "$(scripts/postgres-test.sh start)"   # starts it, prints `export INGEST_TEST_POSTGRES_URL=...`
#   scripts/postgres-test.sh env               # prints the export line of the running server
#   scripts/postgres-test.sh stop              # stops it and deletes its directory
#
# State lives in $INGEST_PG_STATE (default /tmp/ingest-pg-test): the data directory, the log
# and the URL. Tests read INGEST_TEST_POSTGRES_URL and skip, saying so, when it is unset.
set -euo pipefail

STATE_DIR="${INGEST_PG_STATE:-/tmp/ingest-pg-test}"
PG_BIN="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}"
RUN_AS="${INGEST_PG_USER:-postgres}"

die() { echo "postgres-test: $*" >&2; exit 1; }

# Runs a command as the server's owner; as that user already, directly.
as_owner() {
    if [ "$(id -u)" = "0" ]; then
        runuser -u "$RUN_AS" -- "$@"
    else
        "$@"
    fi
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

print_env() {
    [ -f "$STATE_DIR/url" ] || die "no server running (no $STATE_DIR/url); run '$0 start'"
    echo "export INGEST_TEST_POSTGRES_URL=$(cat "$STATE_DIR/url")"
}

start() {
    [ -x "$PG_BIN/initdb" ] || die "PostgreSQL binaries not found (looked in '$PG_BIN'); install Debian's 'postgresql' package"
    if [ -f "$STATE_DIR/url" ] && as_owner "$PG_BIN/pg_ctl" -D "$STATE_DIR/data" status >/dev/null 2>&1; then
        print_env
        return
    fi
    rm -rf "$STATE_DIR"
    mkdir -p "$STATE_DIR"
    if [ "$(id -u)" = "0" ]; then
        id "$RUN_AS" >/dev/null 2>&1 || useradd --system --no-create-home "$RUN_AS"
        chown "$RUN_AS" "$STATE_DIR"
    fi
    as_owner "$PG_BIN/initdb" -D "$STATE_DIR/data" -U ingest --auth=trust --encoding=UTF8 --no-locale >"$STATE_DIR/initdb.log" 2>&1 \
        || { cat "$STATE_DIR/initdb.log" >&2; die "initdb failed"; }
    local port preload="" tls=""
    port="$(free_port)"
    if command -v openssl >/dev/null 2>&1 \
        && openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=ingest-test" \
            -keyout "$STATE_DIR/server.key" -out "$STATE_DIR/server.crt" >/dev/null 2>&1; then
        chmod 600 "$STATE_DIR/server.key"
        [ "$(id -u)" = "0" ] && chown "$RUN_AS" "$STATE_DIR/server.key" "$STATE_DIR/server.crt"
        tls="-c ssl=on -c ssl_cert_file=$STATE_DIR/server.crt -c ssl_key_file=$STATE_DIR/server.key"
    fi
    # Statement counts for scripts/pg-bench.sh, when the contrib module is installed.
    if [ -f "$(dirname "$PG_BIN")/lib/pg_stat_statements.so" ]; then
        preload="-c shared_preload_libraries=pg_stat_statements"
    fi
    # Sockets in the state directory, not /var/run/postgresql (which may not exist or be writable).
    as_owner "$PG_BIN/pg_ctl" -D "$STATE_DIR/data" -l "$STATE_DIR/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $STATE_DIR -c max_connections=200 -c fsync=off $preload $tls" start >/dev/null \
        || { cat "$STATE_DIR/server.log" >&2; die "server did not start"; }
    as_owner "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U ingest ingest_test
    echo "postgres://ingest@127.0.0.1:$port/ingest_test?sslmode=disable" >"$STATE_DIR/url"
    print_env
}

stop() {
    if [ -d "$STATE_DIR/data" ]; then
        as_owner "$PG_BIN/pg_ctl" -D "$STATE_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$STATE_DIR"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    env) print_env ;;
    *) echo "usage: $0 start|stop|env" >&2; exit 64 ;;
esac
