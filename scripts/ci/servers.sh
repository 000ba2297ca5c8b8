#!/usr/bin/env bash
# Redis and PostgreSQL for the tests that need real servers: Debian's packages, run on loopback
# from a temporary folder as an unprivileged user, on free ports, so nothing of the machine's own
# set-up is used or changed.
#
#   servers.sh install            apt-get install redis-server postgresql (when missing; needs root)
#   servers.sh start              start both; prints `export …` lines to eval: the URLs the tests read
#                                 (GOVTABLES_TEST_PG, GOVTABLES_TEST_REDIS) and GOVTABLES_SERVERS
#   servers.sh stop               stop both and remove the folder
#   servers.sh down redis|postgres, servers.sh up redis|postgres
#                                 stop or start one of them again, same port and data (the restart tests)
#
# Every command but install and start reads the folder from GOVTABLES_SERVERS.
set -euo pipefail

SERVER_USER=govtables-servers

die() { echo "servers.sh: $*" >&2; exit 1; }

pg_bin() {
  local bin
  bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
  [ -n "$bin" ] || die "PostgreSQL is not installed (servers.sh install)"
  echo "$bin"
}

free_port() {
  node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })'
}

# PostgreSQL refuses to run as root: as root, the servers run as a system user made for them;
# as anyone else, as that user.
as_user() { if [ "$(id -u)" = 0 ]; then runuser -u "$SERVER_USER" -- "$@"; else "$@"; fi; }

install() {
  if command -v redis-server >/dev/null && ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then return; fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends redis-server postgresql >/dev/null
}

state() {
  [ -n "${GOVTABLES_SERVERS:-}" ] && [ -f "$GOVTABLES_SERVERS/state" ] || die "GOVTABLES_SERVERS does not name a running set (servers.sh start)"
  # shellcheck disable=SC1091
  . "$GOVTABLES_SERVERS/state"
}

redis_up() {
  # Append-only file, so a restart keeps every queued job; noeviction, which BullMQ requires.
  as_user redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$DIR/redis" --daemonize yes \
    --pidfile "$DIR/redis/redis.pid" --logfile "$DIR/redis/redis.log" --save '' \
    --appendonly yes --appendfsync everysec --maxmemory-policy noeviction
  for _ in $(seq 100); do redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG && return; sleep 0.1; done
  die "redis did not start (see $DIR/redis/redis.log)"
}

redis_down() {
  redis-cli -p "$REDIS_PORT" shutdown >/dev/null 2>&1 || true
  for _ in $(seq 100); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 || return 0; sleep 0.1; done
  die "redis did not stop"
}

pg_up() {
  # fsync off: the data only has to outlive a server restart, not the machine; commits stay
  # synchronous, so a commit acknowledged before an immediate stop is kept.
  as_user "$PG_BIN/pg_ctl" -D "$DIR/pg" -l "$DIR/pg.log" -w -s start \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $DIR -c fsync=off -c full_page_writes=off -c max_connections=200"
}

pg_down() {
  # Immediate: the server stops as if it crashed, connections are cut mid-transaction.
  as_user "$PG_BIN/pg_ctl" -D "$DIR/pg" -w -s -m immediate stop || true
}

start() {
  if [ "$(id -u)" = 0 ]; then
    id "$SERVER_USER" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$SERVER_USER"
  fi
  command -v redis-server >/dev/null || die "redis-server is not installed (servers.sh install)"
  DIR="$(mktemp -d /tmp/govtables-servers.XXXXXX)"
  chmod 755 "$DIR"
  mkdir -p "$DIR/redis"
  if [ "$(id -u)" = 0 ]; then chown -R "$SERVER_USER" "$DIR"; fi
  PG_BIN="$(pg_bin)"
  REDIS_PORT="$(free_port)"
  PG_PORT="$(free_port)"
  printf 'DIR=%q\nPG_BIN=%q\nREDIS_PORT=%q\nPG_PORT=%q\n' "$DIR" "$PG_BIN" "$REDIS_PORT" "$PG_PORT" >"$DIR/state"
  as_user "$PG_BIN/initdb" -D "$DIR/pg" -U govtables -A trust -E UTF8 --locale=C >"$DIR/initdb.log" 2>&1 || die "initdb failed (see $DIR/initdb.log)"
  pg_up
  as_user "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U govtables govtables
  redis_up
  echo "export GOVTABLES_SERVERS=$DIR"
  echo "export GOVTABLES_TEST_PG=postgres://govtables@127.0.0.1:$PG_PORT/govtables"
  echo "export GOVTABLES_TEST_REDIS=redis://127.0.0.1:$REDIS_PORT"
}

stop() {
  state
  redis_down || true
  pg_down
  rm -rf "$DIR"
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  down) state; case "${2:-}" in redis) redis_down ;; postgres) pg_down ;; *) die "down redis|postgres" ;; esac ;;
  up) state; case "${2:-}" in redis) redis_up ;; postgres) pg_up ;; *) die "up redis|postgres" ;; esac ;;
  *) die "usage: servers.sh install|start|stop|down NAME|up NAME" ;;
esac
