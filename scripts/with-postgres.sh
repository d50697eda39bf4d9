#!/usr/bin/env bash
# Run a command with a private PostgreSQL server: a throwaway cluster in a temporary folder,
# listening on a free loopback port, stopped and removed afterwards. Exports
# DETENTE_TEST_POSTGRES_URL for the store's contract tests.
# Usage: scripts/with-postgres.sh COMMAND [ARGS...]
set -euo pipefail
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$pgbin" ]; then
  echo "with-postgres: PostgreSQL is not installed (scripts/system-deps.sh postgresql)" >&2
  exit 1
fi
dir=$(mktemp -d /tmp/detente-pg.XXXXXX)
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_pg "$pgbin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 >/dev/null
stop() {
  as_pg "$pgbin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT
as_pg "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-k $dir -p $port -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
as_pg "$pgbin/createdb" -h 127.0.0.1 -p "$port" -U postgres detente_test
export DETENTE_TEST_POSTGRES_URL="postgresql://postgres@127.0.0.1:$port/detente_test"
"$@"
