#!/usr/bin/env bash
# The whole suite: lint, migrations check, then pytest against a throwaway PostgreSQL server
# (started here and removed afterwards) with the browser tests in Debian's headless Chromium.
# Set DATABASE_URL to test against a server of your own instead.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}

missing=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
[ -x /usr/bin/chromium ] || missing+=(chromium chromium-driver)
command -v redis-server >/dev/null || missing+=(redis-server)
# The directory sign-in tests start a real OpenLDAP server and load it with ldapadd.
[ -x /usr/sbin/slapd ] || missing+=(slapd)
command -v ldapadd >/dev/null || missing+=(ldap-utils)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "Устанавливаю пакеты: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "Для тестов нужны пакеты Debian: ${missing[*]} (sudo apt-get install -y ${missing[*]})" >&2
    exit 1
  fi
fi

"$PY" -m ruff check .
"$PY" -m ruff format --check .
"$PY" manage.py makemigrations --check --dry-run

if [ -z "${DATABASE_URL:-}" ]; then
  BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  PGD=$(mktemp -d /tmp/portal-pg.XXXXXX)
  PORT=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  as_pg=()
  if [ "$(id -u)" = 0 ]; then
    chown postgres: "$PGD"
    as_pg=(runuser -u postgres --)
  fi
  # Run from the server's own directory: the postgres user may not enter the current one.
  pg() { (cd "$PGD" && "${as_pg[@]}" "$@"); }
  pg "$BIN/initdb" -D "$PGD/data" -U postgres -A trust -E UTF8 --no-sync >/dev/null
  pg "$BIN/pg_ctl" -D "$PGD/data" -l "$PGD/log" -w \
    -o "-k $PGD -p $PORT -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
  cleanup() {
    pg "$BIN/pg_ctl" -D "$PGD/data" -w -m fast stop >/dev/null || true
    rm -rf "$PGD"
  }
  trap cleanup EXIT
  export DATABASE_URL="postgres://postgres@127.0.0.1:$PORT/postgres"
  echo "PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') на порту $PORT"
fi

# Tests of a real service (Redis, slapd) fail instead of skipping when its server is missing.
export PORTAL_ALL_SERVICES=1
"$PY" -m pytest "$@"
