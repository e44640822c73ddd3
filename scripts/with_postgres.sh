#!/usr/bin/env bash
# Run a command with a throw-away PostgreSQL + PostGIS server on 127.0.0.1 for the tests:
#   scripts/with_postgres.sh COMMAND...
# Installs Debian's postgresql and postgresql-postgis if missing (as root, or with sudo),
# starts a private cluster in a temporary folder on a free port, exports
# SHIZHONG_TEST_PG_URL for the tests (and SHIZHONG_TEST_PG_RESTART, the command that restarts
# the server: bench.load's postgres fault), runs COMMAND, then stops and deletes the cluster.
# If PostgreSQL cannot be had, COMMAND still runs and the PostgreSQL tests say why they skip.
set -uo pipefail

log() { printf 'with_postgres: %s\n' "$*" >&2; }
sudo_cmd() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

find_bin() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$dir/initdb" ] && [ -e "$(dirname "$dir")/lib/postgis-3.so" ]; then echo "$dir"; return 0; fi
  done
  return 1
}

BIN=$(find_bin)
if [ -z "$BIN" ]; then
  log "installing postgresql and postgresql-postgis from Debian"
  { sudo_cmd apt-get update -qq && \
    sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      postgresql postgresql-postgis; } >/dev/null 2>&1 || log "could not install them"
  BIN=$(find_bin)
fi

cleanup() { :; }
if [ -n "$BIN" ] && id postgres >/dev/null 2>&1; then
  DIR=$(mktemp -d /tmp/shizhong-pg.XXXXXX)
  chmod 755 "$DIR"
  PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  run_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi; }
  sudo_cmd chown postgres "$DIR"
  if run_pg "$BIN/initdb" -D "$DIR/data" -A trust -U postgres -E UTF8 >/dev/null 2>&1 && \
     run_pg "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
       -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null 2>&1 && \
     run_pg "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres shizhong_test >/dev/null 2>&1; then
    export SHIZHONG_TEST_PG_URL="postgresql+psycopg://postgres@127.0.0.1:$PORT/shizhong_test"
    if [ "$(id -u)" = 0 ]; then AS_PG="runuser -u postgres --"; else AS_PG="sudo -u postgres"; fi
    export SHIZHONG_TEST_PG_RESTART="$AS_PG $BIN/pg_ctl -D $DIR/data -l $DIR/server.log -m fast -w -t 60 restart"
    log "PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') with PostGIS on 127.0.0.1:$PORT"
    cleanup() {
      run_pg "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null 2>&1
      sudo_cmd rm -rf "$DIR"
    }
  else
    log "could not start PostgreSQL: $(tail -n 3 "$DIR/server.log" 2>/dev/null)"
    sudo_cmd rm -rf "$DIR"
  fi
else
  log "PostgreSQL with PostGIS is not available; its tests will be skipped"
fi
trap cleanup EXIT
"$@"
